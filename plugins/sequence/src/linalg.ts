/**
 * The host linear algebra of the GPI rule now lives in @engram/core's `linalg`
 * namespace (one implementation for every plugin). These names stay exported
 * because they were part of this package's public API; new code should call
 * `linalg.*` from '@engram/core' directly.
 */
import { linalg } from '@engram/core';

/** A square row-major float64 matrix (core's `linalg.SquareMatrix`). */
export type SquareMatrix = linalg.SquareMatrix;
/** A symmetric eigendecomposition, eigenvalues ascending, eigenvectors as columns (core's `linalg.SymmetricEigen`). */
export type SymmetricEigen = linalg.SymmetricEigen;

/** Inverse by LU with partial pivoting: core's `linalg.inverse` (options `{ tolerance }`, default 1e-12). */
export const invertMatrix: typeof linalg.inverse = linalg.inverse;
/** Symmetric eigendecomposition (Householder + QL): core's `linalg.symmetricEigen`. */
export const symmetricEigen: typeof linalg.symmetricEigen = linalg.symmetricEigen;
/** Pseudo-inverse of a symmetric matrix with its rank: core's `linalg.symmetricPinv` (options `{ rcond }`). */
export const symmetricPinv: typeof linalg.symmetricPinv = linalg.symmetricPinv;
/** Product of row-major float64 matrices: core's `linalg.matMul`. */
export const matMul64: typeof linalg.matMul = linalg.matMul;
