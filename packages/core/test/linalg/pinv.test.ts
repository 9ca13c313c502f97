import { expect } from 'chai';
import { EngramError, ErrorCodes, linalg } from '../../src/index.js';
import { rng } from '../helpers.js';
import { maxAbsDiff } from './fixtures.js';

/** Gram matrix G = X X^T / d of p random +-1 rows of length d (rank min(p, d)). */
function gram(p: number, d: number, seed: number): Float64Array {
  const r = rng(seed);
  const x = Float64Array.from({ length: p * d }, () => (r() < 0.5 ? -1 : 1));
  const g = new Float64Array(p * p);
  for (let a = 0; a < p; a++) {
    for (let b = a; b < p; b++) {
      let s = 0;
      for (let i = 0; i < d; i++) s += x[a * d + i]! * x[b * d + i]!;
      g[a * p + b] = g[b * p + a] = s / d;
    }
  }
  return g;
}

/** The largest violation of the four Moore-Penrose conditions. */
function penroseResidual(a: Float64Array, p: Float64Array, n: number): number {
  const ap = linalg.matMul(a, p, n);
  const pa = linalg.matMul(p, a, n);
  return Math.max(
    maxAbsDiff(linalg.matMul(ap, a, n), a),
    maxAbsDiff(linalg.matMul(pa, p, n), p),
    maxAbsDiff(ap, linalg.transpose(ap, n)),
    maxAbsDiff(pa, linalg.transpose(pa, n)),
  );
}

describe('linalg.symmetricPinv', () => {
  it('equals the inverse of a full-rank Gram matrix (p = 40 < d = 100)', () => {
    const g = gram(40, 100, 1);
    const p = linalg.symmetricPinv(g, 40);
    expect(p.rank).to.equal(40);
    expect(maxAbsDiff(p.data, linalg.inverse(g, 40).data)).to.be.below(1e-9);
  });

  it('satisfies the four Moore-Penrose conditions on rank-deficient PSD matrices (p = 30 > d = 20) and gets the rank', () => {
    for (const [p, d] of [[30, 20], [12, 3], [5, 1]] as const) {
      const g = gram(p, d, p + d);
      const pi = linalg.symmetricPinv(g, p);
      expect(pi.rank, `p=${p} d=${d}`).to.equal(d);
      expect(penroseResidual(g, pi.data, p), `p=${p} d=${d}`).to.be.below(1e-9);
      expect(() => linalg.inverse(g, p)).to.throw(EngramError, /singular/);
    }
  });

  it('handles an indefinite singular matrix and the zero matrix', () => {
    // diag(2, -4, 0) rotated: pinv = rotated diag(1/2, -1/4, 0).
    const c = Math.cos(0.3);
    const s = Math.sin(0.3);
    const q = [c, -s, 0, s, c, 0, 0, 0, 1];
    const qt = linalg.transpose(q, 3);
    const a = linalg.matMul(linalg.matMul(q, [2, 0, 0, 0, -4, 0, 0, 0, 0], 3), qt, 3);
    const expected = linalg.matMul(linalg.matMul(q, [0.5, 0, 0, 0, -0.25, 0, 0, 0, 0], 3), qt, 3);
    const pi = linalg.symmetricPinv(a, 3);
    expect(pi.rank).to.equal(2);
    expect(maxAbsDiff(pi.data, expected)).to.be.below(1e-14);
    const z = linalg.symmetricPinv([0, 0, 0, 0], 2);
    expect(z.rank).to.equal(0);
    expect(Array.from(z.data)).to.deep.equal([0, 0, 0, 0]);
  });

  it('rcond sets the cutoff: a tiny eigenvalue is inverted below it and dropped above it', () => {
    const a = [1, 0, 0, 1e-10];
    expect(linalg.symmetricPinv(a, 2).rank).to.equal(2);
    const cut = linalg.symmetricPinv(a, 2, { rcond: 1e-8 });
    expect(cut.rank).to.equal(1);
    expect(Array.from(cut.data)).to.deep.equal([1, 0, 0, 0]);
    expect(() => linalg.symmetricPinv(a, 2, { rcond: -1 })).to.throw(EngramError).with.property('code', ErrorCodes.INVALID_ARGUMENT);
    expect(() => linalg.symmetricPinv([1, 2, 3, 4], 2)).to.throw(EngramError, /symmetric/);
    expect(() => linalg.symmetricPinv([1, NaN, NaN, 1], 2)).to.throw(EngramError).with.property('code', ErrorCodes.NON_FINITE);
  });
});
