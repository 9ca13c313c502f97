/**
 * The symmetric eigendecomposition A = V diag(w) V^T on the host, in float64
 * (tfjs has none): Householder reduction to tridiagonal form followed by the
 * implicit QL algorithm with shifts — the EISPACK tred2/tql2 pair, as in JAMA.
 * O(n^3) once (about 9 n^3 flops with vectors), backward stable: eigenvalues are
 * accurate to about eps * ||A||, eigenvectors orthonormal to about n * eps.
 */
import { invalidArgument } from '../errors/factories.js';
import { checkedSymmetric } from './validate.js';

/** Eigen-decomposition A = V diag(values) V^T of a symmetric matrix. */
export interface SymmetricEigen {
  /** Matrix size. */
  readonly n: number;
  /** Eigenvalues, ascending unless `order: 'descending'` was asked for. */
  readonly values: Float64Array;
  /**
   * Orthonormal eigenvectors as the COLUMNS of a row-major n x n matrix: the vector of
   * values[j] is (vectors[0 * n + j], vectors[1 * n + j], ..., vectors[(n-1) * n + j]).
   */
  readonly vectors: Float64Array;
  /** Iterations used: QL iterations for {@link symmetricEigen}, sweeps for {@link jacobiEigen}. */
  readonly iterations: number;
}

/** Options of {@link symmetricEigen}. */
export interface SymmetricEigenOptions {
  /** Order of the eigenvalues (and their vectors): 'ascending' (default, as LAPACK/numpy) or 'descending'. */
  order?: 'ascending' | 'descending';
  /** Allowed |a_ij - a_ji| relative to max |a| (default 1e-10); within it, A is symmetrised. */
  symmetryTolerance?: number;
}

/**
 * Eigenvalues and orthonormal eigenvectors of the symmetric n x n matrix `a`
 * (row-major; not modified) by Householder tridiagonalisation and implicit QL.
 *
 * @example
 * const { values, vectors } = linalg.symmetricEigen([2, 1, 1, 2], 2); // values [1, 3]
 * @throws ENGRAM_ERR_SHAPE_MISMATCH when `a` does not hold n * n numbers,
 *   ENGRAM_ERR_NON_FINITE on NaN/inf, ENGRAM_ERR_INVALID_ARGUMENT when `a` is not symmetric.
 */
export function symmetricEigen(a: ArrayLike<number>, n: number, options: SymmetricEigenOptions = {}): SymmetricEigen {
  const V = checkedSymmetric(a, n, 'matrix of symmetricEigen', options.symmetryTolerance).data;
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  tridiagonalize(V, d, e, n);
  const iterations = tridiagonalQl(V, d, e, n);
  return sortEigen(n, d, V, iterations, options.order ?? 'ascending');
}

/**
 * Eigenpairs (d[j], column j of V) sorted by eigenvalue. Internal: shared with the
 * Jacobi solver. Validates `order` because it arrives from untyped callers too.
 */
export function sortEigen(n: number, d: Float64Array, V: Float64Array, iterations: number, order: 'ascending' | 'descending'): SymmetricEigen {
  if (order !== 'ascending' && order !== 'descending') throw invalidArgument('order', "'ascending' or 'descending'", order);
  const sign = order === 'ascending' ? 1 : -1;
  const idx = Array.from({ length: n }, (_, i) => i).sort((i, j) => sign * (d[i]! - d[j]!));
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  idx.forEach((src, dst) => {
    values[dst] = d[src]!;
    for (let k = 0; k < n; k++) vectors[k * n + dst] = V[k * n + src]!;
  });
  return { n, values, vectors, iterations };
}

/** Householder reduction of V (in place) to tridiagonal form: diagonal d, sub-diagonal e; V accumulates the transform (tred2). */
function tridiagonalize(V: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) d[j] = V[(n - 1) * n + j]!;
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]!);
    if (scale === 0) {
      // Row already reduced: skip the reflection.
      e[i] = d[i - 1]!;
      for (let j = 0; j < i; j++) {
        d[j] = V[(i - 1) * n + j]!;
        V[i * n + j] = 0;
        V[j * n + i] = 0;
      }
    } else {
      // Scaled Householder vector (scaling avoids under/overflow in h).
      for (let k = 0; k < i; k++) {
        d[k] = d[k]! / scale;
        h += d[k]! * d[k]!;
      }
      let f = d[i - 1]!;
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      // Apply the similarity transformation to the remaining columns.
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        V[j * n + i] = f;
        g = e[j]! + V[j * n + j]! * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += V[k * n + j]! * d[k]!;
          e[k] = e[k]! + V[k * n + j]! * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] = e[j]! / h;
        f += e[j]! * d[j]!;
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] = e[j]! - hh * d[j]!;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        g = e[j]!;
        for (let k = j; k <= i - 1; k++) V[k * n + j] = V[k * n + j]! - (f * e[k]! + g * d[k]!);
        d[j] = V[(i - 1) * n + j]!;
        V[i * n + j] = 0;
      }
    }
    d[i] = h;
  }
  // Accumulate the transformations into V.
  for (let i = 0; i < n - 1; i++) {
    V[(n - 1) * n + i] = V[i * n + i]!;
    V[i * n + i] = 1;
    const h = d[i + 1]!;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = V[k * n + i + 1]! / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += V[k * n + i + 1]! * V[k * n + j]!;
        for (let k = 0; k <= i; k++) V[k * n + j] = V[k * n + j]! - g * d[k]!;
      }
    }
    for (let k = 0; k <= i; k++) V[k * n + i + 1] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = V[(n - 1) * n + j]!;
    V[(n - 1) * n + j] = 0;
  }
  V[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

/** Implicit QL with shifts on the tridiagonal (d, e), accumulating into V (tql2); returns the iteration count. */
function tridiagonalQl(V: Float64Array, d: Float64Array, e: Float64Array, n: number): number {
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  let iterations = 0;
  for (let l = 0; l < n; l++) {
    // Find a negligible sub-diagonal element to split the problem.
    tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]!) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      do {
        // 30 iterations per eigenvalue is the classic bound; 60 n is generous and only trips on broken input.
        if (++iterations > 60 * n) throw invalidArgument('matrix of symmetricEigen', 'one on which the QL iteration converges', 'no convergence');
        let g = d[l]!;
        let p = (d[l + 1]! - g) / (2 * e[l]!);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l]! / (p + r);
        d[l + 1] = e[l]! * (p + r);
        const dl1 = d[l + 1]!;
        let h = g - d[l]!;
        for (let i = l + 2; i < n; i++) d[i] = d[i]! - h;
        f += h;
        // Implicit QL transformation.
        p = d[m]!;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1]!;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i]!;
          h = c * p;
          r = Math.hypot(p, e[i]!);
          e[i + 1] = s * r;
          s = e[i]! / r;
          c = p / r;
          p = c * d[i]! - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]!);
          for (let k = 0; k < n; k++) {
            h = V[k * n + i + 1]!;
            V[k * n + i + 1] = s * V[k * n + i]! + c * h;
            V[k * n + i] = c * V[k * n + i]! - s * h;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]!) > eps * tst1);
    }
    d[l] = d[l]! + f;
    e[l] = 0;
  }
  return iterations;
}
