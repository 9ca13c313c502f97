/**
 * Small dense linear algebra in float64 on the host, for the P x P pattern
 * overlap matrices of the generalized pseudoinverse rule. tfjs has neither
 * SVD nor a pseudo-inverse, and P is small (at most a few hundred), so an
 * O(P^3) host routine is both exact enough and cheap.
 */
import { errors } from '@engram/core';

/** A square row-major float64 matrix of size n x n. */
export interface SquareMatrix {
  readonly n: number;
  readonly data: Float64Array;
}

function square(a: ArrayLike<number>, n: number, what: string): Float64Array {
  if (!Number.isInteger(n) || n < 1) throw errors.invalidArgument(`${what} size`, 'a positive integer', n);
  if (a.length !== n * n) throw errors.shapeMismatch(what, [n, n], [a.length]);
  const out = Float64Array.from(a);
  for (const v of out) if (!Number.isFinite(v)) throw errors.nonFiniteInput(what);
  return out;
}

/**
 * Inverse of an n x n matrix by Gauss-Jordan elimination with partial
 * pivoting. Throws when a pivot falls below `tol` times the largest entry
 * (the matrix is singular to working precision): use {@link symmetricPinv} then.
 */
export function invertMatrix(a: ArrayLike<number>, n: number, tol = 1e-12): SquareMatrix {
  const m = square(a, n, 'matrix');
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  let scale = 0;
  for (const v of m) scale = Math.max(scale, Math.abs(v));
  if (scale === 0) throw errors.invalidArgument('matrix', 'an invertible matrix', 'the zero matrix');
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r * n + col]!) > Math.abs(m[piv * n + col]!)) piv = r;
    const p = m[piv * n + col]!;
    if (Math.abs(p) <= tol * scale) {
      throw errors.invalidArgument('matrix', 'an invertible matrix (it is singular to working precision; use symmetricPinv)', `pivot ${p} in column ${col}`);
    }
    if (piv !== col) {
      for (let k = 0; k < n; k++) {
        const i1 = col * n + k;
        const i2 = piv * n + k;
        [m[i1], m[i2]] = [m[i2]!, m[i1]!];
        [inv[i1], inv[i2]] = [inv[i2]!, inv[i1]!];
      }
    }
    for (let k = 0; k < n; k++) {
      m[col * n + k]! /= p;
      inv[col * n + k]! /= p;
    }
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = m[r * n + col]!;
      if (f === 0) continue;
      for (let k = 0; k < n; k++) {
        m[r * n + k]! -= f * m[col * n + k]!;
        inv[r * n + k]! -= f * inv[col * n + k]!;
      }
    }
  }
  return { n, data: inv };
}

/** Eigen-decomposition of a symmetric matrix: a = V diag(values) V^T, V's columns orthonormal. */
export interface SymmetricEigen {
  readonly values: Float64Array;
  /** Row-major n x n; column j is the eigenvector of values[j]. */
  readonly vectors: Float64Array;
}

/**
 * Eigenvalues and eigenvectors of a symmetric matrix by the cyclic Jacobi
 * method (rotations until the off-diagonal mass vanishes). Jacobi is slow
 * (O(n^3) per sweep, ~10 sweeps) but backward stable and accurate for small
 * eigenvalues, which is what a pseudo-inverse needs.
 */
export function symmetricEigen(a: ArrayLike<number>, n: number, maxSweeps = 60): SymmetricEigen {
  const m = square(a, n, 'symmetric matrix');
  let asym = 0;
  let norm = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    asym = Math.max(asym, Math.abs(m[i * n + j]! - m[j * n + i]!));
    norm = Math.max(norm, Math.abs(m[i * n + j]!));
  }
  if (asym > 1e-9 * Math.max(norm, 1e-300)) throw errors.invalidArgument('matrix', 'a symmetric matrix', `max |a - a^T| = ${asym}`);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < n; i++) {
      diag += m[i * n + i]! ** 2;
      for (let j = i + 1; j < n; j++) off += m[i * n + j]! ** 2;
    }
    if (off <= 1e-30 * Math.max(diag, 1e-300)) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q]!;
        if (apq === 0) continue;
        const app = m[p * n + p]!;
        const aqq = m[q * n + q]!;
        // Stable rotation angle (Golub & Van Loan, Alg. 8.4.1).
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = m[k * n + p]!;
          const akq = m[k * n + q]!;
          m[k * n + p] = c * akp - s * akq;
          m[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = m[p * n + k]!;
          const aqk = m[q * n + k]!;
          m[p * n + k] = c * apk - s * aqk;
          m[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = m[i * n + i]!;
  return { values, vectors: v };
}

/**
 * Moore-Penrose pseudo-inverse of a symmetric matrix (such as the overlap
 * matrix O = Xi Xi^T / N) from its eigen-decomposition: eigenvalues with
 * |lambda| <= rcond * max|lambda| are treated as zero, as numpy's
 * pinv(hermitian=True) does. Default rcond = 10 * n * 2^-52 (JAX's default).
 */
export function symmetricPinv(a: ArrayLike<number>, n: number, rcond?: number): SquareMatrix & { rank: number } {
  const { values, vectors } = symmetricEigen(a, n);
  const cut = (rcond ?? 10 * n * Number.EPSILON) * Math.max(...Array.from(values, Math.abs));
  const inv = new Float64Array(n);
  let rank = 0;
  for (let j = 0; j < n; j++) {
    if (Math.abs(values[j]!) > cut) {
      inv[j] = 1 / values[j]!;
      rank++;
    }
  }
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += vectors[i * n + j]! * inv[j]! * vectors[k * n + j]!;
      out[i * n + k] = s;
    }
  }
  return { n, data: out, rank };
}

/** Product of two n x n row-major matrices (float64), for checks. */
export function matMul64(a: ArrayLike<number>, b: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) {
    const aik = a[i * n + k]!;
    if (aik === 0) continue;
    for (let j = 0; j < n; j++) out[i * n + j]! += aik * b[k * n + j]!;
  }
  return out;
}
