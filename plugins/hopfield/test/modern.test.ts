import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { lastValueFrom, take, toArray } from 'rxjs';
import { ErrorCodes, initBackend } from '@engram/core';
import { DenseRetriever, denseRetrieval, ModernHopfield } from '../src/index.js';
import { codeOf, flipBits, leaked, patterns } from './helpers.js';

const D = 100;
const maxAbs = (a: tf.Tensor, b: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
const K = 2000;

describe('ModernHopfield', () => {
  let xi: Float32Array;
  let queries: tf.Tensor2D;
  let targets: Float32Array;
  before(async () => {
    await initBackend({ backend: 'wasm' });
    xi = patterns(K, D, 1);
    targets = xi.subarray(0, 50 * D);
    queries = tf.tensor2d(flipBits(targets, D, 0.2, 2), [50, D]);
  });
  after(() => queries.dispose());

  it('d=100, K=2000, 20% flipped: beta=1 retrieves >= 98% of 50 queries exactly after one update', () => {
    const net = new ModernHopfield({ dim: D, beta: 1 }).store(tf.tensor2d(xi, [K, D]));
    const out = net.retrieve(queries, 1);
    const data = out.dataSync();
    let exact = 0;
    for (let q = 0; q < 50; q++) {
      let ok = true;
      for (let i = 0; i < D && ok; i++) ok = Math.sign(data[q * D + i]!) === targets[q * D + i] && Math.abs(data[q * D + i]! - targets[q * D + i]!) < 0.01;
      if (ok) exact++;
    }
    expect(exact / 50).to.be.at.least(0.98);
    out.dispose();
    net.dispose();
  });

  it('beta=0.01 converges to a global average: every softmax weight < 0.01; the energy never rises', async () => {
    const net = new ModernHopfield({ dim: D, beta: 0.01 }).store(tf.tensor2d(xi, [K, D]));
    const steps = await lastValueFrom(net.run({ initial: queries, maxSteps: 10, tolerance: 1e-5 }).pipe(toArray()));
    for (let s = 1; s < steps.length; s++) {
      // Float32 resolution of E: lse over 2000 terms (relative ~1e-5) scaled by 1/beta = 100, plus ulps of |E| ~ 50.
      steps[s]!.energies!.forEach((e, i) => expect(e).to.be.at.most(steps[s - 1]!.energies![i]! + 1e-5 / 0.01 + 2e-6 * Math.abs(e)));
    }
    // The first update is a real descent, far above that resolution.
    expect(steps[0]!.energy! - steps[1]!.energy!).to.be.greaterThan(50);
    const fixed = await net.complete(queries, { maxSteps: 10 });
    const p = net.association(fixed);
    expect(tf.max(p).dataSync()[0]).to.be.lessThan(0.01);
    // The fixed point is (close to) the mean of all patterns.
    const mean = tf.mean(net.patterns, 0);
    expect(tf.max(tf.abs(tf.sub(fixed, mean))).dataSync()[0]).to.be.lessThan(0.02);
    fixed.dispose();
    p.dispose();
    mean.dispose();
    net.dispose();
  });

  it('energy matches the formula and never rises for beta=1 (with and without clamping)', async () => {
    const net = new ModernHopfield({ dim: 4, beta: 2 }).store([[1, 0, 0, 0], [0, 2, 0, 0]]);
    const e = net.energy([[0.5, 0.5, 0, 1]]).dataSync()[0]!;
    const b = 2;
    const lse = Math.log(Math.exp(b * 0.5) + Math.exp(b * 1));
    expect(e).to.be.closeTo(-lse / b + 0.5 * 1.5 + Math.log(2) / b + 0.5 * 4, 1e-5);
    net.dispose();
    const big = new ModernHopfield({ dim: D, beta: 0.1 }).store(tf.tensor2d(xi.subarray(0, 200 * D), [200, D]));
    const mask = new Float32Array(D).map((_, i) => (i < 30 ? 1 : 0));
    for (const clamp of [undefined, tf.tensor1d(mask)]) {
      const steps = await lastValueFrom(big.run({ initial: queries, maxSteps: 8, clamp }).pipe(toArray()));
      for (let s = 1; s < steps.length; s++) {
        steps[s]!.energies!.forEach((v, i) => expect(v).to.be.at.most(steps[s - 1]!.energies![i]! + 1e-4));
      }
      clamp?.dispose();
    }
    big.dispose();
  });

  it('denseRetrieval equals the modern update and DenseRetriever keeps both layouts', () => {
    const mem = tf.tensor2d(xi.subarray(0, 300 * D), [300, D]);
    const net = new ModernHopfield({ dim: D, beta: 0.05 }).store(mem);
    const a = net.retrieve(queries, 3);
    const b = denseRetrieval(mem, queries, { beta: 0.05, steps: 3 });
    expect(maxAbs(a, b)).to.be.lessThan(1e-4);
    // Blocked (3 blocks of 128, 128, 44 memories) and single-block retrieval agree with the model.
    const r = new DenseRetriever(mem, { beta: 0.05, blockSize: 128 });
    expect(r.blockCount).to.equal(3);
    const c = r.retrieve(queries, 3);
    expect(maxAbs(a, c)).to.be.lessThan(1e-4);
    c.dispose();
    r.dispose();
    [a, b, mem].forEach((t) => t.dispose());
    net.dispose();
  });

  it('cancelling a run leaks no tensors', async () => {
    const net = new ModernHopfield({ dim: D, beta: 1 }).store(tf.tensor2d(xi.subarray(0, 100 * D), [100, D]));
    const n = await leaked(async () => {
      await lastValueFrom(net.run({ initial: queries, maxSteps: 1000, snapshot: true }).pipe(take(3), toArray()));
      const mask = tf.zeros([1, D]);
      await lastValueFrom(net.run({ initial: queries, maxSteps: 1000, clamp: mask, update: 'descent' }).pipe(take(2), toArray()));
      mask.dispose();
    });
    expect(n).to.equal(0);
    net.dispose();
  });

  it('rejects bad input with coded errors', () => {
    expect(codeOf(() => new ModernHopfield({ dim: 3, beta: -1 }))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    const net = new ModernHopfield({ dim: 3 });
    expect(codeOf(() => net.run({ initial: [[1, 2, 3]] }))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    net.store([[1, 0, 0]]);
    expect(codeOf(() => net.store([[1, 0]]))).to.equal(ErrorCodes.SHAPE_MISMATCH);
    expect(codeOf(() => net.run({ initial: [[1, 2, 3]], update: 'newton' as never }))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    expect(codeOf(() => net.retrieve([[1, Infinity, 3]]))).to.equal(ErrorCodes.NON_FINITE);
    expect(codeOf(() => denseRetrieval([[1, 0]], [[1, 0, 0]]))).to.equal(ErrorCodes.SHAPE_MISMATCH);
    net.dispose();
    expect(codeOf(() => net.retrieve([[1, 2, 3]]))).to.equal(ErrorCodes.DISPOSED);
  });
});
