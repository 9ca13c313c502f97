/**
 * What core expects of the optional `@engram/native` addon (its index.d.ts
 * says the same). Core never imports the package statically: it is resolved by
 * name at run time (see load-native.ts), so core builds, bundles for browsers
 * and runs without it.
 */

/** The addon's functions; offsets are byte offsets into the wasm heap buffer, bounds-checked by the addon. */
export interface NativeBinding {
  sgemm(heap: ArrayBuffer, transposeA: boolean, transposeB: boolean, m: number, n: number, k: number, alpha: number, aOffset: number, lda: number, bOffset: number, ldb: number, beta: number, cOffset: number, ldc: number, threads: number): void;
  sgemmBatch(heap: ArrayBuffer, transposeA: boolean, transposeB: boolean, m: number, n: number, k: number, alpha: number, offsets: Float64Array, lda: number, ldb: number, beta: number, ldc: number, lanes: number): void;
  setBlasThreads(threads: number): void;
  getBlasThreads(): number;
  /** op 0 exp, 1 log, 2 neg, 3 relu, 4 square, 5 sqrt. */
  unary(op: number, heap: ArrayBuffer, inOffset: number, outOffset: number, n: number): void;
  /** op 0 add, 1 sub, 2 mul, 3 div, 4 ReLU's gradient a * step(b) (addons with softmaxGradRows); counts n, 1, or a period of n (the operand repeats along leading dims). */
  binary(op: number, heap: ArrayBuffer, aOffset: number, aCount: number, bOffset: number, bCount: number, outOffset: number, n: number): void;
  softmax(heap: ArrayBuffer, inOffset: number, outOffset: number, rows: number, cols: number): void;
  /** dx = dy y - (sum of the row's dy y) y over contiguous rows, softmax's gradient from its output (absent in older addons, which also lack binary op 4: core composes both). */
  softmaxGradRows?(heap: ArrayBuffer, dyOffset: number, yOffset: number, outOffset: number, rows: number, cols: number): void;
  /** op 0 sum, 1 max, 2 min, 3 mean (addons with reduceCols) over each of `rows` contiguous rows of `cols` floats (absent in addons built before it: the stock kernels run). */
  reduceRows?(op: number, heap: ArrayBuffer, inOffset: number, outOffset: number, rows: number, cols: number): void;
  /** y[r, c] = full[r, c] OP row[r] (row[r] OP full[r, c] when rowFirst is 1); op as in `binary` (absent in older addons). */
  binaryRows?(op: number, heap: ArrayBuffer, fullOffset: number, rowOffset: number, outOffset: number, rows: number, cols: number, rowFirst: number): void;
  /** y[r] = log(sum(exp(row r))) over contiguous rows (absent in older addons: core composes the op). */
  logSumExpRows?(heap: ArrayBuffer, inOffset: number, outOffset: number, rows: number, cols: number): void;
  /** Row layer norm y = (x - mean) * rstd, rstd = 1/sqrt(var + eps) per row (absent in older addons: core composes the op). */
  layerNormRows?(heap: ArrayBuffer, inOffset: number, outOffset: number, rstdOffset: number, rows: number, cols: number, eps: number): void;
  /** Each row's softmax into outOffset and its log-sum-exp into lseOffset, from one max and sum (absent in older addons: core composes the op). */
  softmaxLseRows?(heap: ArrayBuffer, inOffset: number, outOffset: number, lseOffset: number, rows: number, cols: number): void;
  /** dx[r, c] = softmax(x[r])[c] dy[r]: the log-sum-exp's gradient in one kernel (absent in older addons: core composes the op). */
  lseGradRows?(heap: ArrayBuffer, xOffset: number, dyOffset: number, outOffset: number, rows: number, cols: number): void;
  /** madvise(MADV_HUGEPAGE) over [buffer, buffer + max(bytes, its length)) (the buffer alone if that range is not all mapped); returns the bytes advised (absent in older addons). */
  adviseHugePages?(buffer: ArrayBuffer, bytes: number): number;
  /** Layer norm's gradient per row from its output y and rstd: dx = rstd ((dy - mean dy) - y mean(dy y)) (absent in older addons: core composes it). */
  layerNormGradRows?(heap: ArrayBuffer, dyOffset: number, yOffset: number, rstdOffset: number, outOffset: number, rows: number, cols: number): void;
  /** out[0] = max |a - b|, out[1] = sum (a - b) over n floats (absent in older addons: core composes the read-out). */
  diffStats?(heap: ArrayBuffer, aOffset: number, bOffset: number, outOffset: number, n: number): void;
  /** out = a x + b y over n floats (absent in older addons: core composes the op). */
  axpby?(heap: ArrayBuffer, a: number, xOffset: number, b: number, yOffset: number, outOffset: number, n: number): void;
  /** Attention pulls per (sample, head) of token-major q, k [B*N, H*Y]: pullQ = P K, pullK = P^T Q, lse [B, H, N] (maskOffset, lseOffset -1: none; absent in older addons). */
  headAttention?(heap: ArrayBuffer, qOffset: number, kOffset: number, maskOffset: number, maskBatch: number, pullQOffset: number, pullKOffset: number, lseOffset: number, B: number, N: number, H: number, Y: number, scale: number, lanes: number): void;
  /** dq, dk of the pulls from dPullQ, dPullK and dLse (dLseOffset -1: none), the scores recomputed (absent in older addons). */
  headAttentionGrad?(heap: ArrayBuffer, qOffset: number, kOffset: number, maskOffset: number, maskBatch: number, dPullQOffset: number, dPullKOffset: number, dLseOffset: number, dqOffset: number, dkOffset: number, B: number, N: number, H: number, Y: number, scale: number, lanes: number): void;
  /** y = transpose(x, perm) when perm keeps the last axis in place, for 4-byte dtypes (absent in older addons). */
  transposeRuns?(heap: ArrayBuffer, inOffset: number, outOffset: number, shape: Float64Array, perm: Float64Array): void;
  /** op 0 sum, 1 max, 2 min, 3 mean over the rows of a contiguous rows x cols matrix, one value per column (absent in older addons). */
  reduceCols?(op: number, heap: ArrayBuffer, inOffset: number, outOffset: number, rows: number, cols: number): void;
  setLanes(lanes: number): void;
  getLanes(): number;
  /** The vectorised kernels' instruction set and the sets this CPU runs, widest first (absent in older addons). */
  getIsa?(): { isa: string; supported: string[] };
  /** Runs the vectorised kernels on one of `getIsa().supported` (tests compare them; absent in older addons). */
  setIsa?(isa: string): void;
}

