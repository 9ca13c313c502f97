import * as tf from '@tensorflow/tfjs';
import { defineSynapse, errors, initVariable, ops, parseConfig, z, type Hypersynapse } from '@engram/core';

/** Config of {@link cosineMemory}, in the project's vocabulary (memories, size, beta, seed). */
export const cosineMemorySchema = z.strictObject({
  memories: z.number().int().positive().describe('number of stored patterns'),
  size: z.number().int().positive().describe('size of the connected layer (flattened)'),
  beta: z.number().positive().default(10).describe('inverse temperature'),
  seed: z.number().int().default(0).describe('seed of the initial patterns'),
});

/**
 * A cosine-similarity memory: E = -(1/beta) log sum_mu exp(beta cos(xi_mu, g)).
 * Unlike the dot-product memory it ignores the norm of g, so stored patterns of
 * very different norms compete fairly.
 */
export function cosineMemory(config: z.input<typeof cosineMemorySchema>): Hypersynapse {
  const { memories: K, size: D, beta, seed } = parseConfig(cosineMemorySchema, config, 'softsign/cosine-memory');
  const patterns = initVariable('cosine-memory patterns', [K, D], { std: 1, seed });
  return defineSynapse({
    kind: 'softsign/cosine-memory',
    arity: 1,
    config: { memories: K, size: D, beta, seed },
    variables: { patterns },
    energy: ([g], v) =>
      tf.tidy(() => {
        const flat = g!.reshape([g!.shape[0]!, -1]);
        const unit = (m: tf.Tensor): tf.Tensor => tf.div(m, tf.sqrt(tf.add(tf.sum(tf.square(m), 1, true), 1e-8)));
        const cos = tf.matMul(unit(flat), unit(v['patterns']!), false, true);
        return tf.mul(ops.logSumExp(tf.mul(cos, beta), 1), -1 / beta) as tf.Tensor1D;
      }),
    validate: (shapes) => {
      const n = shapes[0]!.reduce((a, b) => a * b, 1);
      if (n !== D) throw errors.shapeMismatch('cosine-memory layer (flattened size)', [D], [n]);
    },
  });
}
