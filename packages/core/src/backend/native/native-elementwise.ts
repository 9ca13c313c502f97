/**
 * Elementwise kernels on the native path: the addon's vectorised kernels
 * (AVX-512/AVX2) on the tensors' wasm heap buffers, spread over the addon's
 * threads for large arrays. Exp and Log are polynomial (~1 ulp; the wasm build
 * runs scalar libm loops); Neg, Relu, Square, Sqrt and Add, Sub, Multiply,
 * RealDiv are plain IEEE arithmetic, the same bits as the stock kernels (whose
 * 128-bit single-threaded SIMD they replace), for same-shape operands, a
 * scalar, an operand broadcast along leading dims, or one value per row
 * broadcast along trailing dims (`x - max(x, -1, true)`: the stock kernel's
 * general broadcast loop indexes every element). Sum, Max, Min and Mean over
 * the trailing axes run as row reductions (the stock ones are scalar loops),
 * over the leading axes as column reductions; Max and Min propagate NaN, sums
 * use partial sums (not the stock kernel's bits). Anything else (non-float32,
 * other broadcasts or axes, small arrays) goes to the kernel below.
 */
import type * as tf from '@tensorflow/tfjs';
import { backend_util, util } from '@tensorflow/tfjs';
import type { NativeBinding } from './binding.js';
import { heap, isWasmBackendLike, offsetOf, sizeOf, withOutputs, type Info, type WasmBackendLike } from './heap.js';
import { nativeTranspose } from './native-layout.js';

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
    return withOutputs(backend, [x.shape], ([out]) => binding.unary(op, heap(backend), offsetOf(backend, x), offsetOf(backend, out!), size))[0]!;
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
    return withOutputs(backend, [logits.shape], ([out]) => binding.softmax(heap(backend), offsetOf(backend, logits), offsetOf(backend, out!), size / cols, cols))[0]!;
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
    if (n < ARITHMETIC_MIN) return below(args);
    const na = operandCount(a.shape, out);
    const nb = operandCount(b.shape, out);
    if (na === undefined || nb === undefined || (na !== n && nb !== n && na !== 1 && nb !== 1)) return rowBinary(binding, op, backend, a, b, out) ?? below(args);
    return withOutputs(backend, [out], ([y]) => binding.binary(op, heap(backend), offsetOf(backend, a), na, offsetOf(backend, b), nb, offsetOf(backend, y!), n))[0]!;
  };
}

/**
 * When `shape` holds one value per row of `out`: equal to it on leading axes,
 * 1 on the trailing ones (at least one of which is not 1 in `out`). Returns
 * [rows, cols] of that split, or undefined.
 */
export function rowSplit(shape: readonly number[], out: readonly number[]): [number, number] | undefined {
  if (shape.length > out.length) return undefined;
  const padded = [...new Array<number>(out.length - shape.length).fill(1), ...shape];
  let s = out.length;
  while (s > 0 && padded[s - 1] === 1) s--;
  for (let j = 0; j < s; j++) if (padded[j] !== out[j]) return undefined;
  const rows = sizeOf(out.slice(0, s));
  const cols = sizeOf(out.slice(s));
  return cols > 1 && rows > 1 ? [rows, cols] : undefined;
}

function rowBinary(binding: NativeBinding, op: number, backend: WasmBackendLike, a: Info, b: Info, out: number[]): Info | undefined {
  if (!binding.binaryRows) return undefined;
  const n = sizeOf(out);
  const full = sizeOf(a.shape) === n ? a : sizeOf(b.shape) === n ? b : undefined;
  const row = full === a ? b : a;
  if (!full || full === row) return undefined;
  const split = rowSplit(row.shape, out);
  if (!split) return undefined;
  const binaryRows = binding.binaryRows;
  return withOutputs(backend, [out], ([y]) => binaryRows(op, heap(backend), offsetOf(backend, full), offsetOf(backend, row), offsetOf(backend, y!), split[0], split[1], row === a ? 1 : 0))[0]!;
}

const REDUCE = { Sum: 0, Max: 1, Min: 2, Mean: 3 } as const;

/**
 * Sum / Max / Min / Mean over the trailing axes (row reductions) or over the
 * leading axes (column reductions: the gradient of a bias broadcast over a
 * batch, which the stock kernel computes by transposing first); a mean is the
 * sum divided by the count. Other axes, dtypes and small inputs go below.
 */
function reduceKernel(binding: NativeBinding, op: number): (below: KernelFunc) => KernelFunc {
  return (below) => (args) => {
    const backend = args.backend;
    const { x } = args.inputs as unknown as { x: Info };
    const attrs = args.attrs as unknown as { axis?: number | number[]; reductionIndices?: number | number[]; keepDims: boolean };
    const size = sizeOf(x.shape);
    // Mean (op 3) and the column reductions came with reduceCols: an older addon has neither.
    if (!binding.reduceRows || (op === 3 && !binding.reduceCols) || !isWasmBackendLike(backend) || x.dtype !== 'float32' || size < ELEMENTWISE_MIN) return below(args);
    const rank = x.shape.length;
    let axes: number[];
    try {
      // null or undefined: every axis (tf.sum(x)), which is one row.
      axes = util.parseAxisParam((op === 1 ? attrs.reductionIndices : attrs.axis) ?? x.shape.map((_, i) => i), [...x.shape]);
    } catch {
      return below(args);
    }
    const sorted = [...new Set(axes)].sort((p, q) => p - q);
    const trailing = sorted.every((axis, i) => axis === rank - sorted.length + i);
    const leading = sorted.every((axis, i) => axis === i);
    if (sorted.length === 0 || (!trailing && !(leading && binding.reduceCols))) return below(args);
    const kept = trailing ? x.shape.slice(0, rank - sorted.length) : x.shape.slice(sorted.length);
    const count = size / sizeOf(kept); // elements per output value
    const ones = new Array<number>(sorted.length).fill(1);
    const shape = attrs.keepDims ? (trailing ? [...kept, ...ones] : [...ones, ...kept]) : kept;
    const { reduceRows, reduceCols } = binding;
    return withOutputs(backend, [shape], ([y]) => {
      if (trailing) reduceRows(op, heap(backend), offsetOf(backend, x), offsetOf(backend, y!), sizeOf(kept), count);
      else reduceCols!(op, heap(backend), offsetOf(backend, x), offsetOf(backend, y!), count, sizeOf(kept));
    })[0]!;
  };
}

/** The layer's kernels, for kernel-stack's defineLayer. */
export function nativeElementwiseKernels(binding: NativeBinding): Record<string, (below: KernelFunc) => KernelFunc> {
  const out: Record<string, (below: KernelFunc) => KernelFunc> = { Softmax: softmaxKernel(binding) };
  for (const [name, op] of Object.entries(UNARY)) out[name] = unaryKernel(binding, op);
  for (const [name, op] of Object.entries(BINARY)) out[name] = binaryKernel(binding, op);
  for (const [name, op] of Object.entries(REDUCE)) out[name] = reduceKernel(binding, op);
  out['Transpose'] = nativeTranspose(binding);
  return out;
}
