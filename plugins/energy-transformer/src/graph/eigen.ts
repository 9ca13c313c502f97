/**
 * Symmetric eigensolvers on the host, in float64 (tfjs has none):
 *
 * - {@link symmetricEigen}: Householder reduction to tridiagonal form followed by
 *   the implicit QL algorithm with Wilkinson-type shifts (the EISPACK tred2/tql2
 *   pair, as in JAMA): O(n^3) once, backward stable. The default.
 * - {@link jacobiEigen}: the cyclic Jacobi method with the threshold strategy;
 *   slower (O(n^3) per sweep, 6-15 sweeps) but simple and very accurate, used to
 *   cross-check the first in the tests.
 */
import { errors } from '@engram/core';

/** Eigen-decomposition of a symmetric matrix, eigenvalues ascending. */
export interface SymmetricEigen {
  n: number;
  /** Eigenvalues, ascending. */
  values: Float64Array;
  /** Eigenvectors as columns of a row-major n x n matrix: vector j is vectors[i * n + j] over i. */
  vectors: Float64Array;
  /** Jacobi sweeps used. */
  sweeps: number;
}

/**
 * Eigenvalues and orthonormal eigenvectors of the symmetric n x n matrix `a`
 * (row-major; not modified). Throws when `a` is not square, not finite or not
 * symmetric (relative tolerance 1e-10).
 */
export function jacobiEigen(a: ArrayLike<number>, n: number, options: { maxSweeps?: number; tolerance?: number } = {}): SymmetricEigen {
  const A = checkedCopy(a, n);
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  const tol = options.tolerance ?? 1e-14;
  const maxSweeps = options.maxSweeps ?? 100;
  let sweeps = 0;
  for (; sweeps < maxSweeps; sweeps++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < n; i++) {
      diag += A[i * n + i]! * A[i * n + i]!;
      for (let j = i + 1; j < n; j++) off += A[i * n + j]! * A[i * n + j]!;
    }
    if (off <= tol * tol * Math.max(diag + 2 * off, 1e-300)) break;
    // Threshold: skip tiny elements in early sweeps (classic Jacobi strategy).
    const threshold = sweeps < 3 ? (0.2 * Math.sqrt(off)) / (n * n) : 0;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = A[p * n + q]!;
        if (Math.abs(apq) <= threshold || apq === 0) continue;
        const app = A[p * n + p]!;
        const aqq = A[q * n + q]!;
        // Rotation angle: t = tan(theta) from cot(2 theta) = (aqq - app) / (2 apq), smaller root.
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          // A <- J^T A J on rows/columns p and q.
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
  return sorted(n, d, V, sweeps);
}

/** Copies a row-major n x n matrix to float64 after checking size, finiteness and symmetry. */
function checkedCopy(a: ArrayLike<number>, n: number): Float64Array {
  if (!Number.isInteger(n) || n < 1 || a.length !== n * n) throw errors.invalidArgument('matrix', `a row-major ${n} x ${n} array (${n * n} numbers)`, a.length);
  const A = Float64Array.from(a);
  let scale = 0;
  for (let i = 0; i < A.length; i++) {
    if (!Number.isFinite(A[i]!)) throw errors.nonFiniteInput('matrix');
    scale = Math.max(scale, Math.abs(A[i]!));
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (Math.abs(A[i * n + j]! - A[j * n + i]!) > 1e-10 * Math.max(scale, 1e-300)) {
        throw errors.invalidArgument('matrix', 'symmetric', `a[${i}][${j}] = ${A[i * n + j]} but a[${j}][${i}] = ${A[j * n + i]}`);
      }
    }
  }
  return A;
}

/** Eigenpairs sorted by ascending eigenvalue. */
function sorted(n: number, d: Float64Array, V: Float64Array, sweeps: number): SymmetricEigen {
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => d[i]! - d[j]!);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((src, dst) => {
    values[dst] = d[src]!;
    for (let k = 0; k < n; k++) vectors[k * n + dst] = V[k * n + src]!;
  });
  return { n, values, vectors, sweeps };
}

/**
 * Eigenvalues (ascending) and orthonormal eigenvectors of the symmetric n x n
 * matrix `a` (row-major; not modified), by Householder tridiagonalisation and
 * implicit QL. Throws when `a` is not square, not finite or not symmetric.
 * `sweeps` reports the total number of QL iterations.
 */
export function symmetricEigen(a: ArrayLike<number>, n: number): SymmetricEigen {
  const V = checkedCopy(a, n);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  tridiagonalize(V, d, e, n);
  const iterations = tridiagonalQl(V, d, e, n);
  return sorted(n, d, V, iterations);
}

/** Householder reduction of V (in place) to tridiagonal form: diagonal d, sub-diagonal e; V accumulates the transform. */
function tridiagonalize(V: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) d[j] = V[(n - 1) * n + j]!;
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]!);
    if (scale === 0) {
      e[i] = d[i - 1]!;
      for (let j = 0; j < i; j++) {
        d[j] = V[(i - 1) * n + j]!;
        V[i * n + j] = 0;
        V[j * n + i] = 0;
      }
    } else {
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
  // Accumulate the transformations.
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

/** Implicit QL on the tridiagonal (d, e), accumulating into V; returns the iteration count. */
function tridiagonalQl(V: Float64Array, d: Float64Array, e: Float64Array, n: number): number {
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  let iterations = 0;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]!) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      do {
        if (++iterations > 60 * n) throw errors.invalidArgument('matrix', 'one on which the QL iteration converges', 'no convergence');
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
