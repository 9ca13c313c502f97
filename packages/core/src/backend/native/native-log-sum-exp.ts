/**
 * The wasm implementation of core's fused log-sum-exp kernel (numerics/
 * fused-log-sum-exp.ts) on the addon's vectorised row kernel. Registered while
 * the native path is on; without it core composes the op from stock kernels.
 */
import * as tf from '@tensorflow/tfjs';
import { LOG_SUM_EXP_KERNEL, type LogSumExpAttrs } from '../../numerics/fused-log-sum-exp.js';
import type { NativeBinding } from './binding.js';
import { heap, isWasmBackendLike, offsetOf, sizeOf, type Info } from './heap.js';

function kernel(binding: NativeBinding): tf.KernelFunc {
  return (args) => {
    const backend = args.backend;
    const { x } = args.inputs as unknown as { x: Info };
    const { axes } = args.attrs as unknown as LogSumExpAttrs;
    if (!isWasmBackendLike(backend) || !binding.logSumExpRows) throw new Error(`${LOG_SUM_EXP_KERNEL} needs the native wasm path`);
    const kept = x.shape.slice(0, x.shape.length - axes);
    const rows = sizeOf(kept);
    const out = backend.makeOutput(kept, 'float32') as Info;
    try {
      binding.logSumExpRows(heap(backend), offsetOf(backend, x), offsetOf(backend, out), rows, rows === 0 ? 0 : sizeOf(x.shape) / rows);
    } catch (e) {
      backend.disposeData(out.dataId);
      throw e;
    }
    return out;
  };
}

/** Registers (on) or removes (off) the kernel for 'wasm'; off when the addon predates logSumExpRows. */
export function setNativeLogSumExp(binding: NativeBinding | undefined, on: boolean): void {
  const registered = tf.getKernel(LOG_SUM_EXP_KERNEL, 'wasm') !== undefined;
  if (registered) tf.unregisterKernel(LOG_SUM_EXP_KERNEL, 'wasm');
  if (on && binding?.logSumExpRows) tf.registerKernel({ kernelName: LOG_SUM_EXP_KERNEL, backendName: 'wasm', kernelFunc: kernel(binding) });
}
