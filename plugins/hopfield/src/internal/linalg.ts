/** Host linear algebra the tfjs API lacks (a small dense inverse). */
import { errors } from '@engram/core';

/**
 * Inverse of a symmetric positive-definite-ish n x n matrix (row-major) by
 * Gauss-Jordan elimination with partial pivoting, in float64.
 * @throws INVALID_ARGUMENT when the matrix is (numerically) singular.
 */
export function invert(a: Float64Array, n: number, what: string): Float64Array {
  const m = Float64Array.from(a);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  let scale = 0;
  for (const v of a) scale = Math.max(scale, Math.abs(v));
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r * n + c]!) > Math.abs(m[p * n + c]!)) p = r;
    const pivot = m[p * n + c]!;
    if (!(Math.abs(pivot) > 1e-10 * Math.max(scale, 1))) {
      throw errors.invalidArgument(what, 'linearly independent patterns (the pseudo-inverse rule inverts their overlap matrix)', 'a singular overlap matrix');
    }
    if (p !== c) {
      for (let j = 0; j < n; j++) {
        [m[c * n + j], m[p * n + j]] = [m[p * n + j]!, m[c * n + j]!];
        [inv[c * n + j], inv[p * n + j]] = [inv[p * n + j]!, inv[c * n + j]!];
      }
    }
    for (let j = 0; j < n; j++) {
      m[c * n + j]! /= pivot;
      inv[c * n + j]! /= pivot;
    }
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r * n + c]!;
      if (f === 0) continue;
      for (let j = 0; j < n; j++) {
        m[r * n + j]! -= f * m[c * n + j]!;
        inv[r * n + j]! -= f * inv[c * n + j]!;
      }
    }
  }
  return inv;
}
