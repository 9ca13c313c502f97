import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { lastValueFrom, take, toArray } from 'rxjs';
import { ErrorCodes, initBackend } from '@engram/core';
import { DenseAssociativeMemory } from '../src/index.js';
import { codeOf, flipBits, leaked, patterns } from './helpers.js';

const N = 100;

function fixedFraction(k: number, seed: number): number {
  const xi = patterns(k, N, seed);
  const dam = new DenseAssociativeMemory({ size: N, separation: { kind: 'power', n: 3 } }).store(tf.tensor2d(xi, [k, N]));
  const fixed = dam.isFixedPoint(tf.tensor2d(xi, [k, N]));
  dam.dispose();
  return fixed.filter(Boolean).length / k;
}

describe('DenseAssociativeMemory', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('N=100, F=x^3: >= 90% of K=200 stored patterns are fixed points, <= 30% of K=800', () => {
    const f200 = fixedFraction(200, 1);
    const f800 = fixedFraction(800, 2);
    expect(f200).to.be.at.least(0.9);
    expect(f800).to.be.at.most(0.3);
  });

  it('energy is -sum F(xi.s) and asynchronous updates never raise it', async () => {
    const k = 300;
    const xi = patterns(k, N, 3);
    for (const sep of [{ kind: 'power', n: 3 }, { kind: 'rectified-power', n: 4 }, { kind: 'exp', beta: 0.5 }] as const) {
      const dam = new DenseAssociativeMemory({ size: N, separation: sep }).store(tf.tensor2d(xi, [k, N]));
      const e = dam.energy(tf.tensor2d(xi.subarray(0, N), [1, N])).dataSync()[0]!;
      // Host reference for the first pattern.
      let ref = 0;
      for (let mu = 0; mu < k; mu++) {
        let o = 0;
        for (let i = 0; i < N; i++) o += xi[mu * N + i]! * xi[i]!;
        ref -= dam.separation.host(o);
      }
      expect(e).to.be.closeTo(ref, Math.abs(ref) * 1e-4 + 1e-6);
      const cues = tf.tensor2d(flipBits(xi.subarray(0, 20 * N), N, 0.25, 4), [20, N]);
      const steps = await lastValueFrom(dam.run({ initial: cues, maxSteps: 6, seed: 9 }).pipe(toArray()));
      cues.dispose();
      for (let s = 1; s < steps.length; s++) {
        const prev = steps[s - 1]!.energies!;
        const cur = steps[s]!.energies!;
        cur.forEach((v, i) => expect(v).to.be.at.most(prev[i]! + Math.abs(prev[i]!) * 1e-5 + 1e-6));
      }
      dam.dispose();
    }
  });

  it('completes a cue with half the bits clamped and retrieves below capacity', async () => {
    const k = 100;
    const xi = patterns(k, N, 5);
    const dam = new DenseAssociativeMemory({ size: N }).store(tf.tensor2d(xi, [k, N]));
    const cues = flipBits(xi.subarray(0, 10 * N), N, 0.2, 6);
    const out = await dam.recall(tf.tensor2d(cues, [10, N]), { mode: 'sync', maxSteps: 10 });
    expect(Array.from(out.dataSync())).to.deep.equal(Array.from(xi.subarray(0, 10 * N)));
    out.dispose();
    const mask = new Float32Array(N).map((_, i) => (i < 50 ? 1 : 0));
    const half = Float32Array.from(xi.subarray(0, N)).map((v, i) => (i < 50 ? v : 1));
    const done = await dam.recall(tf.tensor2d(half, [1, N]), { clamp: tf.tensor1d(mask), maxSteps: 10 });
    expect(Array.from(done.dataSync())).to.deep.equal(Array.from(xi.subarray(0, N)));
    done.dispose();
    dam.dispose();
  });

  it('cancelling a run leaks no tensors', async () => {
    const xi = patterns(50, N, 7);
    const dam = new DenseAssociativeMemory({ size: N }).store(tf.tensor2d(xi, [50, N]));
    const cues = tf.tensor2d(flipBits(xi, N, 0.3, 1), [50, N]);
    const n = await leaked(async () => {
      for (const mode of ['sync', 'async'] as const) {
        await lastValueFrom(dam.run({ initial: cues, mode, maxSteps: 100 }).pipe(take(2), toArray()));
      }
    });
    expect(n).to.equal(0);
    cues.dispose();
    dam.dispose();
  });

  it('rejects bad input with coded errors', () => {
    expect(codeOf(() => new DenseAssociativeMemory({ size: 10, separation: { kind: 'cubic' as never } }))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    expect(codeOf(() => new DenseAssociativeMemory({ size: 10, separation: { kind: 'power', n: 2.5 } }))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    const dam = new DenseAssociativeMemory({ size: 4 });
    expect(codeOf(() => dam.store([[1, 1, 1]]))).to.equal(ErrorCodes.SHAPE_MISMATCH);
    expect(codeOf(() => dam.run({ initial: [[1, 1]] }))).to.equal(ErrorCodes.SHAPE_MISMATCH);
    expect(codeOf(() => dam.run({ initial: [[1, 1, 1, 1]], mode: 'random' as never }))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    expect(codeOf(() => dam.setWeights({ memoriesT: tf.zeros([3, 2]) }))).to.equal(ErrorCodes.SHAPE_MISMATCH);
    dam.dispose();
  });
});
