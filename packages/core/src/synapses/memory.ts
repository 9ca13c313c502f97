import * as tf from '@tensorflow/tfjs';
import { errors } from '../errors/index.js';
import { logSumExp } from '../numerics/ops.js';
import type { TensorInput } from '../numerics/tensor-input.js';
import { defineSynapse, type Hypersynapse } from './hypersynapse.js';
import { flattenBatch, initVariable, requirePositive, requirePositiveInt } from './initializers.js';

/** Separation function of a {@link memorySynapse}. */
export type MemorySeparation = 'lse' | 'rectified-power';

/** Options of {@link memorySynapse}. */
export interface MemorySynapseOptions {
  /** Number of stored memories K. */
  memories: number;
  /** Flattened size D of the connected layer. */
  features: number;
  /** 'lse' (default): E = -(1/beta) log sum_mu exp(beta xi_mu . g); 'rectified-power': E = -(1/n) sum_mu relu(xi_mu . g)^n. */
  separation?: MemorySeparation;
  /** Inverse temperature of the 'lse' form (default 1). */
  beta?: number;
  /** Power n of the 'rectified-power' form (default 2). */
  n?: number;
  /** Initial memories [K, D]; seeded normal(0, 1/sqrt(D)) when absent. */
  patterns?: TensorInput;
  /** Seed of the initialisation (default 0). */
  seed?: number;
}

/**
 * A memory (Hopfield) synapse on one layer with K stored patterns xi_mu as the rows
 * of `Xi` [K, D]. The 'lse' form is the modern Hopfield / dense associative memory
 * energy; the 'rectified-power' form is Krotov & Hopfield's F(x) = relu(x)^n.
 */
export function memorySynapse(opts: MemorySynapseOptions): Hypersynapse {
  const K = requirePositiveInt('memories', opts.memories);
  const D = requirePositiveInt('features', opts.features);
  const separation = opts.separation ?? 'lse';
  if (separation !== 'lse' && separation !== 'rectified-power') {
    throw errors.invalidArgument('separation', "'lse' or 'rectified-power'", separation);
  }
  const beta = requirePositive('beta', opts.beta ?? 1);
  const n = requirePositive('n', opts.n ?? 2);
  const seed = opts.seed ?? 0;
  const Xi = initVariable('memory patterns', [K, D], { values: opts.patterns, std: 1 / Math.sqrt(D), seed });
  return defineSynapse({
    kind: 'core/memory',
    arity: 1,
    config: { memories: K, features: D, separation, beta, n, seed },
    variables: { Xi },
    energy: ([g], v) =>
      tf.tidy(() => {
        const h = tf.matMul(flattenBatch(g!), v['Xi'] as tf.Tensor2D, false, true); // [B, K]
        if (separation === 'lse') {
          return tf.mul(logSumExp(tf.mul(h, beta), 1), -1 / beta) as tf.Tensor1D;
        }
        return tf.mul(tf.sum(tf.pow(tf.relu(h), n), 1), -1 / n) as tf.Tensor1D;
      }),
    validate: (shapes) => {
      const s = shapes[0]!.reduce((x, y) => x * y, 1);
      if (s !== D) throw errors.shapeMismatch('memory synapse layer (flattened size)', [D], [s]);
    },
  });
}
