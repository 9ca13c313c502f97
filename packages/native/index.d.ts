/**
 * The addon's functions. Offsets are BYTE offsets into `heap` (the wasm
 * module's memory buffer, re-read after any allocation: growing the memory
 * detaches the old buffer); every range is bounds-checked (a RangeError, never
 * a wild write). Matrices are row-major float32 with leading dimensions.
 */
export interface NativeBinding {
  open(candidates: string[]): { ok: boolean; cpus: number; path?: string; corename?: string; config?: string; threads?: number; error?: string };
  setEnvDefault(name: string, value: string): boolean;
  /** C = alpha op(A) op(B) + beta C; `threads` > 0 sets OpenBLAS's thread count first. */
  sgemm(heap: ArrayBuffer, transposeA: boolean, transposeB: boolean, m: number, n: number, k: number, alpha: number, aOffset: number, lda: number, bOffset: number, ldb: number, beta: number, cOffset: number, ldc: number, threads: number): void;
  /** One product per (a, b, c) triple of byte offsets, split over `lanes` threads (OpenBLAS single-threaded meanwhile, its count restored after). */
  sgemmBatch(heap: ArrayBuffer, transposeA: boolean, transposeB: boolean, m: number, n: number, k: number, alpha: number, offsets: Float64Array, lda: number, ldb: number, beta: number, ldc: number, lanes: number): void;
  setBlasThreads(threads: number): void;
  getBlasThreads(): number;
  /** op 0 exp, 1 log, 2 neg, 3 relu, 4 square, 5 sqrt; n floats from inOffset to outOffset (may be equal). */
  unary(op: number, heap: ArrayBuffer, inOffset: number, outOffset: number, n: number): void;
  /** op 0 add, 1 sub, 2 mul, 3 div, 4 ReLU's gradient a * step(b); counts n, 1, or a period of n (the operand repeats along leading dims). */
  binary(op: number, heap: ArrayBuffer, aOffset: number, aCount: number, bOffset: number, bCount: number, outOffset: number, n: number): void;
  /** Softmax over `rows` contiguous rows of `cols` floats. */
  softmax(heap: ArrayBuffer, inOffset: number, outOffset: number, rows: number, cols: number): void;
  /** Softmax's gradient from its output over `rows` contiguous rows of `cols` floats: dx = dy y - (sum of the row's dy y) y. */
  softmaxGradRows(heap: ArrayBuffer, dyOffset: number, yOffset: number, outOffset: number, rows: number, cols: number): void;
  /** op 0 sum, 1 max, 2 min, 3 mean over each of `rows` contiguous rows of `cols` floats (max and min propagate NaN). */
  reduceRows(op: number, heap: ArrayBuffer, inOffset: number, outOffset: number, rows: number, cols: number): void;
  /** y[r, c] = full[r, c] OP row[r] (row[r] OP full[r, c] when rowFirst is 1); op as in `binary`. */
  binaryRows(op: number, heap: ArrayBuffer, fullOffset: number, rowOffset: number, outOffset: number, rows: number, cols: number, rowFirst: number): void;
  /** y[r] = log(sum(exp(row r))) over `rows` contiguous rows of `cols` floats (max-shifted; NaN, +inf or an all -inf row give NaN). */
  logSumExpRows(heap: ArrayBuffer, inOffset: number, outOffset: number, rows: number, cols: number): void;
  /** Row layer norm of `rows` rows of `cols` floats: y = (x - mean) / sqrt(var + eps) (biased variance), rstd[r] = 1 / sqrt(var + eps). */
  layerNormRows(heap: ArrayBuffer, inOffset: number, outOffset: number, rstdOffset: number, rows: number, cols: number, eps: number): void;
  /** Layer norm's gradient per row from its output y and rstd: dx = rstd ((dy - mean dy) - y mean(dy y)). */
  layerNormGradRows(heap: ArrayBuffer, dyOffset: number, yOffset: number, rstdOffset: number, outOffset: number, rows: number, cols: number): void;
  /** Each row's softmax into outOffset and its log-sum-exp into lseOffset, from one max and sum (the bits of softmax and logSumExpRows; out must not be the input). */
  softmaxLseRows(heap: ArrayBuffer, inOffset: number, outOffset: number, lseOffset: number, rows: number, cols: number): void;
  /** The log-sum-exp's gradient: dx[r, c] = softmax(x[r])[c] dy[r] (dx must not be x). */
  lseGradRows(heap: ArrayBuffer, xOffset: number, dyOffset: number, outOffset: number, rows: number, cols: number): void;
  /** out = a x + b y over n floats (out may be x or y). */
  axpby(heap: ArrayBuffer, a: number, xOffset: number, b: number, yOffset: number, outOffset: number, n: number): void;
  /** out[0] = max |a - b| (NaN propagating), out[1] = sum (a - b), over n floats. */
  diffStats(heap: ArrayBuffer, aOffset: number, bOffset: number, outOffset: number, n: number): void;
  /** madvise(MADV_HUGEPAGE) over the whole 2 MiB pages of [buffer, buffer + max(bytes, its length)), the buffer alone if that range is not all mapped; returns the bytes advised. */
  adviseHugePages(buffer: ArrayBuffer, bytes: number): number;
  /**
   * Attention pulls per (sample b, head h) of token-major q, k [B*N, H*Y] (head h of sample b is the N x Y
   * matrix at b*N*H*Y + h*Y, leading dimension H*Y): S = scale Q K^T (+ mask [maskBatch, N, N], maskOffset -1
   * for none), P = softmax(S) by rows, lse = log sum exp(S) by rows [B, H, N] (lseOffset -1: not computed); pullQ = P K, pullK = P^T Q,
   * token-major. Split over `lanes` (OpenBLAS single-threaded meanwhile).
   */
  headAttention(heap: ArrayBuffer, qOffset: number, kOffset: number, maskOffset: number, maskBatch: number, pullQOffset: number, pullKOffset: number, lseOffset: number, B: number, N: number, H: number, Y: number, scale: number, lanes: number): void;
  /** dq, dk of headAttention's outputs given dPullQ, dPullK and dLse (dLseOffset -1: none); S and P are recomputed. */
  headAttentionGrad(heap: ArrayBuffer, qOffset: number, kOffset: number, maskOffset: number, maskBatch: number, dPullQOffset: number, dPullKOffset: number, dLseOffset: number, dqOffset: number, dkOffset: number, B: number, N: number, H: number, Y: number, scale: number, lanes: number): void;
  /** y = transpose(x, perm) for a 4-byte dtype x of `shape` when perm keeps the last axis in place (whole runs of shape[rank-1] move). */
  transposeRuns(heap: ArrayBuffer, inOffset: number, outOffset: number, shape: Float64Array, perm: Float64Array): void;
  /** y[c] = sum (op 0), max (1), min (2) or mean (3) over the `rows` rows of a contiguous rows x cols matrix (max and min propagate NaN). */
  reduceCols(op: number, heap: ArrayBuffer, inOffset: number, outOffset: number, rows: number, cols: number): void;
  /** Threads (the caller's included) the elementwise and batched kernels may use. */
  setLanes(lanes: number): void;
  getLanes(): number;
  /** The vectorised kernels' instruction set ('avx512', 'avx2', 'baseline') and the sets this CPU runs, widest first (the widest is the default). */
  getIsa(): { isa: string; supported: string[] };
  /** Runs the vectorised kernels on one of `getIsa().supported` from the next call on; RangeError for a set this CPU lacks. */
  setIsa(isa: string): void;
}

export type NativeOpenResult =
  | { ok: true; binding: NativeBinding; blas: { path: string; corename: string; config: string; threads: number }; cpus: number }
  | { ok: false; reason: 'build' | 'library'; message: string; detail?: string; binding?: NativeBinding };

export const ADDON_PATH: string;
export const INSTALL_HINT: string;
export function libraryCandidates(env?: Record<string, string | undefined>): string[];
export function openNative(options?: { libraries?: string[] }): NativeOpenResult;
