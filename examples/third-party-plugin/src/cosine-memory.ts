import * as tf from '@tensorflow/tfjs';
import { defineSynapse, errors, ops, type Hypersynapse, type JsonObject } from '@engram/core';

/**
 * A cosine-similarity memory: E = -(1/beta) log sum_mu exp(beta cos(xi_mu, g)).
 * Unlike the dot-product memory it ignores the norm of g, so stored patterns of
 * very different norms compete fairly.
 */
export function cosineMemory(config: JsonObject): Hypersynapse {
  const K = config['memories'];
  const D = config['features'];
  const beta = config['beta'] ?? 10;
  const seed = typeof config['seed'] === 'number' ? config['seed'] : 0;
  if (typeof K !== 'number' || !Number.isInteger(K) || K <= 0) throw errors.invalidArgument('cosine-memory memories', 'a positive integer', K);
  if (typeof D !== 'number' || !Number.isInteger(D) || D <= 0) throw errors.invalidArgument('cosine-memory features', 'a positive integer', D);
  if (typeof beta !== 'number' || !(beta > 0)) throw errors.invalidArgument('cosine-memory beta', 'a positive number', beta);
  const Xi = tf.variable(tf.randomNormal([K, D], 0, 1, 'float32', seed));
  return defineSynapse({
    kind: 'softsign/cosine-memory',
    arity: 1,
    config: { memories: K, features: D, beta, seed },
    variables: { Xi },
    energy: ([g], v) =>
      tf.tidy(() => {
        const flat = g!.reshape([g!.shape[0]!, -1]);
        const unit = (m: tf.Tensor): tf.Tensor => tf.div(m, tf.sqrt(tf.add(tf.sum(tf.square(m), 1, true), 1e-8)));
        const cos = tf.matMul(unit(flat), unit(v['Xi']!), false, true);
        return tf.mul(ops.logSumExp(tf.mul(cos, beta), 1), -1 / beta) as tf.Tensor1D;
      }),
    validate: (shapes) => {
      const n = shapes[0]!.reduce((a, b) => a * b, 1);
      if (n !== D) throw errors.shapeMismatch('cosine-memory layer (flattened size)', [D], [n]);
    },
  });
}
