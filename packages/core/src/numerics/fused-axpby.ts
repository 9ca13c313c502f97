/**
 * a x + b y for two float32 tensors of one shape as ONE kernel where a backend
 * has it (the native path registers it on wasm). Core's descent step is this
 * with a = 1 - dt/tau and b = -dt/tau (the Legendre leak folded into the
 * Euler step x - dt/tau (x + dE_syn/dg)): one pass over the state instead of
 * the Add, Multiply and Sub it replaces.
 *
 * Its gradient (a dy, b dy) reads nothing saved, so it is exact at every order.
 */
import * as tf from '@tensorflow/tfjs';
import { runFusedKernel } from './fused-kernel.js';

/** The kernel's name in tfjs' registry: inputs x, y (float32, one shape), attributes a, b. */
export const AXPBY_KERNEL = 'EngramAxpby';

/** The kernel's attributes. */
export interface AxpbyAttrs {
  a: number;
  b: number;
}

/** The kernel's gradient, registered with the kernel (backend/native/native-fused.ts). */
export const axpbyGradConfig: tf.GradConfig = {
  kernelName: AXPBY_KERNEL,
  gradFunc: (dy, _saved, attrs) => {
    const d = Array.isArray(dy) ? dy[0]! : dy;
    const { a, b } = attrs as unknown as AxpbyAttrs;
    // a = 1 (every Euler step's x): a copy that shares dy's data, not a pass multiplying by one. (Not dy
    // itself: the tape may dispose an accumulated gradient it handed out.)
    return { x: () => (a === 1 ? tf.clone(d) : tf.mul(d, a)), y: () => (b === 1 ? tf.clone(d) : tf.mul(d, b)) };
  },
};

/** a x + b y through the fused kernel; undefined when the backend has none or the operands do not fit it (the caller composes). */
export function fusedAxpby(a: number, x: tf.Tensor, b: number, y: tf.Tensor): tf.Tensor | undefined {
  if (x.dtype !== 'float32' || y.dtype !== 'float32' || !tf.util.arraysEqual(x.shape, y.shape) || x.size === 0) return undefined;
  const attrs: AxpbyAttrs = { a, b };
  return runFusedKernel(AXPBY_KERNEL, { x, y }, attrs);
}
