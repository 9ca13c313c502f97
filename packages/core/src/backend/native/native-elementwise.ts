/**
 * Elementwise kernels on the native path: the addon's vectorised kernels
 * (AVX-512/AVX2) on the tensors' wasm heap buffers, spread over the addon's
 * threads for large arrays. Exp and Log are polynomial (~1 ulp; the wasm build
 * runs scalar libm loops); Neg, Relu, Square, Sqrt and Add, Sub, Multiply,
 * RealDiv are plain IEEE arithmetic, the same bits as the stock kernels (whose
 * 128-bit single-threaded SIMD they replace), for same-shape operands, a
 * scalar, or an operand broadcast along leading dims. Anything else
 * (non-float32, other broadcasts, small arrays) goes to the kernel below.
 */
import type * as tf from '@tensorflow/tfjs';
import { backend_util } from '@tensorflow/tfjs';
import type { NativeBinding } from './binding.js';
import { heap, isWasmBackendLike, offsetOf, sizeOf, type Info } from './heap.js';

type KernelFunc = tf.KernelConfig['kernelFunc'];

/** Below this many elements the stock wasm kernel is as fast (the addon call costs ~1 us). */
export const ELEMENTWISE_MIN = 256;
/** The same for the arithmetic kernels, whose stock versions are already SIMD. */
export const ARITHMETIC_MIN = 2048;

const UNARY = { Exp: 0, Log: 1, Neg: 2, Relu: 3, Square: 4, Sqrt: 5 } as const;
const BINARY = { Add: 0, Sub: 1, Multiply: 2, RealDiv: 3 } as const;

function unaryKernel(binding: NativeBinding, op: number): (below: KernelFunc) => KernelFunc {
  const min = op <= 1 ? ELEMENTWISE_MIN : ARITHMETIC_MIN;
  return (below) => (args) => {
    const backend = args.backend;
    const { x } = args.inputs as unknown as { x: Info };
    const size = sizeOf(x.shape);
    if (!isWasmBackendLike(backend) || x.dtype !== 'float32' || size < min) return below(args);
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

/**
 * How an operand of `shape` reads in an output of `out` (n elements): n (same
 * shape), 1 (a scalar), or its size as a period when its shape is a suffix of
 * the output's (leading ones aside); undefined for any other broadcast.
 */
export function operandCount(shape: readonly number[], out: readonly number[]): number | undefined {
  const size = sizeOf(shape);
  const n = sizeOf(out);
  if (size === n || size === 1) return size;
  const padded = [...new Array<number>(out.length - shape.length).fill(1), ...shape];
  let i = 0;
  while (i < padded.length && padded[i] === 1) i++;
  for (let j = i; j < padded.length; j++) if (padded[j] !== out[j]) return undefined;
  return size;
}

function binaryKernel(binding: NativeBinding, op: number): (below: KernelFunc) => KernelFunc {
  return (below) => (args) => {
    const backend = args.backend;
    const { a, b } = args.inputs as unknown as { a: Info; b: Info };
    if (!isWasmBackendLike(backend) || a.dtype !== 'float32' || b.dtype !== 'float32') return below(args);
    let out: number[];
    try {
      out = backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    } catch {
      return below(args);
    }
    const n = sizeOf(out);
    const na = operandCount(a.shape, out);
    const nb = operandCount(b.shape, out);
    if (n < ARITHMETIC_MIN || na === undefined || nb === undefined || (na !== n && nb !== n && na !== 1 && nb !== 1)) return below(args);
    const y = backend.makeOutput(out, 'float32') as Info;
    try {
      binding.binary(op, heap(backend), offsetOf(backend, a), na, offsetOf(backend, b), nb, offsetOf(backend, y), n);
    } catch (e) {
      backend.disposeData(y.dataId);
      throw e;
    }
    return y;
  };
}

/** The layer's kernels, for kernel-stack's defineLayer. */
export function nativeElementwiseKernels(binding: NativeBinding): Record<string, (below: KernelFunc) => KernelFunc> {
  const out: Record<string, (below: KernelFunc) => KernelFunc> = { Softmax: softmaxKernel(binding) };
  for (const [name, op] of Object.entries(UNARY)) out[name] = unaryKernel(binding, op);
  for (const [name, op] of Object.entries(BINARY)) out[name] = binaryKernel(binding, op);
  return out;
}
