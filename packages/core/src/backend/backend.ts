import * as tf from '@tensorflow/tfjs';
import { ErrorCodes } from '../errors/codes.js';
import { EngramError } from '../errors/engram-error.js';
import { installGradientFixes } from '../numerics/gradient-fixes.js';
import { setLayer } from './kernel-stack.js';
import { installMatMulGradient } from './matmul-broadcast.js';
import { nativeEnabledByEnv } from './native/load-native.js';
import { applyNativePath } from './native/native-path.js';
import { installWasmFastPath, uninstallWasmFastPath, wasmFastPathEnabledByEnv } from './wasm-fast-path.js';
import './wasm-identity.js';
import './wasm-slice.js';

/**
 * Backends engram knows how to select. 'webgl' and 'webgpu' are for browsers
 * (webgpu needs `@tensorflow/tfjs-backend-webgpu` imported by the page first).
 */
export type BackendName = 'wasm' | 'cpu' | 'tensorflow' | 'webgl' | 'webgpu';

const KNOWN: readonly BackendName[] = ['wasm', 'cpu', 'tensorflow', 'webgl', 'webgpu'];

/** Options for {@link initBackend}. */
export interface BackendOptions {
  /** Backend to use; defaults to $ENGRAM_BACKEND, then 'wasm'. */
  backend?: BackendName;
  /** When the requested backend cannot start, fall back to 'cpu' instead of throwing (default true unless the backend was named explicitly). */
  fallback?: boolean;
  /**
   * On wasm, route transposed and batch-broadcast matrix products through engram's
   * BatchMatMul wrapper (explicit transposes, then XNNPACK; 5-30x faster for those
   * shapes, same results). Default true unless $ENGRAM_WASM_FAST_PATH is '0'/'false'/'off'.
   */
  fastPath?: boolean;
  /**
   * On wasm, run matrix products on OpenBLAS and Exp/Log/Softmax on vectorised
   * native kernels, through the optional `@engram/native` addon, when it is built
   * and OpenBLAS is installed (`apt-get install libopenblas0-pthread`); when
   * either is missing engram says so once and runs on the wasm kernels. Default
   * true unless $ENGRAM_NATIVE is '0'/'false'/'off'. See {@link backendInfo}.
   */
  native?: boolean;
  /**
   * Where the wasm backend finds its `.wasm` binaries (a folder URL ending in '/').
   * Needed in the browser when a bundler does not serve them next to the script;
   * Node finds them in node_modules.
   */
  wasmPaths?: string;
}

async function registerBackendModule(name: BackendName, wasmPaths?: string): Promise<boolean> {
  if (tf.findBackendFactory(name) !== null && tf.findBackendFactory(name) !== undefined) {
    if (name === 'wasm' && wasmPaths !== undefined) (await import('@tensorflow/tfjs-backend-wasm')).setWasmPaths(wasmPaths);
    return true;
  }
  try {
    if (name === 'wasm') {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      if (wasmPaths !== undefined) wasm.setWasmPaths(wasmPaths);
    }
    // tfjs-node is an optional accelerator: resolved by name at run time so that
    // engram neither depends on it nor fails to build without it.
    else if (name === 'tensorflow') await import(/* webpackIgnore: true */ String('@tensorflow/tfjs-node'));
  } catch {
    return false;
  }
  return tf.findBackendFactory(name) !== null && tf.findBackendFactory(name) !== undefined;
}

/**
 * engram's kernel layers for the active backend (kernel-stack.ts), bottom to
 * top: the batch-broadcast matMul fix (cpu, wasm; and its gradient everywhere),
 * then on wasm the view-based Slice/SplitV, the buffer-sharing Identity (what
 * the gradient tape's saves run), the wasm fast path (opt-out) and the native
 * path (opt-out, when available).
 */
async function applyKernels(active: BackendName, options: BackendOptions): Promise<void> {
  installMatMulGradient();
  if (active === 'cpu' || active === 'wasm') setLayer('broadcast-fix', true, active);
  if (active !== 'wasm') return;
  setLayer('slice-fix', true, 'wasm');
  setLayer('identity-share', true, 'wasm');
  if (options.fastPath ?? wasmFastPathEnabledByEnv()) installWasmFastPath();
  else uninstallWasmFastPath();
  await applyNativePath(options.native ?? nativeEnabledByEnv());
}

