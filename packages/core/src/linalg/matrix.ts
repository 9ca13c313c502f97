/**
 * Small dense float64 helpers on row-major host arrays: identity, product,
 * transpose. For the O(n^3) host routines of this module and their checks, not
 * for hot paths (those belong on the tensor backend).
 */
import { checkedCopy, checkSize } from './validate.js';

/** A square row-major float64 matrix of size n x n. */
export interface SquareMatrix {
  /** Number of rows (and columns). */
  readonly n: number;
  /** Row-major entries, length n * n. */
  readonly data: Float64Array;
}

/** The n x n identity, row-major. */
export function identity(n: number): Float64Array {
  checkSize(n);
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) out[i * n + i] = 1;
  return out;
}

/**
 * The product A B of row-major A [rows, inner] and B [inner, cols], in float64.
 * With only `rows` given, both are square rows x rows.
 * @throws ENGRAM_ERR_SHAPE_MISMATCH when a length does not match, ENGRAM_ERR_NON_FINITE on NaN/inf.
 */
export function matMul(a: ArrayLike<number>, b: ArrayLike<number>, rows: number, inner: number = rows, cols: number = rows): Float64Array {
  const A = checkedCopy(a, rows, inner, 'left factor').data;
  const B = checkedCopy(b, inner, cols, 'right factor').data;
  const out = new Float64Array(rows * cols);
  // i-k-j order: the inner loop runs along contiguous rows of B and of the result.
  for (let i = 0; i < rows; i++) {
    for (let k = 0; k < inner; k++) {
      const aik = A[i * inner + k]!;
      if (aik === 0) continue;
      for (let j = 0; j < cols; j++) out[i * cols + j]! += aik * B[k * cols + j]!;
    }
  }
  return out;
}

/** The transpose [cols, rows] of the row-major [rows, cols] array `a` (cols defaults to rows). */
export function transpose(a: ArrayLike<number>, rows: number, cols: number = rows): Float64Array {
  const A = checkedCopy(a, rows, cols, 'matrix').data;
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = A[i * cols + j]!;
  return out;
}
