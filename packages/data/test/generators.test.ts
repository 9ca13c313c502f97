import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { ErrorCodes, initBackend } from '@engram/core';
import {
  DEFAULT_MANIFOLD_BLOCKS,
  binaryPatterns,
  correlatedPatterns,
  createRng,
  gaussianPatterns,
  linearManifoldPoints,
  patternsToTensor,
  zeroOnePatterns,
  type Patterns,
} from '../src/index.js';
import { expectCode } from './helpers.js';

const mean = (xs: ArrayLike<number>): number => Array.from(xs).reduce((a, b) => a + b, 0) / xs.length;
const variance = (xs: ArrayLike<number>): number => {
  const m = mean(xs);
  return Array.from(xs).reduce((a, b) => a + (b - m) ** 2, 0) / xs.length;
};
const row = (p: Patterns, i: number): Float32Array => p.data.subarray(i * p.shape[1], (i + 1) * p.shape[1]);
const overlap = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s / a.length;
};
const column = (data: Float32Array, cols: number, j: number): number[] =>
  Array.from({ length: data.length / cols }, (_, i) => data[i * cols + j]!);

describe('createRng', () => {
  it('is deterministic per seed and differs across seeds (including seeds beyond 32 bits)', () => {
    const draw = (seed: number): number[] => {
      const r = createRng(seed);
      return [r.nextUint32(), r.uniform(), r.normal(), r.int(1000)];
    };
    expect(draw(42)).to.deep.equal(draw(42));
    expect(draw(42)).to.not.deep.equal(draw(43));
    expect(draw(5)).to.not.deep.equal(draw(5 + 2 ** 32));
    expect(draw(-1)).to.not.deep.equal(draw(1));
    expectCode(() => createRng(1.5), ErrorCodes.INVALID_ARGUMENT, 'seed');
  });

  it('has uniform and normal moments and full-range integers', () => {
    const r = createRng(7);
    const n = 200_000;
    const u = Float64Array.from({ length: n }, () => r.uniform());
    const z = Float64Array.from({ length: n }, () => r.normal(2, 3));
    expect(u.every((v) => v >= 0 && v < 1)).to.equal(true);
    // 5-sigma bounds: mean of U(0,1) has sd 0.289/sqrt(n).
    expect(mean(u)).to.be.closeTo(0.5, 5 * 0.289 / Math.sqrt(n));
    expect(variance(u)).to.be.closeTo(1 / 12, 0.002);
    expect(mean(z)).to.be.closeTo(2, 5 * 3 / Math.sqrt(n));
    expect(variance(z)).to.be.closeTo(9, 9 * 5 * Math.sqrt(2 / n));
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < 60_000; i++) counts[r.int(-2, 4) + 2]!++;
    for (const c of counts) expect(c).to.be.closeTo(10_000, 500);
    expectCode(() => r.int(3, 3), ErrorCodes.INVALID_ARGUMENT);
  });

  it('shuffles into permutations and forks independent streams', () => {
    const r = createRng(3);
    const p = r.permutation(100);
    expect(Array.from(p).sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 100 }, (_, i) => i));
    expect(Array.from(p)).to.not.deep.equal(Array.from({ length: 100 }, (_, i) => i));
    const arr = ['a', 'b', 'c', 'd', 'e'];
    expect(r.shuffle(arr)).to.equal(arr);
    expect([...arr].sort()).to.deep.equal(['a', 'b', 'c', 'd', 'e']);
    const f1 = createRng(9).fork();
    const f2 = createRng(9).fork();
    expect(f1.uniform()).to.equal(f2.uniform());
    expect(createRng(9).fork().seed).to.not.equal(9);
  });
});

