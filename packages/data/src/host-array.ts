import * as tf from '@tensorflow/tfjs';
import { errors } from '@engram/core';

/**
 * A dense float32 array on the host (plain memory, not a tensor) with its
 * row-major shape. Generators and masks return this form so that no tensor is
 * made (and none has to be disposed) unless the caller asks for one.
 */
export interface HostArray {
  /** Row-major values; `data.length` is the product of `shape`. */
  readonly data: Float32Array;
  /** Shape, e.g. `[count, size]` for a set of patterns. */
  readonly shape: readonly number[];
}

/** Number of elements of a shape (1 for the empty shape of a scalar). */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * Copies a {@link HostArray} into a new float32 tensor of the same shape.
 * The caller owns the tensor and must dispose it.
 */
export function hostArrayToTensor(array: HostArray): tf.Tensor {
  const n = sizeOf(array.shape);
  if (n !== array.data.length) {
    throw errors.shapeMismatch('host array data', [n], [array.data.length]);
  }
  return tf.tensor(array.data, [...array.shape], 'float32');
}
