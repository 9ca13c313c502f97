/**
 * Small dense float64 linear algebra on the host (row-major arrays), for the
 * things tfjs lacks: symmetric eigendecomposition, inverse / solve, the
 * pseudo-inverse of a symmetric matrix. O(n^3) routines meant for n up to a few
 * hundred (overlap, covariance and Laplacian matrices), exported from
 * '@engram/core' as the `linalg` namespace.
 *
 * @example
 * import { linalg } from '@engram/core';
 * const { values, vectors } = linalg.symmetricEigen(cov, d, { order: 'descending' });
 * const { data: pinv, rank } = linalg.symmetricPinv(overlap, p);
 *
 * @module
 */
export { identity, matMul, transpose, type SquareMatrix } from './matrix.js';
export { symmetricEigen, type SymmetricEigen, type SymmetricEigenOptions } from './symmetric-eigen.js';
export { jacobiEigen, type JacobiEigenOptions } from './jacobi-eigen.js';
export { inverse, solve, type InverseOptions } from './inverse.js';
export { symmetricPinv, type PinvOptions } from './pinv.js';