type Listener = (...args: unknown[]) => void;
const PROCESS_EVENTS = ['uncaughtException', 'unhandledRejection'] as const;

const listenersOf = (e: string): Listener[] => (process.listeners as unknown as (event: string) => Listener[])(e);

function listenerSnapshot(): Map<string, Listener[]> {
  const out = new Map<string, Listener[]>();
  if (typeof process === 'undefined' || typeof process.listeners !== 'function') return out;
  for (const e of PROCESS_EVENTS) out.set(e, listenersOf(e));
  return out;
}

/**
 * The wasm backend's Emscripten module installs process handlers that rethrow
 * (`uncaughtException`: `throw ex`; `unhandledRejection`: `throw reason`): with
 * them an exception in any subscriber kills the process with exit code 7 and
 * ~38 KB of minified code, even when the application has its own handler.
 * Removing the handlers added while the backend started restores Node's
 * default behaviour (the error's stack, exit code 1) and the application's
 * own handlers.
 */
function removeRethrowingHandlers(before: Map<string, Listener[]>): void {
  if (typeof process === 'undefined' || typeof process.listeners !== 'function') return;
  for (const e of PROCESS_EVENTS) {
    const old = new Set(before.get(e) ?? []);
    for (const l of listenersOf(e)) {
      if (!old.has(l) && /\bthrow\b/.test(String(l))) process.removeListener(e, l);
    }
  }
}

/**
 * tf.setBackend resolves false when a backend's initialisation fails (a missing
 * .wasm file, no WebGL context) and may also reject: both mean "not available".
 */
async function setBackendQuietly(name: BackendName): Promise<boolean> {
  try {
    return await tf.setBackend(name);
  } catch {
    return false;
  }
}

/** True when `name` can be registered on this machine (the module is installed). */
export async function isBackendAvailable(name: BackendName): Promise<boolean> {
  return registerBackendModule(name);
}

/**
 * Selects and readies a tfjs backend: wasm by default in Node (the plain cpu backend
 * is ~30x slower at matrix products), cpu as fallback, tfjs-node ('tensorflow') when
 * installed and asked for. Also installs engram's second-order gradient fixes and
 * kernel fixes, and on wasm the native BLAS path when it is available.
 * Returns the name of the backend in use; {@link backendInfo} says which path runs.
 */
export async function initBackend(options: BackendOptions = {}): Promise<BackendName> {
  const fromEnv = typeof process !== 'undefined' ? process.env?.ENGRAM_BACKEND : undefined;
  const requested = (options.backend ?? fromEnv ?? 'wasm') as BackendName;
  if (!KNOWN.includes(requested)) {
    throw new EngramError(
      ErrorCodes.BACKEND_UNAVAILABLE,
      `unknown backend '${String(requested)}': use one of ${KNOWN.join(', ')} (option 'backend' or $ENGRAM_BACKEND)`,
      { requested, known: KNOWN },
    );
  }
  const fallback = options.fallback ?? options.backend === undefined;
  installGradientFixes();
  if (tf.getBackend() === requested) {
    await applyKernels(requested, options);
    return requested;
  }
  const handlers = listenerSnapshot();
  const ok = (await registerBackendModule(requested, options.wasmPaths)) && (await setBackendQuietly(requested));
  removeRethrowingHandlers(handlers);
  if (!ok) {
    if (!fallback || requested === 'cpu') {
      const hint =
        requested === 'tensorflow'
          ? 'npm install @tensorflow/tfjs-node'
          : requested === 'wasm'
            ? `the wasm binaries (tfjs-backend-wasm*.wasm) could not be loaded${options.wasmPaths !== undefined ? ` from ${options.wasmPaths}` : ''}; serve them there or pass wasmPaths`
            : requested === 'webgl'
              ? 'this environment has no WebGL context (webgl works in browsers only)'
              : requested === 'webgpu'
                ? "import '@tensorflow/tfjs-backend-webgpu' before initBackend, in a browser with WebGPU (engram does not bundle it)"
                : `install the tfjs backend for '${requested}'`;
      throw new EngramError(ErrorCodes.BACKEND_UNAVAILABLE, `backend '${requested}' is not available here: ${hint}, or use 'cpu'`, {
        requested,
      });
    }
    await tf.setBackend('cpu');
  }
  await tf.ready();
  const active = tf.getBackend() as BackendName;
  await applyKernels(active, options);
  return active;
}
