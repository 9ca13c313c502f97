/**
 * The wasm fast path: a wrapper around the wasm backend's 'BatchMatMul' kernel.
 *
 * Why: tfjs-backend-wasm 4.22 sends a product to XNNPACK only when neither
 * operand is transposed AND both have batch size 1; every other product runs a
 * scalar blocked triple loop (src/cc/batch_mat_mul_impl.cc, slow_batch_matmul).
 * Measured on this machine (2 cores, loaded; see bench/README.md): 512^3 with a
 * transposed operand is 10-30x slower than without, 256x784 by (10000x784)^T
 * runs at ~0.7 GFLOP/s instead of ~5-9. tfjs' own MatMul gradient asks for
 * transposed products (dA = dY B^T, dB = A^T dY), so every backward pass pays it.
 *
 * What: products that can be turned into ONE untransposed 2-D product are
 * rewritten so, with explicit Transpose kernels (a memory-bound copy, cheap
 * next to the product):
 *  - b without batch (rank 2, or all batch dims 1): a's batch folds into rows,
 *    [batchA*m, k] x [k, n] (the Dense-layer / memory-matrix case);
 *  - a without batch and b batched: b folds into columns, [m, k] x [k, batchB*n],
 *    and the result is transposed back to [batchB, m, n].
 * Products where both operands carry a real batch (attention scores,
 * [128,49,32] x [128,32,49]) run one XNNPACK product per batch entry inside this
 * kernel, on views into the operands' wasm heap buffers (see
 * internal/wasm-sliced-matmul.ts; per-slice tf ops measured no faster than the
 * stock loop, the in-kernel route 3-5x faster), when the slices are big enough
 * (SLICE_MIN_*). Energy Transformer, default bench workloads, median of 7
 * (ms; fast path off / without this route / with it): inference 685 / 644 / 402,
 * train step 11070 / 2080 / 1369. The gradient is tfjs' own (registered by
 * kernel name), so semantics and error messages are the stock ones; tests
 * compare against a host reference, the stock kernel and the cpu backend on
 * random shapes. One difference: the stock kernel indexes a broadcast batch as
 * min(p, batch - 1) over the flattened batch, which is wrong when an operand's
 * batch is neither 1 nor the whole output batch ([2,1] x [1,7], [5] x [3,5]);
 * the sliced route broadcasts per dimension, like tfjs' cpu backend.
 *
 * Opt out with `initBackend({ fastPath: false })` or ENGRAM_WASM_FAST_PATH=0.
 */
import * as tf from '@tensorflow/tfjs';
import { productDims } from './internal/product-dims.js';
import { slicedMatMul, supportsSlicedMatMul, type WasmHeapBackend } from './internal/wasm-sliced-matmul.js';
import { defineLayer, layerOn, setLayer } from './kernel-stack.js';

type KernelFunc = tf.KernelConfig['kernelFunc'];
type Backend = tf.KernelBackend & {
  disposeData(dataId: tf.DataId, force?: boolean): boolean;
};
interface Info {
  dataId: tf.DataId;
  shape: number[];
  dtype: tf.DataType;
}

/** Below this many multiply-adds a product keeps the stock kernel (the copies would not pay). */
const MIN_MACS = 4096;
/**
 * Below this many rows of the folded product, the stock kernel wins: the copy and
 * XNNPACK's weight packing cost O(k*n) each, like the product itself
 * (measured: m=1 0.2x, m=4 0.6x, m=16 1.9x the stock speed for [m,128] x [512,128]^T).
 */
const MIN_ROWS = 8;

/**
 * Doubly-batched products take the per-slice XNNPACK route only from this many
 * rows, multiply-adds per slice and multiply-adds in all; below, the ~2.5 us of
 * view bookkeeping and XNNPACK operator creation per slice (plus the operand
 * transposes) beat the scalar loop. Measured, stock vs this route, median ms of
 * 15 (2 loaded cores; [batch,m,k,n], no transpose / both transposed):
 *   [128,49,32,49] 10.3 vs 2.7 / 10.0 vs 3.1;  [128,49,49,32] 9.8 vs 2.3 / 9.6 vs 1.9;
 *   [4,256,128,256] 33.7 vs 3.7;  [128,32,8,32] 1.70 vs 0.80;  [128,16,32,16] 0.99 vs 0.73;
 *   [128,16,16,16] 0.64 vs 0.52;  [16,16,16,16] 0.093 vs 0.080 / 0.083 vs 0.100 (excluded: total);
 *   m = 8 and below lose or tie: [128,8,64,16] 1.24 vs 1.12 / 0.97 vs 0.99,
 *   [128,8,16,8] 0.16 vs 0.35, [128,4,64,32] 1.03 vs 1.18 (excluded: rows).
 */
const SLICE_MIN_ROWS = 16;
const SLICE_MIN_MACS = 4096;
const SLICE_MIN_TOTAL_MACS = 1 << 17;

function product(xs: readonly number[]): number {
  let p = 1;
  for (const x of xs) p *= x;
  return p;
}

function kernel(name: string): KernelFunc {
  const k = tf.getKernel(name, 'wasm');
  if (!k) throw new Error(`wasm kernel '${name}' is not registered`);
  return k.kernelFunc;
}

/** A reshaped view: same data, new shape (no copy, no reference taken; never disposed). */
function view(x: Info, shape: number[]): Info {
  return { dataId: x.dataId, shape, dtype: x.dtype };
}

function transpose(x: Info, perm: number[], backend: Backend): Info {
  return kernel('Transpose')({ inputs: { x } as unknown as tf.NamedTensorInfoMap, backend, attrs: { perm } }) as Info;
}

function free(backend: Backend, ...xs: Info[]): void {
  for (const x of xs) backend.disposeData(x.dataId);
}

