/**
 * Identity for the wasm backend that shares its input's buffer (a reference
 * count) instead of copying it, as tfjs' cpu backend does.
 *
 * Why: tfjs saves every tensor a gradient needs by clone(), i.e. the
 * Identity kernel, and tfjs-backend-wasm 4.22's Identity copies: every input
 * an op saves for the backward pass was held TWICE. Measured on the ET train
 * step (B=32, N=49, T=12): 618 Identity copies per step and a 917 MB tensor
 * peak. Tensors are immutable (no wasm kernel writes into an input; a
 * variable's assign swaps its buffer), so sharing is safe; the buffer is
 * freed when the last reference goes, as for Reshape. A Cast to the tensor's
 * own dtype shares the same way.
 */
import type * as tf from '@tensorflow/tfjs';
import { defineLayer } from './kernel-stack.js';

type KernelFunc = tf.KernelConfig['kernelFunc'];
interface Sharing {
  incRef(dataId: tf.DataId): void;
}

const identity = (below: KernelFunc): KernelFunc => (args) => {
  const { x } = args.inputs as unknown as { x: tf.TensorInfo };
  const backend = args.backend as unknown as Partial<Sharing>;
  if (x.dtype === 'string' || typeof backend.incRef !== 'function') return below(args);
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
};

/**
 * Cast to the dtype a tensor already has is an identity too: tfjs' Relu and
 * Square gradients cast float32 to float32 (`cast(step(x), 'float32')`), and
 * the wasm Cast copies (measured in the ET train step: 50 copies per step, up
 * to 3.2 MB each). A cast to bool writes x != 0 (the stock wasm kernel stores
 * the number itself truncated to a byte: -2 became 254, 0.5 became 0; the cpu
 * backend gives 1 for both).
 */
interface Heap {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

const cast = (below: KernelFunc): KernelFunc => {
  const share = identity(below);
  return (args) => castOrShare(args, share, below);
};

function castOrShare(args: Parameters<KernelFunc>[0], share: KernelFunc, below: KernelFunc): ReturnType<KernelFunc> {
  const { x } = args.inputs as unknown as { x: tf.TensorInfo };
  const { dtype } = args.attrs as unknown as { dtype: tf.DataType };
  if (dtype === x.dtype) return share(args);
  const backend = args.backend as unknown as Partial<Heap>;
  if (dtype !== 'bool' || (x.dtype !== 'float32' && x.dtype !== 'int32') || typeof backend.makeOutput !== 'function' || typeof backend.typedArrayFromHeap !== 'function') return below(args);
  const out = backend.makeOutput([...x.shape], 'bool');
  // Views after the allocation (it may grow the heap and detach older views).
  const from = backend.typedArrayFromHeap(x);
  const to = backend.typedArrayFromHeap(out);
  for (let i = 0; i < from.length; i++) to[i] = from[i] !== 0 ? 1 : 0;
  return out;
}

defineLayer({ name: 'identity-share', backends: ['wasm'], kernels: { Identity: identity, Cast: cast } });
