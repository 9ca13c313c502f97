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
 * freed when the last reference goes, as for Reshape.
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

defineLayer({ name: 'identity-share', backends: ['wasm'], kernels: { Identity: identity } });
