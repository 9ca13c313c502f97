import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { lastValueFrom, take, toArray } from 'rxjs';
import { ErrorCodes, initBackend } from '@engram/core';
import { ClassicalHopfield } from '../src/index.js';
import { codeOf, flipBits, leaked, patterns } from './helpers.js';

const N = 100;

function bitAccuracy(out: Float32Array, target: Float32Array): number {
  let ok = 0;
  for (let i = 0; i < out.length; i++) if (out[i] === target[i]) ok++;
  return ok / out.length;
}

async function recallAccuracy(p: number, seed: number): Promise<number> {
  const xi = patterns(p, N, seed);
  const net = new ClassicalHopfield({ size: N }).store(tf.tensor2d(xi, [p, N]));
  const cues = flipBits(xi, N, 0.1, seed + 1);
  const out = await net.recall(tf.tensor2d(cues, [p, N]), { mode: 'async', seed, maxSteps: 50 });
  const acc = bitAccuracy(out.dataSync() as Float32Array, xi);
  out.dispose();
  net.dispose();
  return acc;
}

describe('ClassicalHopfield', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('N=100, Hebbian, 10% flipped cues: P=10 recalls > 99% of bits, P=30 < 85%', async () => {
    let a10 = 0;
    let a30 = 0;
    const seeds = [1, 2, 3];
    for (const s of seeds) {
      a10 += (await recallAccuracy(10, s)) / seeds.length;
      a30 += (await recallAccuracy(30, s)) / seeds.length;
    }
    expect(a10).to.be.greaterThan(0.99);
    expect(a30).to.be.lessThan(0.85);
  });

  it('asynchronous sweeps never raise the energy (per sample, every step)', async () => {
    const p = 30;
    const xi = patterns(p, N, 7);
    const net = new ClassicalHopfield({ size: N }).store(tf.tensor2d(xi, [p, N]));
    const cues = flipBits(xi, N, 0.3, 8);
    const steps = await lastValueFrom(net.run({ initial: tf.tensor2d(cues, [p, N]), maxSteps: 20, seed: 3 }).pipe(toArray()));
    expect(steps.length).to.equal(21);
    let falls = 0;
    for (let k = 1; k < steps.length; k++) {
      const prev = steps[k - 1]!.energies!;
      const cur = steps[k]!.energies!;
      for (let i = 0; i < p; i++) {
        expect(cur[i]!).to.be.at.most(prev[i]! + 1e-4);
        if (cur[i]! < prev[i]! - 1e-4) falls++;
      }
    }
    expect(falls).to.be.greaterThan(0);
    net.dispose();
  });

  it('energy is -1/2 s^T W s + b^T s', () => {
    const net = new ClassicalHopfield({ size: 3 });
    net.setWeights({ weights: tf.tensor2d([0, 1, -2, 1, 0, 0.5, -2, 0.5, 0], [3, 3]), bias: tf.tensor1d([0.1, -0.2, 0.3]) });
    const e = net.energy([[1, -1, 1]]).dataSync()[0]!;
    // s^T W s = 2*(1*-1*1 + 1*1*-2 + -1*1*0.5) = -7 ; b.s = 0.1+0.2+0.3
    expect(e).to.be.closeTo(3.5 + 0.6, 1e-5);
    net.dispose();
  });

  it('pseudo-inverse rule makes 20 correlated patterns exact fixed points', async () => {
    // 20 patterns sharing a bias towards +1: Hebbian crosstalk is large, the projection rule is exact.
    const p = 20;
    const xi = patterns(p, N, 11).map((v, i) => (i % 5 === 0 ? 1 : v));
    const pinv = new ClassicalHopfield({ size: N, rule: 'pseudo-inverse' }).store(tf.tensor2d(xi, [p, N]));
    const out = await pinv.recall(tf.tensor2d(xi, [p, N]), { maxSteps: 5 });
    expect(bitAccuracy(out.dataSync() as Float32Array, xi)).to.equal(1);
    out.dispose();
    pinv.dispose();
  });

  it('synchronous mode and clamping: clamped neurons keep their cue values', async () => {
    const xi = patterns(5, N, 21);
    const net = new ClassicalHopfield({ size: N }).store(tf.tensor2d(xi, [5, N]));
    const cue = Float32Array.from(xi.subarray(0, N));
    for (let i = 50; i < N; i++) cue[i] = -1;
    const mask = new Float32Array(N).fill(0);
    for (let i = 0; i < 50; i++) mask[i] = 1;
    for (const mode of ['sync', 'async'] as const) {
      const out = await net.recall(tf.tensor2d(cue, [1, N]), { mode, clamp: tf.tensor1d(mask), maxSteps: 20 });
      const data = out.dataSync() as Float32Array;
      expect(bitAccuracy(data, xi.subarray(0, N))).to.equal(1);
      out.dispose();
    }
    net.dispose();
  });

  it('cancelling a run leaks no tensors', async () => {
    const xi = patterns(10, N, 5);
    const net = new ClassicalHopfield({ size: N }).store(tf.tensor2d(xi, [10, N]));
    const n = await leaked(async () => {
      for (const mode of ['sync', 'async'] as const) {
        await lastValueFrom(net.run({ initial: tf.tensor2d(xi, [10, N]), clamp: [1, ...new Array(N - 1).fill(0)], mode, maxSteps: 50 }).pipe(take(3), toArray()));
      }
      net.run({ initial: tf.tensor2d(xi, [10, N]) }); // never subscribed: holds nothing
    });
    // The two input tensors built inline above are the only survivors.
    expect(n).to.equal(3);
    net.dispose();
  });

  it('rejects bad input with coded errors', () => {
    expect(codeOf(() => new ClassicalHopfield({ size: 0 }))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    expect(codeOf(() => new ClassicalHopfield({ size: 4, rule: 'oja' as never }))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    const net = new ClassicalHopfield({ size: 4 });
    expect(codeOf(() => net.store([[1, -1, 1]]))).to.equal(ErrorCodes.SHAPE_MISMATCH);
    expect(codeOf(() => net.store([[1, 0.5, 1, 1]]))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    expect(codeOf(() => net.store([[1, NaN, 1, 1]]))).to.equal(ErrorCodes.NON_FINITE);
    expect(codeOf(() => net.run({ initial: [[1, 1, 1, 1]], clamp: [1, 0] }))).to.equal(ErrorCodes.SHAPE_MISMATCH);
    expect(codeOf(() => new ClassicalHopfield({ size: 2, rule: 'pseudo-inverse' }).store([[1, 1], [1, 1]]))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    net.dispose();
    expect(codeOf(() => net.energy([[1, 1, 1, 1]]))).to.equal(ErrorCodes.DISPOSED);
  });
});
