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

/**
 * 2-D matMul whose gradient materialises the transposes instead of calling
 * matMul with a transposed operand: on the wasm backend a transposed operand is
 * about ten times slower, and tfjs's own MatMul gradient uses exactly that. For
 * first-order use (training through the closed-form descent).
 */
export const fastMatMul: (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D = tf.customGrad(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  ((a: tf.Tensor2D, b: tf.Tensor2D, save: tf.GradSaveFunc) => {
    save([a, b]);
    return {
      value: tf.matMul(a, b),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.matMul(dy, tf.transpose(saved[1]!)), tf.matMul(tf.transpose(saved[0]!), dy)],
    };
  }) as never,
) as never;