/**
 * The wrapper kernel over `stock` (the kernel below it). Falls back to it for
 * every case it does not rewrite, including every malformed input (so tfjs'
 * own error is thrown).
 */
const fastBatchMatMul = (stock: KernelFunc): KernelFunc => (args) => {
  const backend = args.backend as Backend;
  const { a, b } = args.inputs as unknown as { a: Info; b: Info };
  const { transposeA, transposeB } = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) return stock(args);
  const { m, k, kb, n } = productDims(a.shape, b.shape, transposeA, transposeB);
  const batchA = product(a.shape.slice(0, -2));
  const batchB = product(b.shape.slice(0, -2));
  if (k !== kb || m * n * k * Math.max(batchA, batchB) < MIN_MACS) return stock(args);
  if (batchA > 1 && batchB > 1) {
    if (m < SLICE_MIN_ROWS || m * k * n < SLICE_MIN_MACS || !supportsSlicedMatMul(backend)) return stock(args);
    let outerBB: number[];
    try {
      outerBB = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
    } catch {
      return stock(args);
    }
    if (m * k * n * product(outerBB) < SLICE_MIN_TOTAL_MACS) return stock(args);
    return doublyBatched(a, b, transposeA, transposeB, outerBB, m, k, n, backend as Backend & WasmHeapBackend);
  }
  if (!transposeA && !transposeB && batchA === 1 && batchB === 1) return stock(args); // already XNNPACK
  if ((batchB === 1 ? batchA * m : m) < MIN_ROWS) return stock(args);
  let outer: number[];
  try {
    outer = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  } catch {
    return stock(args);
  }
  const outShape = [...outer, m, n];
  const untransposed = { transposeA: false, transposeB: false };

  if (batchB === 1) {
    // Fold a's batch into rows: [batchA*m, k] x [k, n].
    const a2 = transposeA ? transpose(view(a, [batchA, k, m]), [0, 2, 1], backend) : view(a, [batchA * m, k]);
    const b2 = transposeB ? transpose(view(b, [n, k]), [1, 0], backend) : view(b, [k, n]);
    const out = stock({ inputs: { a: view(a2, [batchA * m, k]), b: b2 } as unknown as tf.NamedTensorInfoMap, backend, attrs: untransposed }) as Info;
    if (transposeA) free(backend, a2);
    if (transposeB) free(backend, b2);
    out.shape = outShape;
    return out;
  }
  // batchA === 1, b batched: fold b's batch into columns: [m, k] x [k, batchB*n].
  const a2 = transposeA ? transpose(view(a, [k, m]), [1, 0], backend) : view(a, [m, k]);
  const b2 = transpose(view(b, transposeB ? [batchB, n, k] : [batchB, k, n]), transposeB ? [2, 0, 1] : [1, 0, 2], backend);
  const prod = stock({ inputs: { a: a2, b: view(b2, [k, batchB * n]) } as unknown as tf.NamedTensorInfoMap, backend, attrs: untransposed }) as Info;
  if (transposeA) free(backend, a2);
  free(backend, b2);
  const out = transpose(view(prod, [m, batchB, n]), [1, 0, 2], backend);
  free(backend, prod);
  out.shape = outShape;
  return out;
};

/**
 * Both operands batched: make each operand untransposed with one Transpose kernel
 * over the whole operand (memory-bound), then one XNNPACK product per batch entry
 * on heap views (internal/wasm-sliced-matmul.ts).
 */
function doublyBatched(a: Info, b: Info, transposeA: boolean, transposeB: boolean, outer: number[], m: number, k: number, n: number, backend: Backend & WasmHeapBackend): Info {
  const swapLast = (x: Info): Info => {
    const r = x.shape.length;
    const perm = [...x.shape.keys()];
    perm[r - 2] = r - 1;
    perm[r - 1] = r - 2;
    return transpose(x, perm, backend);
  };
  const a2 = transposeA ? swapLast(a) : a;
  const b2 = transposeB ? swapLast(b) : b;
  try {
    return slicedMatMul(backend, a2, b2, outer, m, k, n);
  } finally {
    if (transposeA) free(backend, a2);
    if (transposeB) free(backend, b2);
  }
}

defineLayer({ name: 'fast-path', backends: ['wasm'], kernels: { BatchMatMul: fastBatchMatMul } });

/** True when engram's BatchMatMul wrapper is registered for the wasm backend. */
export function wasmFastPathInstalled(): boolean {
  return layerOn('fast-path', 'wasm');
}

/**
 * Registers the BatchMatMul wrapper on the wasm backend (idempotent). Returns
 * false when the wasm kernels are not registered (tfjs-backend-wasm not loaded).
 * Products of every shape keep tfjs' semantics; see the module comment for which
 * ones take the fast route. (With the native BLAS path on, that path sits on
 * top and takes every float32 product; this wrapper then only serves the rest.)
 */
export function installWasmFastPath(): boolean {
  if (!tf.getKernel('BatchMatMul', 'wasm') || !tf.getKernel('Transpose', 'wasm')) return false;
  setLayer('fast-path', true, 'wasm');
  return true;
}

/** Restores the wasm BatchMatMul kernel below the fast path (idempotent). */
export function uninstallWasmFastPath(): void {
  setLayer('fast-path', false, 'wasm');
}

/** True unless $ENGRAM_WASM_FAST_PATH is '0', 'false' or 'off'. */
export function wasmFastPathEnabledByEnv(): boolean {
  const v = typeof process !== 'undefined' ? process.env?.ENGRAM_WASM_FAST_PATH : undefined;
  return v === undefined || !['0', 'false', 'off', 'no'].includes(v.trim().toLowerCase());
}
