import * as tf from '@tensorflow/tfjs';

export { initVariable } from '../numerics/parameters.js';

/** Product of a shape's entries (its number of elements). */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Flattens [batch, ...] to [batch, features]. A tensor that is already
 * [batch, features] comes back as itself, not a copy (call it inside tf.tidy
 * and do not dispose the result apart from x): a reshape to the same shape
 * is a kernel forward and another backward, for nothing.
 */
export function flattenBatch(x: tf.Tensor): tf.Tensor2D {
  if (x.rank === 2) return x as tf.Tensor2D;
  return x.reshape([x.shape[0] ?? 1, -1]) as tf.Tensor2D;
}

