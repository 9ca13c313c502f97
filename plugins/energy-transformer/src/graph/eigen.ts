/**
 * The symmetric eigensolvers now live in @engram/core's `linalg` namespace (one
 * implementation for every plugin). These names stay exported because they
 * were part of this package's public API; new code should call
 * `linalg.symmetricEigen` / `linalg.jacobiEigen` from '@engram/core'.
 */
import { linalg } from '@engram/core';

/** Eigenvalues ascending, eigenvectors as the columns of a row-major n x n matrix (core's `linalg.SymmetricEigen`). */
export type SymmetricEigen = linalg.SymmetricEigen;
/** Householder tridiagonalisation + implicit QL: core's `linalg.symmetricEigen`. */
export const symmetricEigen: typeof linalg.symmetricEigen = linalg.symmetricEigen;
/** Cyclic Jacobi with the threshold strategy: core's `linalg.jacobiEigen`. */
export const jacobiEigen: typeof linalg.jacobiEigen = linalg.jacobiEigen;