/** OpenBLAS as the addon found it. */
export interface NativeBlasInfo {
  /** The library file opened. */
  path: string;
  /** The kernels OpenBLAS selected (e.g. 'Haswell', 'SkylakeX'; $OPENBLAS_CORETYPE forces them). */
  corename: string;
  /** openblas_get_config(). */
  config: string;
}

/** What `openNative()` of @engram/native returns. */
export type NativeOpenResult =
  | { ok: true; binding: NativeBinding; blas: NativeBlasInfo & { threads: number }; cpus: number }
  | { ok: false; reason: 'build' | 'library'; message: string; detail?: string };

/** The module shape of @engram/native. */
export interface NativeModule {
  openNative(options?: { libraries?: string[] }): NativeOpenResult;
  INSTALL_HINT: string;
}

/** Runtime check of a dynamically imported module (a stale or foreign package must not crash the backend). */
export function isNativeModule(m: unknown): m is NativeModule {
  return !!m && typeof (m as Partial<NativeModule>).openNative === 'function';
}

/** Runtime check of the binding's functions. */
export function isNativeBinding(b: unknown): b is NativeBinding {
  const x = b as Record<string, unknown> | null;
  return !!x && ['sgemm', 'sgemmBatch', 'setBlasThreads', 'getBlasThreads', 'unary', 'binary', 'softmax', 'setLanes', 'getLanes'].every((k) => typeof x[k] === 'function');
}
