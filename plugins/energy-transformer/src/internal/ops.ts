/**
 * Small tensor helpers shared by the ET modules. They use only ops whose
 * gradients are correct at first and second order once core's initBackend has
 * installed its gradient fixes (exp, log, max with zero comparison gradients).
 */
import * as tf from '@tensorflow/tfjs';

/** Stable log-sum-exp along the last axis, keeping it as size 1. */
export function logSumExpLast(z: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    // The max only shifts for stability: its gradient cancels analytically.
    const m = tf.max(z, -1, true);
    return tf.add(tf.log(tf.sum(tf.exp(tf.sub(z, m)), -1, true)), m);
  });
}

/** Seeded normal initialiser N(0, std^2) as a trainable variable. */
export function normalVariable(shape: number[], std: number, seed: number, name?: string): tf.Variable {
  return tf.tidy(() => tf.variable(tf.randomNormal(shape, 0, std, 'float32', seed), true, name));
}

/** Zeros / constant as a trainable variable. */
export function constantVariable(shape: number[], value: number, name?: string): tf.Variable {
  return tf.tidy(() => tf.variable(tf.fill(shape, value), true, name));
}

/** Copies `value` into `v` after checking the shape; `what` names it in the error. */
export function assignChecked(v: tf.Variable, value: tf.Tensor, what: string, shapeMismatch: (w: string, e: number[], a: number[]) => Error): void {
  if (value.shape.length !== v.shape.length || value.shape.some((d, i) => d !== v.shape[i])) {
    throw shapeMismatch(what, v.shape, value.shape);
  }
  v.assign(value.toFloat());
}
