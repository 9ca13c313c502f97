import * as tf from '@tensorflow/tfjs';
import type { z } from 'zod';
import { errors } from '../errors/index.js';
import type { JsonObject, TensorInput } from '../numerics/tensor-input.js';
import { parseConfig } from '../schema/parse-config.js';
import { defineSynapse, type Hypersynapse } from './hypersynapse.js';
import { flattenBatch, initVariable } from './initializers.js';
import { denseSynapseSchema } from './schemas.js';

/** Options of {@link denseSynapse}: its config, and optionally the initial weights. */
export type DenseSynapseOptions = z.input<typeof denseSynapseSchema> & {
  /** Initial weights [inSize, outSize]; seeded normal(0, std) when absent. */
  weights?: TensorInput;
};

/**
 * Dense bilinear synapse between two layers: E = -g1^T W g2 per sample, with
 * W of shape [inSize, outSize] (layers are flattened). Connecting a layer
 * to itself gives the classical Hopfield energy -g^T W g.
 */
export function denseSynapse(options: DenseSynapseOptions): Hypersynapse {
  const { weights, ...rest } = options;
  const config = parseConfig(denseSynapseSchema, rest, 'core/dense');
  const { inSize: n1, outSize: n2, seed } = config;
  const std = config.std ?? 1 / Math.sqrt(n1);
  const W = initVariable('dense synapse weights', [n1, n2], { values: weights, std, seed });
  return defineSynapse({
    kind: 'core/dense',
    arity: 2,
    config: { inSize: n1, outSize: n2, std, seed } as JsonObject,
    variables: { W },
    energy: ([g1, g2], v) =>
      tf.tidy(() => {
        const a = flattenBatch(g1!);
        const b = flattenBatch(g2!);
        return tf.neg(tf.sum(tf.mul(tf.matMul(a, v['W'] as tf.Tensor2D), b), 1)) as tf.Tensor1D;
      }),
    // dE/dg1 = -W g2, dE/dg2 = -W^T g1 (a self-connection gets both: -(W + W^T) g).
    energyAndGradient: ([g1, g2], v) =>
      tf.tidy(() => {
        const W = v['W'] as tf.Tensor2D;
        const a = flattenBatch(g1!);
        const b = flattenBatch(g2!);
        const aW = tf.matMul(a, W);
        return {
          energy: tf.neg(tf.sum(tf.mul(aW, b), 1)) as tf.Tensor1D,
          gradients: [tf.neg(tf.matMul(b, W, false, true)).reshape(g1!.shape), tf.neg(aW).reshape(g2!.shape)],
        };
      }),
    validate: (shapes) => {
      const s = shapes.map((sh) => sh.reduce((x, y) => x * y, 1));
      if (s[0] !== n1 || s[1] !== n2) {
        throw errors.shapeMismatch('dense synapse layers (flattened sizes)', [n1, n2], s);
      }
    },
  });
}
