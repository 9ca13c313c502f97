import * as tf from '@tensorflow/tfjs';
import { errors } from '../errors/index.js';
import { toTensor, type TensorInput } from '../numerics/tensor-input.js';

/**
 * Creates a trainable variable either from given values (checked against the
 * expected shape) or from a seeded normal initialisation with the given std.
 */
export function initVariable(
  what: string,
  shape: number[],
  opts: { values?: TensorInput | undefined; std: number; seed: number; trainable?: boolean },
): tf.Variable {
  return tf.tidy(() => {
    let init: tf.Tensor;
    if (opts.values !== undefined) {
      init = toTensor(opts.values, what);
      const n = shape.reduce((a, b) => a * b, 1);
      if (init.size !== n) throw errors.shapeMismatch(what, shape, init.shape);
      init = init.reshape(shape);
    } else {
      init = tf.randomNormal(shape, 0, opts.std, 'float32', opts.seed);
    }
    return tf.variable(init, opts.trainable ?? true);
  });
}

/** Product of a shape's entries (its number of elements). */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Flattens [batch, ...] to [batch, features]. */
export function flattenBatch(x: tf.Tensor): tf.Tensor2D {
  return x.reshape([x.shape[0] ?? 1, -1]) as tf.Tensor2D;
}

