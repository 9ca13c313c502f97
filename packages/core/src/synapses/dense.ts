import * as tf from '@tensorflow/tfjs';
import { errors } from '../errors/index.js';
import type { TensorInput } from '../numerics/tensor-input.js';
import { defineSynapse, type Hypersynapse } from './hypersynapse.js';
import { flattenBatch, initVariable, requirePositiveInt } from './initializers.js';

/** Options of {@link denseSynapse}. */
export interface DenseSynapseOptions {
  /** Number of features of the first connected layer (its flattened size). */
  inFeatures: number;
  /** Number of features of the second connected layer. */
  outFeatures: number;
  /** Initial weights [inFeatures, outFeatures]; seeded normal(0, std) when absent. */
  weights?: TensorInput;
  /** Init std (default 1/sqrt(inFeatures)). */
  std?: number;
  /** Seed of the initialisation (default 0). */
  seed?: number;
}

/**
 * Dense bilinear synapse between two layers: E = -g1^T W g2 per sample, with
 * W of shape [inFeatures, outFeatures] (layers are flattened). Connecting a layer
 * to itself gives the classical Hopfield energy -g^T W g.
 */
export function denseSynapse(opts: DenseSynapseOptions): Hypersynapse {
  const n1 = requirePositiveInt('inFeatures', opts.inFeatures);
  const n2 = requirePositiveInt('outFeatures', opts.outFeatures);
  const seed = opts.seed ?? 0;
  const std = opts.std ?? 1 / Math.sqrt(n1);
  const W = initVariable('dense synapse weights', [n1, n2], { values: opts.weights, std, seed });
  return defineSynapse({
    kind: 'core/dense',
    arity: 2,
    config: { inFeatures: n1, outFeatures: n2, std, seed },
    variables: { W },
    energy: ([g1, g2], v) =>
      tf.tidy(() => {
        const a = flattenBatch(g1!);
        const b = flattenBatch(g2!);
        return tf.neg(tf.sum(tf.mul(tf.matMul(a, v['W'] as tf.Tensor2D), b), 1)) as tf.Tensor1D;
      }),
    validate: (shapes) => {
      const s = shapes.map((sh) => sh.reduce((x, y) => x * y, 1));
      if (s[0] !== n1 || s[1] !== n2) {
        throw errors.shapeMismatch('dense synapse layers (flattened sizes)', [n1, n2], s);
      }
    },
  });
}
