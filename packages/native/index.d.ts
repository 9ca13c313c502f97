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
  /** op 0: exp, 1: log; n floats from inOffset to outOffset (may be equal). */
  unary(op: 0 | 1, heap: ArrayBuffer, inOffset: number, outOffset: number, n: number): void;
  /** Softmax over `rows` contiguous rows of `cols` floats. */
  softmax(heap: ArrayBuffer, inOffset: number, outOffset: number, rows: number, cols: number): void;
  /** Threads (the caller's included) the elementwise and batched kernels may use. */
  setLanes(lanes: number): void;
  getLanes(): number;
}

export type NativeOpenResult =
  | { ok: true; binding: NativeBinding; blas: { path: string; corename: string; config: string; threads: number }; cpus: number }
  | { ok: false; reason: 'build' | 'library'; message: string; detail?: string; binding?: NativeBinding };

export const ADDON_PATH: string;
export const INSTALL_HINT: string;
export function libraryCandidates(env?: Record<string, string | undefined>): string[];
export function openNative(options?: { libraries?: string[] }): NativeOpenResult;
