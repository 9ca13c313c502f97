/**
 * log(sum(exp(x))) over the trailing axes as ONE kernel where a backend has it
 * (the native path registers it on wasm), with a registered gradient that is
 * exact at every order: d lse / dx = softmax(x) over the same axes, built from
 * tf.softmax (whose gradient engram fixes for second order).
 *
 * Why: the composed form (max, sub, exp, sum, log, add) is six kernels and
 * four passes over x forward, and its tape adds six more kernels backward; in
 * an autodiff descent step on a modern Hopfield energy (K = 1000, B = 128)
 * those kernels' dispatch cost more than their arithmetic. At first order the
 * gradient is one kernel too where the backend has it, softmax(x) dy (as
 * accurate as Softmax, one dispatch and one output where Softmax, Reshape
 * and Multiply were three); when the gradient is itself differentiated it is composed from the
 * saved input alone (a saved output would drop its path back to x: see
 * gradient-fixes.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { runFusedKernel } from './fused-kernel.js';
import { differentiated } from './gradient-fixes.js';

/** The kernel's name in tfjs' registry. */
export const LOG_SUM_EXP_KERNEL = 'EngramLogSumExp';
/** Its first-order gradient kernel: inputs x and dy (one per row), attributes as the forward's; dx = softmax(x) dy over the reduced axes. */
export const LOG_SUM_EXP_GRAD_KERNEL = 'EngramLogSumExpGrad';

/** The kernel's attributes: how many trailing axes it reduces. */
export interface LogSumExpAttrs {
  axes: number;
}

/** Softmax over the last `axes` axes of x (tf.softmax works on the last axis only). */
function trailingSoftmax(x: tf.Tensor, axes: number): tf.Tensor {
  if (axes === 1) return tf.softmax(x);
  const kept = x.shape.slice(0, x.rank - axes);
  const cols = x.shape.slice(x.rank - axes).reduce((p, q) => p * q, 1);
  return tf.reshape(tf.softmax(tf.reshape(x, [...kept, cols])), x.shape);
}

/** The kernel's gradient, registered with the kernel (backend/native/native-fused.ts): dy broadcast over the reduced axes, times softmax(x). */
export const logSumExpGradConfig: tf.GradConfig = {
  kernelName: LOG_SUM_EXP_KERNEL,
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved as [tf.Tensor];
    const { axes } = attrs as unknown as LogSumExpAttrs;
    const d = Array.isArray(dy) ? dy[0]! : dy;
    return {
      x: () => {
        const fused = !differentiated() && d.dtype === 'float32' ? runFusedKernel(LOG_SUM_EXP_GRAD_KERNEL, { x, dy: d }, attrs) : undefined;
        return fused ?? tf.mul(trailingSoftmax(x, axes), tf.reshape(d, [...x.shape.slice(0, x.rank - axes), ...new Array<number>(axes).fill(1)]));
      },
    };
  },
};

/**
 * lse over the trailing `axes` axes of a float32 x, without keeping the reduced
 * axes, through the fused kernel; undefined when the active backend has none
 * (the caller composes it).
 */
export function fusedLogSumExp(x: tf.Tensor, axes: number): tf.Tensor | undefined {
  if (x.dtype !== 'float32' || axes < 1 || axes > x.rank || x.size === 0) return undefined;
  const attrs: LogSumExpAttrs = { axes };
  return runFusedKernel(LOG_SUM_EXP_KERNEL, { x }, attrs);
}
