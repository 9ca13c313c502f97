import { expect } from 'chai';
import { EngramError, ErrorCodes } from '@engram/core';
import { binaryPatterns } from '@engram/data';
import { invertMatrix, matMul64, symmetricEigen, symmetricPinv } from '../src/index.js';

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol: number): void {
  expect(a.length).to.equal(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!), `entry ${i}: ${a[i]} vs ${b[i]}`).to.be.at.most(tol);
}

const eye = (n: number): Float64Array => {
  const e = new Float64Array(n * n);
  for (let i = 0; i < n; i++) e[i * n + i] = 1;
  return e;
};

/** O = Xi Xi^T / N of random +-1 patterns (P(+1) = bias). */
function overlapMatrix(p: number, n: number, seed: number, bias = 0.5): Float64Array {
  const xi = binaryPatterns({ count: p, dim: n, seed, bias }).data;
  const o = new Float64Array(p * p);
  for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += xi[a * n + i]! * xi[b * n + i]!;
    o[a * p + b] = s / n;
  }
  return o;
}

describe('host linear algebra for the pseudoinverse rule', () => {
  it('inverts a 2x2 matrix exactly', () => {
    close(invertMatrix([4, 7, 2, 6], 2).data, [0.6, -0.7, -0.2, 0.4], 1e-15);
  });

  it('inverts the 4x4 Hilbert matrix to its known integer inverse (pivoting, ill-conditioned)', () => {
    const h = Array.from({ length: 16 }, (_, k) => 1 / (Math.floor(k / 4) + (k % 4) + 1));
    const known = [16, -120, 240, -140, -120, 1200, -2700, 1680, 240, -2700, 6480, -4200, -140, 1680, -4200, 2800];
    close(invertMatrix(h, 4).data, known, 1e-8);
  });

  it('needs pivoting: [[0, 1], [1, 0]] is its own inverse', () => {
    close(invertMatrix([0, 1, 1, 0], 2).data, [0, 1, 1, 0], 0);
  });

  it('rejects singular, non-square and non-finite input with coded errors', () => {
    expect(() => invertMatrix([1, 2, 2, 4], 2)).to.throw(EngramError, /singular/);
    expect(() => invertMatrix([1, 2, 3], 2)).to.throw(EngramError).with.property('code', ErrorCodes.SHAPE_MISMATCH);
    expect(() => invertMatrix([1, NaN, 0, 1], 2)).to.throw(EngramError).with.property('code', ErrorCodes.NON_FINITE);
    expect(() => symmetricEigen([1, 2, 3, 4], 2)).to.throw(EngramError, /symmetric/);
  });

  it('eigen-decomposes a symmetric matrix: V diag(l) V^T = A, V orthonormal, known eigenvalues', () => {
    const a = [2, -1, 0, -1, 2, -1, 0, -1, 2];
    const { values, vectors } = symmetricEigen(a, 3);
    const sorted = Array.from(values).sort((x, y) => x - y);
    close(sorted, [2 - Math.SQRT2, 2, 2 + Math.SQRT2], 1e-13);
    const vt = new Float64Array(9);
    const vd = new Float64Array(9);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
      vt[i * 3 + j] = vectors[j * 3 + i]!;
      vd[i * 3 + j] = vectors[i * 3 + j]! * values[j]!;
    }
    close(matMul64(vd, vt, 3), a, 1e-13);
    close(matMul64(vt, vectors, 3), eye(3), 1e-13);
  });

  it('pinv equals the inverse of a full-rank overlap matrix (biased patterns, P = 40 < N = 100)', () => {
    const o = overlapMatrix(40, 100, 3, 0.75);
    const p = symmetricPinv(o, 40);
    expect(p.rank).to.equal(40);
    close(p.data, invertMatrix(o, 40).data, 1e-8);
    close(matMul64(o, p.data, 40), eye(40), 1e-9);
  });

  it('pinv of a rank-deficient overlap matrix (P = 30 > N = 20) satisfies the four Moore-Penrose conditions', () => {
    const n = 30;
    const a = overlapMatrix(n, 20, 4);
    const p = symmetricPinv(a, n);
    expect(p.rank).to.equal(20);
    const ap = matMul64(a, p.data, n);
    const pa = matMul64(p.data, a, n);
    close(matMul64(ap, a, n), a, 1e-9); // A A+ A = A
    close(matMul64(pa, p.data, n), p.data, 1e-9); // A+ A A+ = A+
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      expect(Math.abs(ap[i * n + j]! - ap[j * n + i]!)).to.be.lessThan(1e-10); // (A A+)^T = A A+
      expect(Math.abs(pa[i * n + j]! - pa[j * n + i]!)).to.be.lessThan(1e-10);
    }
    expect(() => invertMatrix(a, n)).to.throw(/singular/);
  });

  it('pinv of the zero matrix is zero (rank 0)', () => {
    const p = symmetricPinv([0, 0, 0, 0], 2);
    expect(p.rank).to.equal(0);
    close(p.data, [0, 0, 0, 0], 0);
  });
});
