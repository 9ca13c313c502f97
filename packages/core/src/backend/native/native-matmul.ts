/**
 * The wasm backend's BatchMatMul on OpenBLAS (the native path): every float32
 * product, any transposes (cblas flags: no transposed copies), any batch
 * broadcasting (per dimension), written straight into the output tensor's
 * wasm heap buffer. The MatMul gradient asks for the same kernel with
 * transposes, so the backward pass takes this route too.
 *
 * - No batch on b (or batch dims all 1) and a untransposed: a's batch folds
 *   into rows, ONE sgemm (the Dense-layer / memory-matrix case), threaded by
 *   OpenBLAS when big enough.
 * - Otherwise one sgemm per output batch entry, in one addon call that spreads
 *   them over the addon's threads (OpenBLAS single-threaded meanwhile, its
 *   count restored afterwards).
 */
import type * as tf from '@tensorflow/tfjs';
import { broadcast_util } from '@tensorflow/tfjs';
import { batchIndices } from '../internal/batch-indices.js';
import { productDims } from '../internal/product-dims.js';
import type { NativeBinding } from './binding.js';
import { heap, isWasmBackendLike, offsetOf, sizeOf, withOutputs, type Info } from './heap.js';

type KernelFunc = tf.KernelConfig['kernelFunc'];

/**
 * Below this many multiply-adds a single product runs on one BLAS thread: the
 * hand-off to OpenBLAS's second thread costs more than it saves (and leaves
 * that thread spinning, stealing the core from other work).
 */
export const THREADED_MIN_MACS = 1 << 21;
/** Batched products spread over the addon's threads from this many multiply-adds in all. */
export const BATCH_PARALLEL_MIN_MACS = 1 << 18;

let products = 0;

/** Products the native BatchMatMul has run in this process (lets tests check the route was taken). */
export function nativeMatMulCount(): number {
  return products;
}

/** The native BatchMatMul over `below` (used for anything that is not a float32 product on a wasm heap). */
export function nativeBatchMatMul(binding: NativeBinding, threads: number): (below: KernelFunc) => KernelFunc {
  return (below) => (args) => {
    const backend = args.backend;
    const { a, b } = args.inputs as unknown as { a: Info; b: Info };
    const { transposeA, transposeB } = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
    if (!isWasmBackendLike(backend) || a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) return below(args);
    const { m, k, kb, n } = productDims(a.shape, b.shape, transposeA, transposeB);
    if (k !== kb) return below(args); // tfjs' own error
    const aBatch = a.shape.slice(0, -2);
    const bBatch = b.shape.slice(0, -2);
    let outer: number[];
    try {
      outer = broadcast_util.assertAndGetBroadcastShape(aBatch, bBatch);
    } catch {
      return below(args);
    }
    const count = sizeOf(outer);
    const batchA = sizeOf(aBatch);
    const batchB = sizeOf(bBatch);
    return withOutputs(backend, [[...outer, m, n]], ([out]) => {
      if (count * m * n === 0) return;
      // Offsets and the heap are read AFTER the allocation (growth detaches the buffer).
      const buf = heap(backend);
      const aOff = offsetOf(backend, a);
      const bOff = offsetOf(backend, b);
      const cOff = offsetOf(backend, out!);
      // Leading dimensions of at least 1 (cblas requires it; k = 0 products have empty operands).
      const lda = Math.max(1, transposeA ? m : k);
      const ldb = Math.max(1, transposeB ? k : n);
      products++;
      if (batchB === 1 && (batchA === 1 || !transposeA)) {
        const rows = batchA * m;
        const macs = rows * n * k;
        binding.sgemm(buf, transposeA, transposeB, rows, n, k, 1, aOff, lda, bOff, ldb, 0, cOff, n, macs >= THREADED_MIN_MACS ? threads : 1);
        return;
      }
      const ia = batchIndices(aBatch, outer);
      const ib = batchIndices(bBatch, outer);
      const offsets = new Float64Array(3 * count);
      for (let p = 0; p < count; p++) {
        offsets[3 * p] = aOff + ia[p]! * m * k * 4;
        offsets[3 * p + 1] = bOff + ib[p]! * k * n * 4;
        offsets[3 * p + 2] = cOff + p * m * n * 4;
      }
      const lanes = count * m * n * k >= BATCH_PARALLEL_MIN_MACS ? threads : 1;
      binding.sgemmBatch(buf, transposeA, transposeB, m, n, k, 1, offsets, lda, ldb, 0, n, lanes);
    })[0]!;
  };
}
