import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { lastValueFrom, take, takeWhile, toArray, type Observable } from 'rxjs';
import { disposeState, initBackend, type DynamicsStep } from '@engram/core';
import { ClassicalHopfield, DenseAssociativeMemory, DrDAM, Hopfield, HopfieldLayer, HopfieldPooling, ModernHopfield } from '../src/index.js';
import { flipBits, notificationCode, patterns } from './helpers.js';

describe('streams of every model: completed, cancelled and failed runs leak nothing', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('1,000+ steps over subscribe/unsubscribe cycles return tf.memory().numTensors to its start', async () => {
    const n = 32;
    const xi = patterns(6, n, 1);
    const stored = tf.tensor2d(xi, [6, n]);
    const cues = tf.tensor2d(flipBits(xi, n, 0.2, 2), [6, n]);
    const mask = tf.tensor1d(new Float32Array(n).map((_, i) => (i < 8 ? 1 : 0)));
    const models = {
      classical: new ClassicalHopfield({ size: n }).store(stored),
      dense: new DenseAssociativeMemory({ size: n }).store(stored),
      modern: new ModernHopfield({ size: n, beta: 0.5 }).store(stored),
      drdam: new DrDAM({ size: n, features: 200, beta: 0.05 }).store(stored),
      association: new Hopfield({ inputSize: n, heads: 2 }),
      pooling: new HopfieldPooling({ inputSize: n, quantity: 2 }),
      layer: new HopfieldLayer({ inputSize: n, memories: 3 }),
    };
    const bags = tf.reshape(stored, [2, 3, n]);
    const assocState = models.association.encode(bags);
    const poolState = models.pooling.encode(bags);
    const layerState = models.layer.encode(bags);
    const start = tf.memory().numTensors;
    let steps = 0;
    const runs: (() => Observable<DynamicsStep>)[] = [
      () => models.classical.run({ initial: cues, clamp: mask, maxSteps: 60 }),
      () => models.classical.run({ initial: cues, mode: 'sync', maxSteps: 60 }),
      () => models.dense.run({ initial: cues, clamp: mask, maxSteps: 60, snapshot: true }),
      () => models.modern.run({ initial: cues, clamp: mask, maxSteps: 60, yieldEvery: 5 }),
      () => models.modern.run({ initial: cues, update: 'descent', maxSteps: 60 }),
      () => models.drdam.run({ initial: cues, clamp: mask, dt: 0.1, maxSteps: 60 }),
      () => models.association.run({ initial: assocState, maxSteps: 60, snapshot: ['state'] }),
      () => models.pooling.run({ initial: poolState, maxSteps: 60 }),
      () => models.layer.run({ initial: layerState, maxSteps: 60, clamp: { state: true } }),
    ];
    for (let cycle = 0; cycle < 8; cycle++) {
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
    // Runs that fail (bad input, a disposed model) free what they took, too.
    const half = tf.fill([1, n], 0.5);
    const narrow = tf.zeros([2, 3, 5]);
    const failing: (() => Observable<DynamicsStep>)[] = [
      () => models.classical.run({ initial: cues, clamp: [1, 0] }),
      () => models.modern.run({ initial: cues, clamp: half }),
      () => models.drdam.run({ initial: cues, maxSteps: 3, dt: 1e30 }),
      () => models.pooling.run({ initial: { stored: narrow } }),
    ];
    const codes: string[] = [];
    for (const make of failing) codes.push(await notificationCode(make));
    expect(codes).to.deep.equal(['ENGRAM_ERR_SHAPE_MISMATCH', 'ENGRAM_ERR_INVALID_ARGUMENT', 'ENGRAM_ERR_DIVERGED', 'ENGRAM_ERR_SHAPE_MISMATCH']);
    tf.dispose([half, narrow]);
    expect(tf.memory().numTensors).to.equal(start);
    Object.values(models).forEach((m) => m.dispose());
    disposeState(assocState);
    disposeState(poolState);
    disposeState(layerState);
    tf.dispose([cues, mask, stored, bags]);
  });
});
