import * as tf from '@tensorflow/tfjs';
import { defineLagrangian, parseConfig, z, type Lagrangian } from '@engram/core';

/** Parameters of {@link softsign}. */
export const softsignSchema = z.strictObject({
  scale: z.number().positive().default(1).describe('slope at 0; the activation is x / (1 + scale |x|)'),
});

/**
 * The softsign Lagrangian: L(x) = sum(|x| - log(1 + |x|)) (scaled), convex,
 * whose activation g = x / (1 + |x|) is the softsign function (bounded in (-1, 1)).
 */
export function softsign(params: z.input<typeof softsignSchema> = {}): Lagrangian {
  const { scale } = parseConfig(softsignSchema, params, 'softsign/softsign', 'params');
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
