/**
 * The cyclic Jacobi eigensolver (Golub & Van Loan, Matrix Computations, sec. 8.5)
 * with the classic threshold strategy. Slower than {@link symmetricEigen}
 * (O(n^3) per sweep, 6-15 sweeps) but simple and, for graded positive definite
 * matrices, accurate in the small eigenvalues to RELATIVE precision (Demmel &
 * Veselic 1992) — the reason to pick it. Also an independent cross-check of the
 * QL solver in the tests.
 */
import { invalidArgument } from '../errors/factories.js';
import { sortEigen, type SymmetricEigen, type SymmetricEigenOptions } from './symmetric-eigen.js';
import { checkedSymmetric } from './validate.js';

/** Options of {@link jacobiEigen}. */
export interface JacobiEigenOptions extends SymmetricEigenOptions {
  /** Maximum number of sweeps (default 100; typically 6-15 are used). */
  maxSweeps?: number;
  /** Stop when the off-diagonal norm is below tolerance * ||A||_F (default 1e-14). */
  tolerance?: number;
}

/**
 * Eigenvalues and orthonormal eigenvectors (columns) of the symmetric n x n matrix
 * `a` (row-major; not modified) by cyclic Jacobi rotations. Same result layout as
 * {@link symmetricEigen}; `iterations` counts sweeps.
 * @throws as {@link symmetricEigen}.
 */
export function jacobiEigen(a: ArrayLike<number>, n: number, options: JacobiEigenOptions = {}): SymmetricEigen {
  const maxSweeps = options.maxSweeps ?? 100;
  const tol = options.tolerance ?? 1e-14;
  if (!Number.isInteger(maxSweeps) || maxSweeps < 1) throw invalidArgument('maxSweeps', 'a positive integer', maxSweeps);
  if (!(tol > 0) || !Number.isFinite(tol)) throw invalidArgument('tolerance', 'a finite number > 0', tol);
  const A = checkedSymmetric(a, n, 'matrix of jacobiEigen', options.symmetryTolerance).data;
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  let sweeps = 0;
  for (; sweeps < maxSweeps; sweeps++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < n; i++) {
      diag += A[i * n + i]! * A[i * n + i]!;
      for (let j = i + 1; j < n; j++) off += A[i * n + j]! * A[i * n + j]!;
    }
    if (off <= tol * tol * Math.max(diag + 2 * off, Number.MIN_VALUE)) break;
    // Threshold: skip tiny elements in the first sweeps (they would be rotated again anyway).
    const threshold = sweeps < 3 ? (0.2 * Math.sqrt(off)) / (n * n) : 0;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = A[p * n + q]!;
        if (apq === 0 || Math.abs(apq) <= threshold) continue;
        const app = A[p * n + p]!;
        const aqq = A[q * n + q]!;
        // t = tan(theta) from cot(2 theta) = (aqq - app) / (2 apq), the smaller root for stability.
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        // A <- J^T A J on rows/columns p and q.
        for (let k = 0; k < n; k++) {
          const akp = A[k * n + p]!;
          const akq = A[k * n + q]!;
          A[k * n + p] = c * akp - s * akq;
          A[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = A[p * n + k]!;
          const aqk = A[q * n + k]!;
          A[p * n + k] = c * apk - s * aqk;
          A[q * n + k] = s * apk + c * aqk;
        }
        A[p * n + q] = 0;
        A[q * n + p] = 0;
        for (let k = 0; k < n; k++) {
          const vkp = V[k * n + p]!;
          const vkq = V[k * n + q]!;
          V[k * n + p] = c * vkp - s * vkq;
          V[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = A[i * n + i]!;
  return sortEigen(n, d, V, sweeps, options.order ?? 'ascending');
}
