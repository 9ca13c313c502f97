/**
 * Two backward passes as ONE kernel where a backend has them (the native path
 * registers both on wasm): ReLU's gradient dy * step(x), and softmax's
 * y (dy - sum(dy y)) over the last axis. Used by engram's Relu and Softmax
 * gradients (numerics/gradient-fixes.ts) at first order only: when a gradient
 * is itself differentiated they compose stock kernels, whose tape is exact at
 * every order, so the fused kernels need no gradient of their own.
 *
 * Why: tfjs composes them from Step and Multiply (two passes over x's size)
 * and from Multiply, Sum, Multiply, Sub (four kernels); in the ET train step
 * (B = 32, N = 49, 512 memories) that is 2 x 800k and 4 x 307k numbers per
 * descent step that one pass each replaces.
 */
import * as tf from '@tensorflow/tfjs';
import { runFusedKernel } from './fused-kernel.js';

/** The ReLU gradient kernel's name in tfjs' registry: inputs dy and x of one shape, float32. */
export const RELU_GRAD_KERNEL = 'EngramReluGrad';
/** The softmax gradient kernel's name: inputs dy and y (the softmax's output) of one shape, over the last axis. */
export const SOFTMAX_GRAD_KERNEL = 'EngramSoftmaxGrad';

/** The kernel on inputs {dy, [second]: b} when the backend has it and the operands are float32 of one shape. */
function fused(kernel: string, dy: tf.Tensor, second: 'x' | 'y', b: tf.Tensor): tf.Tensor | undefined {
  if (dy.dtype !== 'float32' || b.dtype !== 'float32' || dy.rank === 0 || !tf.util.arraysEqual(dy.shape, b.shape)) return undefined;
  return runFusedKernel(kernel, { dy, [second]: b });
}

/** dy * step(x) (tfjs' Relu gradient), one kernel when the backend has it and `composeOnly` is false. */
export function reluBackward(dy: tf.Tensor, x: tf.Tensor, composeOnly: boolean): tf.Tensor {
  return (!composeOnly && fused(RELU_GRAD_KERNEL, dy, 'x', x)) || tf.mul(dy, tf.cast(tf.step(x), 'float32'));
}

/** dy y - sum(dy y) y over axis `dim` (softmax's gradient from its output y), one kernel when the backend has it (last axis) and `composeOnly` is false. */
export function softmaxBackward(dy: tf.Tensor, y: tf.Tensor, dim: number, composeOnly: boolean): tf.Tensor {
  const last = dim === -1 || dim === y.rank - 1;
  const one = !composeOnly && last ? fused(SOFTMAX_GRAD_KERNEL, dy, 'y', y) : undefined;
  if (one) return one;
  const dyTimesY = tf.mul(dy, y);
  return tf.sub(dyTimesY, tf.mul(tf.sum(dyTimesY, [dim], true), y));
}
