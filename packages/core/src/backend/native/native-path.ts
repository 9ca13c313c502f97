/**
 * Turns the native path on or off for the wasm backend: loads the addon and
 * OpenBLAS once, then enables the kernel layers (BatchMatMul on OpenBLAS;
 * elementwise, reduction and layout kernels vectorised) above engram's other
 * wasm layers, and registers core's fused kernels (log-sum-exp, layer norm) for wasm.
 */
import * as tf from '@tensorflow/tfjs';
import { defineLayer, layerOn, setLayer } from '../kernel-stack.js';
import { isWasmBackendLike } from './heap.js';
import { adviseHeapHugePages } from './huge-pages.js';
import { loadNative, reportMissingNative, type NativeLoad } from './load-native.js';
import { nativeElementwiseKernels } from './native-elementwise.js';
import { setNativeFusedKernels } from './native-fused.js';
import { nativeBatchMatMul } from './native-matmul.js';

let last: NativeLoad | undefined;
let defined = false;

/**
 * Enables the native layers on 'wasm' when `wanted` and available (loading the
 * addon on first use; prints the one-line note when it is missing), disables
 * them otherwise. Returns what was found.
 */
export async function applyNativePath(wanted: boolean): Promise<NativeLoad> {
  if (!wanted) {
    setLayer('native-elementwise', false, 'wasm');
    setLayer('native-matmul', false, 'wasm');
    setNativeFusedKernels(undefined, false);
    last = { ok: false, reason: 'disabled', message: 'turned off (ENGRAM_NATIVE=0 or { native: false })' };
    return last;
  }
  const r = await loadNative();
  last = r;
  if (!r.ok) {
    reportMissingNative(r);
    setLayer('native-elementwise', false, 'wasm');
    setLayer('native-matmul', false, 'wasm');
    setNativeFusedKernels(undefined, false);
    return r;
  }
  if (!defined) {
    defineLayer({ name: 'native-matmul', backends: ['wasm'], kernels: { BatchMatMul: nativeBatchMatMul(r.binding, r.threads) } });
    defineLayer({ name: 'native-elementwise', backends: ['wasm'], kernels: nativeElementwiseKernels(r.binding) });
    defined = true;
  }
  setLayer('native-matmul', true, 'wasm');
  setLayer('native-elementwise', true, 'wasm');
  setNativeFusedKernels(r.binding, true);
  const wasm = tf.findBackend('wasm');
  if (isWasmBackendLike(wasm)) adviseHeapHugePages(r.binding, wasm);
  return r;
}

/** Takes the native layers off (the addon stays loaded). For tests and benchmarks comparing paths. */
export function disableNativePath(): void {
  setLayer('native-elementwise', false, 'wasm');
  setLayer('native-matmul', false, 'wasm');
  setNativeFusedKernels(undefined, false);
}

/** True when the native BatchMatMul is the registered wasm kernel. */
export function nativePathActive(): boolean {
  return layerOn('native-matmul', 'wasm');
}

/** What the last {@link applyNativePath} found (undefined before the first). */
export function lastNativeLoad(): NativeLoad | undefined {
  return last;
}
