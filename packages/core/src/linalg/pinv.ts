/**
 * The Moore-Penrose pseudo-inverse of a symmetric matrix from its
 * eigendecomposition: A = V diag(w) V^T gives A+ = V diag(w+) V^T with
 * w+_j = 1 / w_j for |w_j| > cutoff and 0 otherwise. For a symmetric positive
 * semi-definite matrix (a Gram or overlap matrix X X^T, a covariance) this is
 * also its SVD, so the result is THE pseudo-inverse; for an indefinite symmetric
 * matrix it is too (singular values are |w_j|).
 */
import { invalidArgument } from '../errors/factories.js';
import type { SquareMatrix } from './matrix.js';
import { symmetricEigen } from './symmetric-eigen.js';

/** Options of {@link symmetricPinv}. */
export interface PinvOptions {
  /**
   * Relative cutoff: eigenvalues with |w| <= rcond * max|w| count as zero. Default
   * 10 * n * 2^-52 (JAX's default; numpy's pinv(hermitian=True) uses 1e-15 fixed):
   * the eigenvalues of a rank-deficient matrix come out at about n * eps * ||A||
   * instead of 0, and inverting those would blow the result up.
   */
  rcond?: number;
  /** Allowed asymmetry relative to max |a| (default 1e-10), as in {@link symmetricEigen}. */
  symmetryTolerance?: number;
}

/**
 * Moore-Penrose pseudo-inverse A+ of the symmetric n x n matrix `a` (row-major),
 * with the numerical rank (eigenvalues kept). A+ satisfies A A+ A = A,
 * A+ A A+ = A+, and A A+, A+ A symmetric; it equals the inverse when A is
 * well-conditioned. The zero matrix gives the zero matrix (rank 0).
 * @throws as {@link symmetricEigen}; ENGRAM_ERR_INVALID_ARGUMENT for a bad rcond.
 */
export function symmetricPinv(a: ArrayLike<number>, n: number, options: PinvOptions = {}): SquareMatrix & { readonly rank: number } {
  const rcond = options.rcond ?? 10 * n * Number.EPSILON;
  if (!(rcond >= 0) || !Number.isFinite(rcond)) throw invalidArgument('rcond', 'a finite number >= 0', rcond);
  const eig = symmetricEigen(a, n, options.symmetryTolerance === undefined ? {} : { symmetryTolerance: options.symmetryTolerance });
  const { values, vectors } = eig;
  let top = 0;
  for (const w of values) top = Math.max(top, Math.abs(w));
  const cut = rcond * top;
  const inv = new Float64Array(n);
  let rank = 0;
  for (let j = 0; j < n; j++) {
    if (Math.abs(values[j]!) > cut) {
      inv[j] = 1 / values[j]!;
      rank++;
    }
  }
  // A+ = sum over kept j of v_j v_j^T / w_j (symmetric: fill one triangle, mirror).
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = i; k < n; k++) {
      let s = 0;
      for (let j = 0; j < n; j++) {
        const f = inv[j]!;
        if (f !== 0) s += vectors[i * n + j]! * f * vectors[k * n + j]!;
      }
      out[i * n + k] = s;
      out[k * n + i] = s;
    }
  }
  return { n, data: out, rank };
}
