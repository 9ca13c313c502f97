/**
 * Exp, Log and Softmax on the native path: the addon's vectorised kernels
 * (AVX-512/AVX2 polynomial exp and log, ~1 ulp; the wasm build runs scalar
 * libm loops) on the tensors' wasm heap buffers, spread over the addon's
 * threads for large arrays. Anything else (non-float32 inputs, a backend
 * without a heap) goes to the kernel below.
 */
import type * as tf from '@tensorflow/tfjs';
import type { NativeBinding } from './binding.js';
import { heap, isWasmBackendLike, offsetOf, sizeOf, type Info } from './heap.js';

type KernelFunc = tf.KernelConfig['kernelFunc'];

/** Below this many elements the stock wasm kernel is as fast (the addon call costs ~1 us). */
export const ELEMENTWISE_MIN = 256;

function unaryKernel(binding: NativeBinding, op: 0 | 1): (below: KernelFunc) => KernelFunc {
  return (below) => (args) => {
    const backend = args.backend;
    const { x } = args.inputs as unknown as { x: Info };
    const size = sizeOf(x.shape);
    if (!isWasmBackendLike(backend) || x.dtype !== 'float32' || size < ELEMENTWISE_MIN) return below(args);
    const out = backend.makeOutput([...x.shape], 'float32') as Info;
    try {
      binding.unary(op, heap(backend), offsetOf(backend, x), offsetOf(backend, out), size);
    } catch (e) {
      backend.disposeData(out.dataId);
      throw e;
    }
    return out;
  };
}

function softmaxKernel(binding: NativeBinding): (below: KernelFunc) => KernelFunc {
  return (below) => (args) => {
    const backend = args.backend;
    const { logits } = args.inputs as unknown as { logits: Info };
    const size = sizeOf(logits.shape);
    const rank = logits.shape.length;
    const dim = (args.attrs as unknown as { dim: number }).dim;
    const last = dim === -1 || dim === rank - 1;
    if (!isWasmBackendLike(backend) || logits.dtype !== 'float32' || rank === 0 || !last || size < ELEMENTWISE_MIN) return below(args);
    const cols = logits.shape[rank - 1]!;
    const out = backend.makeOutput([...logits.shape], 'float32') as Info;
    try {
      binding.softmax(heap(backend), offsetOf(backend, logits), offsetOf(backend, out), size / cols, cols);
    } catch (e) {
      backend.disposeData(out.dataId);
      throw e;
    }
    return out;
  };
}

/** The layer's kernels, for kernel-stack's defineLayer. */
export function nativeElementwiseKernels(binding: NativeBinding): Record<string, (below: KernelFunc) => KernelFunc> {
  return { Exp: unaryKernel(binding, 0), Log: unaryKernel(binding, 1), Softmax: softmaxKernel(binding) };
}
