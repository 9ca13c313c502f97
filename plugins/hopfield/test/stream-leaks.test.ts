import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { lastValueFrom, take, takeWhile, toArray, type Observable } from 'rxjs';
import { initBackend, type DynamicsStep } from '@engram/core';
import { ClassicalHopfield, DenseAssociativeMemory, DrDAM, ModernHopfield } from '../src/index.js';
import { flipBits, patterns } from './helpers.js';

describe('streams of every model: many cancelled and completed runs leak nothing', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('1,000+ steps over subscribe/unsubscribe cycles return tf.memory().numTensors to its start', async () => {
    const n = 32;
    const xi = patterns(6, n, 1);
    const cues = tf.tensor2d(flipBits(xi, n, 0.2, 2), [6, n]);
    const mask = tf.tensor1d(new Float32Array(n).map((_, i) => (i < 8 ? 1 : 0)));
    const models = {
      classical: new ClassicalHopfield({ size: n }).store(tf.tensor2d(xi, [6, n])),
      dense: new DenseAssociativeMemory({ size: n }).store(tf.tensor2d(xi, [6, n])),
      modern: new ModernHopfield({ dim: n, beta: 0.5 }).store(tf.tensor2d(xi, [6, n])),
      drdam: new DrDAM({ dim: n, features: 200, beta: 0.05 }).addMemories(tf.tensor2d(xi, [6, n])),
    };
    const start = tf.memory().numTensors;
    let steps = 0;
    const runs: (() => Observable<DynamicsStep>)[] = [
      () => models.classical.run({ initial: cues, clamp: mask, maxSteps: 60 }),
      () => models.classical.run({ initial: cues, mode: 'sync', maxSteps: 60 }),
      () => models.dense.run({ initial: cues, clamp: mask, maxSteps: 60, snapshot: true }),
      () => models.modern.run({ initial: cues, clamp: mask, maxSteps: 60, yieldEvery: 5 }),
      () => models.modern.run({ initial: cues, update: 'descent', maxSteps: 60 }),
      () => models.drdam.run({ initial: cues, clamp: mask, dt: 0.1, maxSteps: 60 }),
    ];
    for (let cycle = 0; cycle < 10; cycle++) {
      for (const [i, make] of runs.entries()) {
        // Cancel after a varying number of events, from the first step to the run's end.
        const cut = 1 + ((cycle * 7 + i * 13) % 61);
        const events = await lastValueFrom(make().pipe(take(cut), toArray()));
        steps += events.length;
        const partial = await lastValueFrom(make().pipe(takeWhile((e) => e.step < cut % 5), toArray()));
        steps += partial.length;
      }
    }
    expect(steps).to.be.greaterThan(1000);
    expect(tf.memory().numTensors).to.equal(start);
    Object.values(models).forEach((m) => m.dispose());
    tf.dispose([cues, mask]);
  });
});
