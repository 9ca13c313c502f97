/**
 * The symmetric eigendecomposition for the manifold-dimension estimate, in this
 * package's historical layout (eigenvalues DESCENDING, eigenvectors as ROWS),
 * on top of @engram/core's `linalg.symmetricEigen` (Householder + implicit QL,
 * float64; it replaced a private Jacobi solver). Core's own layout is ascending
 * with eigenvectors as columns; new code should use it directly.
 */
import { linalg } from '@engram/core';

/** Eigenvalues in descending order and the matching unit eigenvectors (row i of `vectors`, flat [d, d]). */
export interface SymmetricEigen {
  values: Float64Array;
  vectors: Float64Array;
  /** QL iterations used by core's solver. */
  iterations: number;
}

/**
 * Eigendecomposition A = V diag(w) V^T of a symmetric matrix given flat row-major
 * [d, d], eigenvalues descending, eigenvector r in row r of `vectors`. Throws
 * (coded EngramError) when A is not square, not finite or not symmetric (1e-8 relative).
 */
export function symmetricEigen(matrix: ArrayLike<number>, d: number): SymmetricEigen {
  // 1e-8: a covariance accumulated in float64 from float32 scores is symmetric to
  // rounding only when built by mirroring; callers that sum both triangles get ~1e-12.
  const e = linalg.symmetricEigen(matrix, d, { order: 'descending', symmetryTolerance: 1e-8 });
  return { values: e.values, vectors: linalg.transpose(e.vectors, d), iterations: e.iterations };
}
