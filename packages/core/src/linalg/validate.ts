/**
 * Input checks shared by the host linear-algebra routines. Internal: every public
 * routine validates through here so that bad input fails the same way everywhere
 * (shape -> SHAPE_MISMATCH, NaN/inf -> NON_FINITE, asymmetry -> INVALID_ARGUMENT).
 */
import { invalidArgument, nonFiniteInput, shapeMismatch } from '../errors/factories.js';

/** Throws unless `n` is a positive integer. */
export function checkSize(n: number, name = 'n'): void {
  if (!Number.isInteger(n) || n < 1) throw invalidArgument(name, 'a positive integer', n);
}

/**
 * A float64 copy of the row-major [rows, cols] array `a` after checking its length
 * and that every entry is finite. Returns the copy and its largest |entry|.
 */
export function checkedCopy(a: ArrayLike<number>, rows: number, cols: number, what: string): { data: Float64Array; scale: number } {
  checkSize(rows, `${what} rows`);
  checkSize(cols, `${what} columns`);
  if (a == null || typeof a.length !== 'number' || a.length !== rows * cols) {
    throw shapeMismatch(`${what} (row-major, ${rows * cols} numbers)`, [rows, cols], [a?.length ?? 0]);
  }
  const data = Float64Array.from(a);
  let scale = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!Number.isFinite(v)) throw nonFiniteInput(what);
    if (Math.abs(v) > scale) scale = Math.abs(v);
  }
  return { data, scale };
}

/** Default relative tolerance on |a_ij - a_ji| for "symmetric" (relative to max |a|). */
export const DEFAULT_SYMMETRY_TOLERANCE = 1e-10;

/**
 * A checked float64 copy of the square n x n matrix `a`, required symmetric to
 * `tolerance * max|a|` and then symmetrised exactly (the solvers read one triangle,
 * so a rounding-level asymmetry must not bias them).
 */
export function checkedSymmetric(a: ArrayLike<number>, n: number, what: string, tolerance = DEFAULT_SYMMETRY_TOLERANCE): { data: Float64Array; scale: number } {
  if (!(tolerance >= 0) || !Number.isFinite(tolerance)) throw invalidArgument('symmetryTolerance', 'a finite number >= 0', tolerance);
  const out = checkedCopy(a, n, n, what);
  const m = out.data;
  const limit = tolerance * Math.max(out.scale, Number.MIN_VALUE);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const x = m[i * n + j]!;
      const y = m[j * n + i]!;
      if (Math.abs(x - y) > limit) {
        throw invalidArgument(what, `a symmetric matrix (|a_ij - a_ji| <= ${tolerance} * max|a|; symmetrise it, e.g. (A + A^T) / 2)`, `a[${i}][${j}] = ${x} but a[${j}][${i}] = ${y}`);
      }
      const mean = 0.5 * (x + y);
      m[i * n + j] = mean;
      m[j * n + i] = mean;
    }
  }
  return out;
}
