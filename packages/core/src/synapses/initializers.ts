import * as tf from '@tensorflow/tfjs';

export { initVariable } from '../numerics/parameters.js';

/** Product of a shape's entries (its number of elements). */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Flattens [batch, ...] to [batch, features]. */
export function flattenBatch(x: tf.Tensor): tf.Tensor2D {
  return x.reshape([x.shape[0] ?? 1, -1]) as tf.Tensor2D;
}