describe('pattern generators', () => {
  it('binary ±1 patterns: deterministic per seed, mean 2*bias - 1', () => {
    const a = binaryPatterns({ count: 100, size: 1000, seed: 1, bias: 0.8 });
    expect(a.shape).to.deep.equal([100, 1000]);
    expect(a.data).to.be.instanceOf(Float32Array);
    expect(a.data.every((v) => v === 1 || v === -1)).to.equal(true);
    expect(binaryPatterns({ count: 100, size: 1000, seed: 1, bias: 0.8 }).data).to.deep.equal(a.data);
    expect(binaryPatterns({ count: 100, size: 1000, seed: 2, bias: 0.8 }).data).to.not.deep.equal(a.data);
    // sd of the mean of 1e5 entries with p = 0.8: 2*sqrt(0.16/1e5) = 0.0025
    expect(mean(a.data)).to.be.closeTo(0.6, 0.0125);
    expect(mean(binaryPatterns({ count: 100, size: 1000, seed: 4 }).data)).to.be.closeTo(0, 0.016);
    expect(binaryPatterns({ count: 2, size: 5, bias: 1 }).data.every((v) => v === 1)).to.equal(true);
  });

  it('{0,1} patterns have activity p; Gaussian patterns have the asked mean and std', () => {
    const z = zeroOnePatterns({ count: 50, size: 2000, seed: 5, p: 0.1 });
    expect(z.data.every((v) => v === 0 || v === 1)).to.equal(true);
    expect(mean(z.data)).to.be.closeTo(0.1, 0.005);
    const g = gaussianPatterns({ count: 100, size: 1000, seed: 6, mean: -1, std: 0.5 });
    expect(mean(g.data)).to.be.closeTo(-1, 0.01);
    expect(Math.sqrt(variance(g.data))).to.be.closeTo(0.5, 0.005);
    expect(gaussianPatterns({ count: 3, size: 4, seed: 6 }).data).to.deep.equal(gaussianPatterns({ count: 3, size: 4, seed: 6 }).data);
  });

  it('rejects bad sizes and probabilities', () => {
    expectCode(() => binaryPatterns({ count: 0, size: 3 }), ErrorCodes.INVALID_ARGUMENT, 'count');
    expectCode(() => binaryPatterns({ count: 2, size: 2.5 }), ErrorCodes.INVALID_ARGUMENT, 'size');
    expectCode(() => binaryPatterns({ count: 2, size: 2, bias: 1.2 }), ErrorCodes.INVALID_ARGUMENT, 'bias');
    expectCode(() => zeroOnePatterns({ count: 2, size: 2, p: -0.1 }), ErrorCodes.INVALID_ARGUMENT, 'p');
    expectCode(() => gaussianPatterns({ count: 2, size: 2, std: -1 }), ErrorCodes.INVALID_ARGUMENT, 'std');
  });

  describe('correlated patterns', () => {
    it('binary parent-child: child-parent overlap c, sibling overlap c^2, unrelated ~0', () => {
      const c = 0.6;
      const p = correlatedPatterns({ count: 60, size: 4000, seed: 11, correlation: c, parents: 3 });
      expect(p.shape).to.deep.equal([60, 4000]);
      expect(p.parents.shape).to.deep.equal([3, 4000]);
      expect(Array.from(p.parentOf.subarray(0, 6))).to.deep.equal([0, 1, 2, 0, 1, 2]);
      expect(p.data.every((v) => v === 1 || v === -1)).to.equal(true);
      const toParent = Array.from({ length: 60 }, (_, k) => overlap(row(p, k), row(p.parents, p.parentOf[k]!)));
      expect(mean(toParent)).to.be.closeTo(c, 0.01);
      const siblings: number[] = [];
      const strangers: number[] = [];
      for (let a = 0; a < 60; a++) {
        for (let b = a + 1; b < 60; b++) (p.parentOf[a] === p.parentOf[b] ? siblings : strangers).push(overlap(row(p, a), row(p, b)));
      }
      expect(mean(siblings)).to.be.closeTo(c * c, 0.01);
      expect(mean(strangers)).to.be.closeTo(0, 0.01);
    });

    it('shared component: pairwise correlation c for binary and Gaussian values, unit variance', () => {
      for (const values of ['binary', 'gaussian'] as const) {
        const c = 0.3;
        const p = correlatedPatterns({ count: 40, size: 5000, seed: 12, correlation: c, structure: 'shared', values });
        expect(p.parents.shape).to.deep.equal([1, 5000]);
        const pairs: number[] = [];
        for (let a = 0; a < 40; a++) for (let b = a + 1; b < 40; b++) pairs.push(overlap(row(p, a), row(p, b)));
        expect(mean(pairs), values).to.be.closeTo(c, 0.02);
        expect(variance(p.data), values).to.be.closeTo(1, 0.05);
      }
    });

    it('Gaussian parent-child has correlation c with the parent; c = 0 gives independent patterns', () => {
      const p = correlatedPatterns({ count: 20, size: 5000, seed: 13, correlation: 0.8, values: 'gaussian', parents: 2 });
      const toParent = Array.from({ length: 20 }, (_, k) => overlap(row(p, k), row(p.parents, p.parentOf[k]!)));
      expect(mean(toParent)).to.be.closeTo(0.8, 0.02);
      const q = correlatedPatterns({ count: 20, size: 5000, seed: 13, correlation: 0 });
      expect(overlap(row(q, 0), row(q.parents, 0))).to.be.closeTo(0, 0.06);
      expectCode(() => correlatedPatterns({ count: 2, size: 2, correlation: 1.5 }), ErrorCodes.INVALID_ARGUMENT, 'correlation');
      expectCode(() => correlatedPatterns({ count: 2, size: 2, correlation: 0.5, structure: 'tree' as 'shared' }), ErrorCodes.INVALID_ARGUMENT, 'structure');
    });
  });

  describe('linear manifold points', () => {
    it('default: D = 32, block variances 1 and 0.1 on the first 8 axes, zero elsewhere', () => {
      const m = linearManifoldPoints({ count: 20_000, seed: 21 });
      expect(m.shape).to.deep.equal([20_000, 32]);
      expect(m.latent.shape).to.deep.equal([20_000, 8]);
      expect(Array.from(m.blockOf)).to.deep.equal([0, 0, 0, 0, 1, 1, 1, 1]);
      expect(DEFAULT_MANIFOLD_BLOCKS).to.deep.equal([{ size: 4, variance: 1 }, { size: 4, variance: 0.1 }]);
      for (let j = 0; j < 32; j++) {
        const v = variance(column(m.data, 32, j));
        // sd of a sample variance: var * sqrt(2/n) = 0.01 * var
        if (j < 4) expect(v, `axis ${j}`).to.be.closeTo(1, 0.05);
        else if (j < 8) expect(v, `axis ${j}`).to.be.closeTo(0.1, 0.005);
        else expect(v, `axis ${j}`).to.equal(0);
      }
      expect(linearManifoldPoints({ count: 10, seed: 21 }).data).to.deep.equal(m.data.subarray(0, 320));
    });

    it('random embedding: orthonormal basis, points lie in its span with the block variances along it', () => {
      const D = 16;
      const m = linearManifoldPoints({ count: 20_000, size: D, seed: 22, embedding: 'random', blocks: [{ size: 2, variance: 2 }, { size: 3, variance: 0.05 }] });
      const B = m.basis.data;
      expect(m.basis.shape).to.deep.equal([5, D]);
      for (let a = 0; a < 5; a++) {
        for (let b = 0; b < 5; b++) expect(overlap(B.subarray(a * D, (a + 1) * D), B.subarray(b * D, (b + 1) * D)) * D).to.be.closeTo(a === b ? 1 : 0, 1e-5);
      }
      // Project each point on the basis: coordinates equal the latent z, residual ~ 0.
      const proj: number[][] = [[], [], [], [], []];
      let maxResidual = 0;
      let maxLatentError = 0;
      for (let n = 0; n < 20_000; n++) {
        const x = m.data.subarray(n * D, (n + 1) * D);
        const rec = new Float64Array(D);
        for (let a = 0; a < 5; a++) {
          const coord = overlap(x, B.subarray(a * D, (a + 1) * D)) * D;
          proj[a]!.push(coord);
          maxLatentError = Math.max(maxLatentError, Math.abs(coord - m.latent.data[n * 5 + a]!));
          for (let j = 0; j < D; j++) rec[j]! += coord * B[a * D + j]!;
        }
        for (let j = 0; j < D; j++) maxResidual = Math.max(maxResidual, Math.abs(x[j]! - rec[j]!));
      }
      expect(maxResidual).to.be.below(1e-4);
      expect(maxLatentError).to.be.below(1e-4);
      [2, 2, 0.05, 0.05, 0.05].forEach((v, a) => expect(variance(proj[a]!)).to.be.closeTo(v, v * 0.05));
    });

    it('adds isotropic ambient noise when asked, and rejects bad blocks', () => {
      const m = linearManifoldPoints({ count: 20_000, size: 10, blocks: [{ size: 2, variance: 1 }], noiseStd: 0.1, seed: 23 });
      expect(variance(column(m.data, 10, 0))).to.be.closeTo(1.01, 0.05);
      expect(variance(column(m.data, 10, 9))).to.be.closeTo(0.01, 0.0006);
      expectCode(() => linearManifoldPoints({ count: 5, size: 4, blocks: [{ size: 5, variance: 1 }] }), ErrorCodes.INVALID_ARGUMENT, 'ambient size 4');
      expectCode(() => linearManifoldPoints({ count: 5, blocks: [{ size: 2, variance: -1 }] }), ErrorCodes.INVALID_ARGUMENT, 'variance');
      expectCode(() => linearManifoldPoints({ count: 5, blocks: [] }), ErrorCodes.INVALID_ARGUMENT, 'blocks');
    });
  });

  it('patternsToTensor copies into a [count, size] float32 tensor the caller owns', async () => {
    await initBackend({ backend: 'wasm' });
    const p = binaryPatterns({ count: 3, size: 4, seed: 1 });
    const before = tf.memory().numTensors;
    const t = patternsToTensor(p);
    expect(t.shape).to.deep.equal([3, 4]);
    expect(Array.from(await t.data())).to.deep.equal(Array.from(p.data));
    t.dispose();
    expect(tf.memory().numTensors).to.equal(before);
  });
});
