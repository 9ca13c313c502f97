/**
 * Slice and SplitV for the wasm backend that read their input through a VIEW
 * of the wasm heap.
 *
 * Why: tfjs-backend-wasm 4.22's Slice starts with `backend.readSync(x)`, which
 * copies the WHOLE input out of the heap before copying the slice out of that
 * copy; SplitV calls Slice once per part, so splitting into P parts copies the
 * input P times (dense AM over K memories in blocks grew like K^1.7 past 30k
 * memories). Here only the slice is copied, in runs as long as the slice's
 * contiguous stretches (trailing dims taken whole merge into one run).
 * Results are bit-identical to the stock kernels (tested against them).
 */
import * as tf from '@tensorflow/tfjs';
import { defineLayer } from './kernel-stack.js';

type KernelFunc = tf.KernelConfig['kernelFunc'];
interface Info {
  dataId: tf.DataId;
  shape: number[];
  dtype: tf.DataType;
}
interface WasmSliceBackend {
  makeOutput(shape: number[], dtype: tf.DataType): Info;
  typedArrayFromHeap(x: Info): Float32Array | Int32Array | Uint8Array;
}

function isSliceBackend(b: unknown): b is WasmSliceBackend {
  const x = b as Partial<WasmSliceBackend> | null;
  return !!x && typeof x.makeOutput === 'function' && typeof x.typedArrayFromHeap === 'function';
}

/** Copies x[begin : begin + size] (any rank) into a new output, reading x as a heap view. */
function sliceInto(backend: WasmSliceBackend, x: Info, begin: number[], size: number[]): Info {
  const out = backend.makeOutput(size, x.dtype);
  const total = size.reduce((p, s) => p * s, 1);
  if (total === 0) return out;
  // Views taken after makeOutput (it may grow the heap, detaching older views).
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  const rank = x.shape.length;
  const strides = new Array<number>(rank);
  let s = 1;
  for (let i = rank - 1; i >= 0; i--) {
    strides[i] = s;
    s *= x.shape[i]!;
  }
  // The longest contiguous run: trailing dims taken whole, plus the first partial one.
  let run = 1;
  let d = rank - 1;
  while (d >= 0) {
    run *= size[d]!;
    if (size[d] !== x.shape[d] || begin[d] !== 0) break;
    d--;
  }
  if (d < 0) {
    dst.set(src.subarray(0, total));
    return out;
  }
  // Iterate over the outer dims 0..d-1 (odometer); the run starts at begin[d..] in dim d.
  const outer = size.slice(0, d);
  const idx = new Array<number>(d).fill(0);
  const runs = total / run;
  let base = 0;
  for (let i = 0; i < rank; i++) base += begin[i]! * strides[i]!;
  let o = 0;
  for (let r = 0; r < runs; r++) {
    let off = base;
    for (let i = 0; i < d; i++) off += idx[i]! * strides[i]!;
    dst.set(src.subarray(off, off + run), o);
    o += run;
    for (let i = d - 1; i >= 0; i--) {
      if (++idx[i]! < outer[i]!) break;
      idx[i] = 0;
    }
  }
  return out;
}

const slice = (below: KernelFunc): KernelFunc => (args) => {
  const { x } = args.inputs as unknown as { x: Info };
  const backend = args.backend;
  if (x.dtype === 'string' || !isSliceBackend(backend)) return below(args);
  const { begin, size } = args.attrs as unknown as { begin: number | number[]; size: number | number[] };
  const [b, s] = tf.slice_util.parseSliceParams(x as unknown as tf.TensorInfo, begin, size);
  return sliceInto(backend, x, b, s) as unknown as tf.TensorInfo;
};

const splitV = (below: KernelFunc): KernelFunc => (args) => {
  const { x } = args.inputs as unknown as { x: Info };
  const backend = args.backend;
  if (x.dtype === 'string' || !isSliceBackend(backend)) return below(args);
  const { numOrSizeSplits, axis } = args.attrs as unknown as { numOrSizeSplits: number | number[]; axis: number };
  const ax = tf.util.parseAxisParam(axis, x.shape)[0]!;
  const sizes = tf.backend_util.prepareSplitSize(x as unknown as tf.Tensor, numOrSizeSplits, ax);
  const begin = new Array<number>(x.shape.length).fill(0);
  const outs: Info[] = [];
  for (const part of sizes) {
    const size = [...x.shape];
    size[ax] = part;
    outs.push(sliceInto(backend, x, [...begin], size));
    begin[ax]! += part;
  }
  return outs as unknown as tf.TensorInfo[];
};

defineLayer({ name: 'slice-fix', backends: ['wasm'], kernels: { Slice: slice, SplitV: splitV } });
