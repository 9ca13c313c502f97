import * as tf from '@tensorflow/tfjs';
import type { z } from 'zod';
import { errors } from '../errors/index.js';
import type { JsonObject, TensorInput } from '../numerics/tensor-input.js';
import { parseConfig } from '../schema/parse-config.js';
import { defineSynapse, type Hypersynapse } from './hypersynapse.js';
import { flattenBatch, initVariable } from './initializers.js';
import { memorySynapseSchema } from './schemas.js';
import { separation } from './separation.js';

/** Separation function of a {@link memorySynapse}. */
export type MemorySeparation = z.output<typeof memorySynapseSchema>['separation'];

/** Options of {@link memorySynapse}: its config, and optionally the stored patterns. */
export type MemorySynapseOptions = z.input<typeof memorySynapseSchema> & {
  /** Initial stored patterns [memories, size]; seeded normal(0, 1/sqrt(size)) when absent. */
  patterns?: TensorInput;
};

/**
 * A memory (Hopfield) synapse on one layer with K stored patterns xi_mu as the
 * rows of `patterns` [K, D]: E = -(1/beta) log sum_mu exp(beta xi_mu . g) for
 * 'lse' (the modern Hopfield / dense associative memory energy), else
 * E = -sum_mu F(xi_mu . g) with F of core's {@link separation} (Krotov &
 * Hopfield's rectified power, Demircigil's exponential).
 */
export function memorySynapse(options: MemorySynapseOptions): Hypersynapse {
  const { patterns, ...rest } = options;
  const config = parseConfig(memorySynapseSchema, rest, 'core/memory');
  const { memories: K, size: D, beta, n, seed, shift } = config;
  const F = separation({ kind: config.separation, beta, n }, 'core/memory');
  const stored = initVariable('memory patterns', [K, D], { values: patterns, std: 1 / Math.sqrt(D), seed, trainable: config.trainable });
  return defineSynapse({
    kind: 'core/memory',
    arity: 1,
    config: config as JsonObject,
    variables: { patterns: stored },
    energy: ([g], v) => tf.tidy(() => F.energy(tf.matMul(flattenBatch(g!), v['patterns'] as tf.Tensor2D, false, true) as tf.Tensor2D, shift)),
    // dE/dg = -F'(h) Xi with h = g Xi^T: for 'lse' the modern Hopfield update direction -softmax(beta h) Xi.
    energyAndGradient: ([g], v) =>
      tf.tidy(() => {
        const xi = v['patterns'] as tf.Tensor2D;
        const h = tf.matMul(flattenBatch(g!), xi, false, true) as tf.Tensor2D;
        // The weights' constant (n, beta) goes in with the sign, on [batch, D] rather than [batch, K].
        const { energy, weights, factor } = F.energyAndFactoredWeights(h, shift);
        const pull = tf.matMul(weights, xi);
        return { energy, gradients: [(factor === 1 ? tf.neg(pull) : tf.mul(pull, -factor)).reshape(g!.shape)] };
      }),
    validate: (shapes) => {
      const s = shapes[0]!.reduce((x, y) => x * y, 1);
      if (s !== D) throw errors.shapeMismatch('memory synapse layer (flattened size)', [D], [s]);
    },
  });
}
