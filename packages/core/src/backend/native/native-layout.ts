/**
 * Transpose on the native path when the permutation keeps the last axis in
 * place (after dropping size-1 axes and merging axes that stay neighbours):
 * whole runs of the last axis move as block copies. This is the attention head
 * split and merge ([B, N, H, Y] <-> [B, H, N, Y]); the stock wasm kernel moves
 * it element by element (measured in the ET train step: 170-200 us per
 * 800 KB call). Other permutations, short runs, small arrays and dtypes other
 * than float32/int32 go to the kernel below.
 */
import type * as tf from '@tensorflow/tfjs';
import type { NativeBinding } from './binding.js';
import { heap, isWasmBackendLike, offsetOf, sizeOf, withOutputs, type Info } from './heap.js';

type KernelFunc = tf.KernelConfig['kernelFunc'];

/** Below this many elements, or runs shorter than this, the stock kernel is as fast. */
export const TRANSPOSE_MIN = 4096;
export const TRANSPOSE_MIN_RUN = 8;

/**
 * The same permutation on the fewest axes: size-1 axes dropped and input axes
 * that stay adjacent and in order in the output merged. Returns the merged
 * input shape and the permutation of it.
 */
export function collapsePermutation(shape: readonly number[], perm: readonly number[]): { shape: number[]; perm: number[] } {
  const keptAxes = shape.map((s, i) => (s === 1 ? -1 : i)).filter((i) => i >= 0);
  const renumber = new Map(keptAxes.map((axis, i) => [axis, i]));
  const order = perm.filter((p) => renumber.has(p)).map((p) => renumber.get(p)!);
  const sizes = keptAxes.map((axis) => shape[axis]!);
  // Groups of output axes whose input axes are consecutive.
  const groups: number[][] = [];
  for (const p of order) {
    const last = groups[groups.length - 1];
    if (last && last[last.length - 1]! + 1 === p) last.push(p);
    else groups.push([p]);
  }
  // Input order of the groups gives the merged input shape; the output order is the permutation.
  const byStart = [...groups].sort((a, b) => a[0]! - b[0]!);
  const mergedShape = byStart.map((g) => g.reduce((acc, axis) => acc * sizes[axis]!, 1));
  const index = new Map(byStart.map((g, i) => [g[0]!, i]));
  return { shape: mergedShape, perm: groups.map((g) => index.get(g[0]!)!) };
}

/** The native Transpose over `below`. */
export function nativeTranspose(binding: NativeBinding): (below: KernelFunc) => KernelFunc {
  return (below) => (args) => {
    const backend = args.backend;
    const { x } = args.inputs as unknown as { x: Info };
    const { perm } = args.attrs as unknown as { perm: number[] };
    const size = sizeOf(x.shape);
    if (!binding.transposeRuns || !isWasmBackendLike(backend) || (x.dtype !== 'float32' && x.dtype !== 'int32') || size < TRANSPOSE_MIN) return below(args);
    if (perm.length !== x.shape.length) return below(args); // tfjs' own error
    const merged = collapsePermutation(x.shape, perm);
    const rank = merged.shape.length;
    if (rank === 0 || merged.perm[rank - 1] !== rank - 1 || merged.shape[rank - 1]! < TRANSPOSE_MIN_RUN || rank > 8) return below(args);
    const transposeRuns = binding.transposeRuns;
    const shape = perm.map((p) => x.shape[p]!);
    return withOutputs(backend, [shape], ([out]) => transposeRuns(heap(backend), offsetOf(backend, x), offsetOf(backend, out!), Float64Array.from(merged.shape), Float64Array.from(merged.perm)), x.dtype)[0]!;
  };
}
