/** Test helpers for the linalg tests: seeded matrices and residual norms (float64). */
import { rng } from '../helpers.js';

/** A random symmetric n x n matrix with entries in [-1, 1) (seeded). */
export function randomSymmetric(n: number, seed: number): Float64Array {
  const r = rng(seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) a[i * n + j] = a[j * n + i] = 2 * r() - 1;
  return a;
}

/** A random general n x n matrix with entries in [-1, 1) (seeded). */
export function randomMatrix(rows: number, cols: number, seed: number): Float64Array {
  const r = rng(seed);
  return Float64Array.from({ length: rows * cols }, () => 2 * r() - 1);
}

/** The Hilbert matrix H_ij = 1 / (i + j + 1). */
export function hilbert(n: number): Float64Array {
  return Float64Array.from({ length: n * n }, (_, k) => 1 / (Math.floor(k / n) + (k % n) + 1));
}

/** Exact inverse of the Hilbert matrix (integers), from the closed form. */
export function hilbertInverse(n: number): Float64Array {
  const binom = (a: number, b: number): number => {
    let r = 1;
    for (let i = 1; i <= b; i++) r = (r * (a - b + i)) / i;
    return Math.round(r);
  };
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const s = (i + j) % 2 === 0 ? 1 : -1;
      out[i * n + j] = s * (i + j + 1) * binom(n + i, n - j - 1) * binom(n + j, n - i - 1) * binom(i + j, i) ** 2;
    }
  }
  return out;
}

/** max |a - b| over entries. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** max |A V - V diag(w)| and max |V^T V - I| for eigenvectors stored as columns. */
export function eigenResiduals(a: ArrayLike<number>, n: number, values: ArrayLike<number>, vectors: ArrayLike<number>): { eig: number; orth: number } {
  let eig = 0;
  let orth = 0;
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += a[i * n + k]! * vectors[k * n + j]!;
      eig = Math.max(eig, Math.abs(s - values[j]! * vectors[i * n + j]!));
    }
    for (let l = 0; l < n; l++) {
      let d = 0;
      for (let k = 0; k < n; k++) d += vectors[k * n + j]! * vectors[k * n + l]!;
      orth = Math.max(orth, Math.abs(d - (j === l ? 1 : 0)));
    }
  }
  return { eig, orth };
}
