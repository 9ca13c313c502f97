/**
 * A symmetric eigensolver on host in float64: cyclic Jacobi rotations (Golub & Van
 * Loan, Matrix Computations, sec. 8.5). Quadratically convergent and accurate to
 * machine precision for the small covariance matrices (d <= a few hundred) the
 * manifold-dimension estimate needs; tfjs has no eigendecomposition.
 */
import { errors } from '@engram/core';

/** Eigenvalues in descending order and the matching unit eigenvectors (row i of `vectors`, flat [d, d]). */
export interface SymmetricEigen {
  values: Float64Array;
  vectors: Float64Array;
  /** Number of Jacobi sweeps used. */
  sweeps: number;
}

/**
 * Eigendecomposition A = V diag(w) V^T of a symmetric matrix given flat row-major
 * [d, d]. Throws when A is not square, not finite or not symmetric (to 1e-8 relative).
 */
export function symmetricEigen(matrix: ArrayLike<number>, d: number, opts: { maxSweeps?: number } = {}): SymmetricEigen {
  if (!Number.isInteger(d) || d < 1) throw errors.invalidArgument('d', 'a positive integer', d);
  if (matrix.length !== d * d) throw errors.shapeMismatch('matrix', [d, d], [matrix.length]);
  const a = Float64Array.from(matrix);
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i]!)) throw errors.nonFiniteInput('matrix of symmetricEigen');
    scale = Math.max(scale, Math.abs(a[i]!));
  }
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      if (Math.abs(a[i * d + j]! - a[j * d + i]!) > 1e-8 * Math.max(scale, 1e-300)) {
        throw errors.invalidArgument('matrix', 'a symmetric matrix', `A[${i}][${j}] = ${a[i * d + j]} but A[${j}][${i}] = ${a[j * d + i]}`);
      }
      const m = 0.5 * (a[i * d + j]! + a[j * d + i]!);
      a[i * d + j] = m;
      a[j * d + i] = m;
    }
  }
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  const maxSweeps = opts.maxSweeps ?? 100;
  let sweeps = 0;
  for (; sweeps < maxSweeps; sweeps++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < d; i++) {
      diag += a[i * d + i]! ** 2;
      for (let j = i + 1; j < d; j++) off += a[i * d + j]! ** 2;
    }
    if (off <= 1e-30 * Math.max(diag, 1e-300) || off === 0) break;
    for (let p = 0; p < d - 1; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = a[p * d + q]!;
        if (apq === 0) continue;
        const app = a[p * d + p]!;
        const aqq = a[q * d + q]!;
        // Rotation angle zeroing A[p][q]: t = tan(theta), the smaller root for stability.
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          // Columns p and q.
          const akp = a[k * d + p]!;
          const akq = a[k * d + q]!;
          a[k * d + p] = c * akp - s * akq;
          a[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          // Rows p and q.
          const apk = a[p * d + k]!;
          const aqk = a[q * d + k]!;
          a[p * d + k] = c * apk - s * aqk;
          a[q * d + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = v[k * d + p]!;
          const vkq = v[k * d + q]!;
          v[k * d + p] = c * vkp - s * vkq;
          v[k * d + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  // Column j of v is the eigenvector of a[j][j]; sort descending and return as rows.
  const order = Array.from({ length: d }, (_, i) => i).sort((x, y) => a[y * d + y]! - a[x * d + x]!);
  const values = new Float64Array(d);
  const vectors = new Float64Array(d * d);
  order.forEach((j, r) => {
    values[r] = a[j * d + j]!;
    for (let k = 0; k < d; k++) vectors[r * d + k] = v[k * d + j]!;
  });
  return { values, vectors, sweeps };
}
