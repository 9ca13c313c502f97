import * as tf from '@tensorflow/tfjs';
import { defineLagrangian, errors, type JsonObject, type Lagrangian } from '@engram/core';

/**
 * The softsign Lagrangian: L(x) = sum(|x| - log(1 + |x|)), convex, whose
 * activation g = x / (1 + |x|) is the softsign function (bounded in (-1, 1)).
 */
export function softsign(params: JsonObject = {}): Lagrangian {
  const scale = params['scale'] ?? 1;
  if (typeof scale !== 'number' || !(scale > 0)) throw errors.invalidArgument('softsign scale', 'a positive number', scale);
  return defineLagrangian({
    kind: 'softsign/softsign',
    params: { scale },
    lagrangian: (x) =>
      tf.tidy(() => {
        const a = tf.abs(tf.mul(x, scale));
        const per = tf.div(tf.sub(a, tf.log1p(a)), scale);
        return tf.sum(per.reshape([x.shape[0]!, -1]), 1) as tf.Tensor1D;
      }),
    activation: (x) => tf.tidy(() => tf.div(x, tf.add(1, tf.abs(tf.mul(x, scale))))),
  });
}
