/**
 * Which compute path is active, for the CLI's backend line, the bench's JSON
 * and anyone who wants to know why a run was fast or slow.
 */
import * as tf from '@tensorflow/tfjs';
import { hugePagesAdvised } from './native/huge-pages.js';
import { lastNativeLoad, nativePathActive } from './native/native-path.js';
import { wasmFastPathInstalled } from './wasm-fast-path.js';

/** What {@link backendInfo} reports. */
export interface BackendInfo {
  /** The tfjs backend in use ('wasm', 'cpu', 'tensorflow', ...). */
  backend: string;
  /** True when matrix products run on OpenBLAS through the @engram/native addon. */
  native: boolean;
  /** Threads of the native path (1 when it is off). */
  threads: number;
  /** OpenBLAS as loaded (when native): the library file and the kernels it selected. */
  blas?: { path: string; corename: string; config: string };
  /** The instruction set of the native vectorised kernels (exp, softmax, layer norm, ...), when native: 'avx512', 'avx2' or 'baseline'. */
  vectorIsa?: string;
  /** True when the wasm heap asked for transparent huge pages (native path on, $ENGRAM_HUGE_PAGES not 0: see the native README). */
  hugePages: boolean;
  /** Why the native path is off, when it is (not built, no OpenBLAS, turned off, not wasm). */
  nativeOff?: string;
  /** True when engram's wasm BatchMatMul fast path is installed (the route used without native). */
  fastPath: boolean;
  /** $OPENBLAS_CORETYPE as this process sees it (null when unset): it forces OpenBLAS's kernels. */
  openblasCoretype: string | null;
  /** One line: e.g. 'wasm (native BLAS, 2 threads, OpenBLAS Haswell kernels, avx2 vector kernels, huge pages)'. */
  description: string;
}

/** The active backend and compute path (call after {@link initBackend}). */
export function backendInfo(): BackendInfo {
  const backend = tf.getBackend() ?? 'none';
  const load = lastNativeLoad();
  const native = backend === 'wasm' && nativePathActive() && !!load?.ok;
  const fastPath = backend === 'wasm' && wasmFastPathInstalled();
  const coretype = typeof process !== 'undefined' ? (process.env?.['OPENBLAS_CORETYPE'] ?? null) : null;
  const hugePages = native && hugePagesAdvised() > 0;
  const info: BackendInfo = { backend, native, threads: native && load?.ok ? load.threads : 1, fastPath, hugePages, openblasCoretype: coretype, description: backend };
  if (native && load?.ok) {
    info.blas = { ...load.blas };
    info.vectorIsa = load.vectorIsa;
    info.description = `${backend} (native BLAS, ${load.threads} thread${load.threads === 1 ? '' : 's'}, OpenBLAS ${load.blas.corename} kernels, ${load.vectorIsa} vector kernels${hugePages ? ', huge pages' : ''})`;
  } else {
    info.nativeOff = backend !== 'wasm' ? `the native path serves the wasm backend only` : load && !load.ok ? load.message : 'not initialised (call initBackend)';
    if (backend === 'wasm') info.description = `wasm (${fastPath ? 'wasm fast path' : 'stock kernels'}, native BLAS off)`;
  }
  return info;
}
