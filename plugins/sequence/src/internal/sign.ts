/** The binary neurons' update sgn with sgn(0) = +1, so states stay in {-1, +1}. */
import * as tf from '@tensorflow/tfjs';

/** sgn(h) with sgn(0) = +1 (also for -0): +1 where h >= 0, -1 elsewhere (new tensor). */
export function binarySign(h: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.sub(tf.mul(tf.cast(tf.greaterEqual(h, 0), 'float32'), 2), 1));
}
