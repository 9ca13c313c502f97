/**
 * Linear systems and inverses of small dense matrices on the host, in float64:
 * LU factorisation with partial (row) pivoting, P A = L U. Partial pivoting keeps
 * the multipliers |l_ij| <= 1, which makes the elimination backward stable in
 * practice; a pivot below `tolerance * max|A|` means A is singular to working
 * precision and is reported rather than divided by.
 */
import { invalidArgument } from '../errors/factories.js';
import type { SquareMatrix } from './matrix.js';
import { checkedCopy } from './validate.js';

/** Options of {@link solve} and {@link inverse}. */
export interface InverseOptions {
  /** A pivot |u_kk| <= tolerance * max|A| counts as zero, i.e. A is singular (default 1e-12). */
  tolerance?: number;
}

/** The LU factors of P A packed in one array (unit-lower L below the diagonal, U on and above) and the row order. */
interface LuFactors {
  lu: Float64Array;
  perm: Int32Array;
}

function luFactor(a: ArrayLike<number>, n: number, tolerance: number): LuFactors {
  if (!(tolerance >= 0) || !Number.isFinite(tolerance)) throw invalidArgument('tolerance', 'a finite number >= 0', tolerance);
  const { data: lu, scale } = checkedCopy(a, n, n, 'matrix');
  if (scale === 0) throw invalidArgument('matrix', 'an invertible matrix (it is singular: use linalg.symmetricPinv for a pseudo-inverse)', 'the zero matrix');
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(lu[r * n + col]!) > Math.abs(lu[piv * n + col]!)) piv = r;
    const p = lu[piv * n + col]!;
    if (Math.abs(p) <= tolerance * scale) {
      throw invalidArgument(
        'matrix',
        'an invertible matrix (it is singular to working precision: use linalg.symmetricPinv for a pseudo-inverse)',
        `pivot ${p} in column ${col}`,
      );
    }
    if (piv !== col) {
      for (let k = 0; k < n; k++) {
        const t = lu[col * n + k]!;
        lu[col * n + k] = lu[piv * n + k]!;
        lu[piv * n + k] = t;
      }
      const t = perm[col]!;
      perm[col] = perm[piv]!;
      perm[piv] = t;
    }
    for (let r = col + 1; r < n; r++) {
      const f = (lu[r * n + col]! /= p);
      if (f === 0) continue;
      for (let k = col + 1; k < n; k++) lu[r * n + k]! -= f * lu[col * n + k]!;
    }
  }
  return { lu, perm };
}

/**
 * Solves A X = B for X, with A square n x n and B row-major [n, columns] (default
 * one column: B is a vector of length n). Returns X in the layout of B.
 * @throws ENGRAM_ERR_INVALID_ARGUMENT when A is singular to working precision,
 *   ENGRAM_ERR_SHAPE_MISMATCH on wrong lengths, ENGRAM_ERR_NON_FINITE on NaN/inf.
 */
export function solve(a: ArrayLike<number>, b: ArrayLike<number>, n: number, columns = 1, options: InverseOptions = {}): Float64Array {
  const { lu, perm } = luFactor(a, n, options.tolerance ?? 1e-12);
  const B = checkedCopy(b, n, columns, 'right-hand side').data;
  const x = new Float64Array(n * columns);
  for (let i = 0; i < n; i++) for (let c = 0; c < columns; c++) x[i * columns + c] = B[perm[i]! * columns + c]!;
  // Forward substitution with the unit-lower L, then back substitution with U.
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < i; k++) {
      const l = lu[i * n + k]!;
      if (l === 0) continue;
      for (let c = 0; c < columns; c++) x[i * columns + c]! -= l * x[k * columns + c]!;
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) {
      const u = lu[i * n + k]!;
      if (u === 0) continue;
      for (let c = 0; c < columns; c++) x[i * columns + c]! -= u * x[k * columns + c]!;
    }
    const d = lu[i * n + i]!;
    for (let c = 0; c < columns; c++) x[i * columns + c]! /= d;
  }
  return x;
}

/**
 * The inverse of the n x n matrix `a` (row-major), by LU with partial pivoting.
 * For a singular or rank-deficient symmetric matrix use {@link symmetricPinv}.
 * @throws as {@link solve}; the singular case's message contains "singular".
 */
export function inverse(a: ArrayLike<number>, n: number, options: InverseOptions = {}): SquareMatrix {
  const eye = new Float64Array(n * n);
  if (Number.isInteger(n) && n > 0) for (let i = 0; i < n; i++) eye[i * n + i] = 1;
  return { n, data: solve(a, eye, n, n, options) };
}
