/**
 * The wasm backend's heap as the native kernels see it: one ArrayBuffer (the
 * module's memory) and byte offsets of tensors in it.
 *
 * Pitfall (measured): growing the wasm memory DETACHES the old buffer, and any
 * allocation may grow it. So a kernel allocates its outputs first and reads
 * `heap()` after its last allocation, right before calling the addon; it never
 * keeps the buffer across calls.
 */
import type * as tf from '@tensorflow/tfjs';

/** The parts of tfjs-backend-wasm's BackendWasm (4.22) the native kernels use. */
export interface WasmBackendLike {
  dataIdMap: { get(dataId: tf.DataId): { memoryOffset: number | null; shape: number[]; dtype: tf.DataType } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number): tf.TensorInfo;
  disposeData(dataId: tf.DataId, force?: boolean): boolean;
  wasm: { HEAPU8: Uint8Array };
}

/** A tensor as kernels see it. */
export interface Info {
  dataId: tf.DataId;
  shape: number[];
  dtype: tf.DataType;
}

/** True when `backend` looks like tfjs' wasm backend (heap, data map, makeOutput). */
export function isWasmBackendLike(backend: unknown): backend is WasmBackendLike {
  const b = backend as Partial<WasmBackendLike> | null;
  return !!b && typeof b.makeOutput === 'function' && !!b.dataIdMap && b.wasm?.HEAPU8 instanceof Uint8Array;
}

/** The heap's current buffer (re-read it after every allocation). */
export function heap(backend: WasmBackendLike): ArrayBuffer {
  return backend.wasm.HEAPU8.buffer as ArrayBuffer;
}

/** Byte offset of a tensor's data in the heap. */
export function offsetOf(backend: WasmBackendLike, x: Info): number {
  const d = backend.dataIdMap.get(x.dataId);
  if (!d || d.memoryOffset === null || d.memoryOffset === undefined) throw new Error('native kernel: tensor has no wasm heap buffer');
  return d.memoryOffset;
}

/**
 * Allocates a kernel's outputs (`shapes`, all of `dtype`), then runs `fill`
 * on them, which reads `heap()` itself (the allocations may have grown it);
 * if anything throws, every output made so far is freed (a failed kernel
 * leaks nothing) and the error goes on.
 */
export function withOutputs(backend: WasmBackendLike, shapes: readonly (readonly number[])[], fill: (outs: Info[]) => void, dtype: tf.DataType = 'float32'): Info[] {
  const outs: Info[] = [];
  try {
    for (const shape of shapes) outs.push(backend.makeOutput([...shape], dtype) as Info);
    fill(outs);
    return outs;
  } catch (e) {
    for (const t of outs) backend.disposeData(t.dataId);
    throw e;
  }
}

/** Product of a list of sizes (1 for an empty list). */
export function sizeOf(shape: readonly number[]): number {
  let p = 1;
  for (const s of shape) p *= s;
  return p;
}
