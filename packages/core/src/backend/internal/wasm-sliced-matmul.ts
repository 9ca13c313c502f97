/**
 * Doubly-batched matrix products on the wasm backend, one XNNPACK product per
 * batch entry, run inside a kernel (no tfjs op dispatch per slice).
 *
 * Why: the stock wasm BatchMatMul runs every product whose operands both carry a
 * batch through a scalar loop (~1 GFLOP/s); XNNPACK is only used for a single
 * untransposed [m,k] x [k,n]. Splitting the product into per-slice tf ops did not
 * pay (dispatch, slice copies). Here each slice is a *view*: a tensor id
 * registered with the wasm runtime that points into the operand's own heap
 * buffer (no copy), and the slice's result is written straight into its place
 * in the output buffer. The wasm 'BatchMatMul' export then takes its XNNPACK
 * route for each [1,m,k] x [1,k,n] slice.
 *
 * Views are not owned: they are unregistered with `tfjs.disposeData(id)` (which
 * also deletes the XNNPACK operator cached on the slice's b id, so no stale
 * packed weights survive) and removed from the backend's map, never passed to
 * `backend.disposeData` (that would free() an interior pointer).
 */
import type * as tf from '@tensorflow/tfjs';
import { batchIndices } from './batch-indices.js';

/** The parts of tfjs-backend-wasm's BackendWasm this module relies on (4.22). */
export interface WasmHeapBackend {
  dataIdMap: {
    get(dataId: tf.DataId): { id: number; memoryOffset: number | null } | undefined;
    delete(dataId: tf.DataId): boolean;
  };
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number): tf.TensorInfo;
  wasm: {
    cwrap(name: string, ret: null, args: string[]): (...xs: unknown[]) => void;
    tfjs: { disposeData(id: number): void };
  };
}

/** A tensor as kernels see it. */
export interface SlicedInfo {
  dataId: tf.DataId;
  shape: number[];
  dtype: tf.DataType;
}

type WasmBatchMatMul = (aId: number, aShape: Uint8Array, aRank: number, bId: number, bShape: Uint8Array, bRank: number, ta: number, tb: number, outId: number) => void;

/** One cwrap per wasm module instance (a backend re-created by tf.removeBackend gets a new module). */
const exports = new WeakMap<object, WasmBatchMatMul>();

function wasmBatchMatMul(backend: WasmHeapBackend): WasmBatchMatMul {
  let f = exports.get(backend.wasm);
  if (!f) {
    f = backend.wasm.cwrap('BatchMatMul', null, ['number', 'array', 'number', 'number', 'array', 'number', 'number', 'number', 'number']) as WasmBatchMatMul;
    exports.set(backend.wasm, f);
  }
  return f;
}

let calls = 0;

/** How many products slicedMatMul has run in this process (lets tests assert the route was taken). */
export function slicedMatMulCount(): number {
  return calls;
}

/** True when the backend exposes what slicedMatMul needs (a heap-backed wasm backend). */
export function supportsSlicedMatMul(backend: unknown): backend is WasmHeapBackend {
  const b = backend as Partial<WasmHeapBackend> | null;
  return !!b && typeof b.makeOutput === 'function' && !!b.dataIdMap && typeof b.wasm?.cwrap === 'function' && typeof b.wasm?.tfjs?.disposeData === 'function';
}

function offsetOf(backend: WasmHeapBackend, x: SlicedInfo): number {
  const d = backend.dataIdMap.get(x.dataId);
  if (!d || d.memoryOffset === null) throw new Error('slicedMatMul: operand has no wasm heap buffer');
  return d.memoryOffset;
}

/**
 * out[p] = a[ia(p)] x b[ib(p)] for every entry p of the broadcast batch `outer`,
 * with a: [...aBatch, m, k] and b: [...bBatch, k, n], both float32 and
 * untransposed. Returns a new [...outer, m, n] tensor info owned by the caller.
 */
export function slicedMatMul(backend: WasmHeapBackend, a: SlicedInfo, b: SlicedInfo, outer: number[], m: number, k: number, n: number): SlicedInfo {
  const run = wasmBatchMatMul(backend);
  calls++;
  const ia = batchIndices(a.shape.slice(0, -2), outer);
  const ib = batchIndices(b.shape.slice(0, -2), outer);
  const out = backend.makeOutput([...outer, m, n], 'float32') as SlicedInfo;
  const aBase = offsetOf(backend, a);
  const bBase = offsetOf(backend, b);
  const oBase = offsetOf(backend, out);
  const aShape = new Uint8Array(new Int32Array([1, m, k]).buffer);
  const bShape = new Uint8Array(new Int32Array([1, k, n]).buffer);
  const views: tf.DataId[] = [];
  const view = (offset: number, shape: number[]): number => {
    const v = backend.makeOutput(shape, 'float32', offset);
    views.push(v.dataId);
    return backend.dataIdMap.get(v.dataId)!.id;
  };
  const drop = (): void => {
    for (const d of views) {
      const info = backend.dataIdMap.get(d);
      if (info) backend.wasm.tfjs.disposeData(info.id);
      backend.dataIdMap.delete(d);
    }
    views.length = 0;
  };
  try {
    for (let p = 0; p < ia.length; p++) {
      const aId = view(aBase + ia[p]! * m * k * 4, [1, m, k]);
      const bId = view(bBase + ib[p]! * k * n * 4, [1, k, n]);
      const oId = view(oBase + p * m * n * 4, [1, m, n]);
      run(aId, aShape, 3, bId, bShape, 3, 0, 0, oId);
      drop();
    }
  } catch (e) {
    drop();
    const d = backend.dataIdMap.get(out.dataId);
    if (d) (backend as unknown as { disposeData(id: tf.DataId): void }).disposeData(out.dataId);
    throw e;
  }
  return out;
}
