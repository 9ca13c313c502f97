import { expect } from 'chai';
import { EngramError, ErrorCodes, linalg } from '../../src/index.js';
import { hilbert, hilbertInverse, maxAbsDiff, randomMatrix } from './fixtures.js';

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (err) {
    return err instanceof EngramError ? err.code : 'not an EngramError';
  }
  return undefined;
}

describe('linalg.inverse / linalg.solve (LU with partial pivoting)', () => {
  it('inverts a 2x2 matrix exactly and needs pivoting for [[0, 1], [1, 0]]', () => {
    expect(maxAbsDiff(linalg.inverse([4, 7, 2, 6], 2).data, [0.6, -0.7, -0.2, 0.4])).to.be.at.most(1e-15);
    expect(Array.from(linalg.inverse([0, 1, 1, 0], 2).data)).to.deep.equal([0, 1, 1, 0]);
  });

  it('inverts Hilbert matrices to their known integer inverses (error grows with cond(H) ~ e^(3.5 n))', () => {
    // Relative error bound ~ cond * eps: n = 4 (cond 1.6e4), 6 (1.5e7), 8 (1.5e10).
    for (const [n, tol] of [[4, 1e-10], [6, 1e-7], [8, 1e-4]] as const) {
      const exact = hilbertInverse(n);
      const got = linalg.inverse(hilbert(n), n).data;
      let rel = 0;
      for (let i = 0; i < n * n; i++) rel = Math.max(rel, Math.abs(got[i]! - exact[i]!) / Math.abs(exact[i]!));
      expect(rel, `n=${n}`).to.be.below(tol);
    }
    expect(Array.from(hilbertInverse(3))).to.deep.equal([9, -36, 30, -36, 192, -180, 30, -180, 180]);
  });

  it('A A^-1 = I for random matrices, and solve agrees with inverse for several right-hand sides', () => {
    for (const n of [1, 3, 10, 50]) {
      const a = randomMatrix(n, n, n);
      const inv = linalg.inverse(a, n);
      expect(inv.n).to.equal(n);
      expect(maxAbsDiff(linalg.matMul(a, inv.data, n), linalg.identity(n)), `n=${n}`).to.be.below(1e-10);
      const b = randomMatrix(n, 3, 1000 + n);
      const x = linalg.solve(a, b, n, 3);
      expect(maxAbsDiff(linalg.matMul(a, x, n, n, 3), b)).to.be.below(1e-10);
      expect(maxAbsDiff(x, linalg.matMul(inv.data, b, n, n, 3))).to.be.below(1e-9);
    }
    expect(Array.from(linalg.solve([2, 0, 0, 4], [2, 2], 2))).to.deep.equal([1, 0.5]);
  });

  it('rejects singular, mis-sized and non-finite input with coded errors that say what to do', () => {
    expect(() => linalg.inverse([1, 2, 2, 4], 2)).to.throw(EngramError, /singular.*symmetricPinv/);
    expect(() => linalg.inverse([0, 0, 0, 0], 2)).to.throw(EngramError, /zero matrix/);
    // Rank-deficient by construction: row 3 = row 1 + row 2.
    expect(() => linalg.inverse([1, 2, 3, 4, 5, 6, 5, 7, 9], 3)).to.throw(EngramError, /singular/);
    // The tolerance is adjustable: a nearly singular matrix passes a looser check only.
    expect(() => linalg.inverse([1, 1, 1, 1 + 1e-9], 2)).not.to.throw();
    expect(() => linalg.inverse([1, 1, 1, 1 + 1e-9], 2, { tolerance: 1e-6 })).to.throw(EngramError, /singular/);
    expect(codeOf(() => linalg.inverse([1, 2, 3], 2))).to.equal(ErrorCodes.SHAPE_MISMATCH);
    expect(codeOf(() => linalg.inverse([1, NaN, 0, 1], 2))).to.equal(ErrorCodes.NON_FINITE);
    expect(codeOf(() => linalg.inverse([1], 0))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    expect(codeOf(() => linalg.inverse([1], 1, { tolerance: -1 }))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    expect(codeOf(() => linalg.solve([1, 0, 0, 1], [1, 2, 3], 2))).to.equal(ErrorCodes.SHAPE_MISMATCH);
  });
});

describe('linalg matrix helpers', () => {
  it('matMul (square and rectangular), transpose and identity', () => {
    expect(Array.from(linalg.matMul([1, 2, 3, 4], [5, 6, 7, 8], 2))).to.deep.equal([19, 22, 43, 50]);
    // [2, 3] x [3, 1]
    expect(Array.from(linalg.matMul([1, 2, 3, 4, 5, 6], [1, 0, -1], 2, 3, 1))).to.deep.equal([-2, -2]);
    expect(Array.from(linalg.transpose([1, 2, 3, 4, 5, 6], 2, 3))).to.deep.equal([1, 4, 2, 5, 3, 6]);
    expect(Array.from(linalg.identity(2))).to.deep.equal([1, 0, 0, 1]);
    expect(codeOf(() => linalg.matMul([1, 2, 3], [1, 2, 3, 4], 2))).to.equal(ErrorCodes.SHAPE_MISMATCH);
    expect(codeOf(() => linalg.identity(1.5))).to.equal(ErrorCodes.INVALID_ARGUMENT);
  });
});
