/**
 * ClAM's energy as a core hypersynapse on one layer: prototypes rho_mu (the
 * stored patterns, rows of `patterns` [memories, size]) and
 *
 *     E(x) = -(1/beta) log sum_mu exp(-(beta/2) ||x - rho_mu||^2),
 *
 * the negative-squared-distance member of the modern Hopfield family. Its
 * gradient is dE/dx = x - sum_mu softmax_mu(-(beta/2)||x - rho_mu||^2) rho_mu,
 * so a descent step pulls x towards a softmax-weighted mean of the prototypes
 * (Saha, Krotov, Zaki & Ram, ICML 2023, eq. 6-7).
 *
 * Both are computed from the overlaps x.rho_mu (one matrix product) rather
 * than from the [batch, memories, size] differences: -(beta/2)||x - rho||^2 =
 * beta (x.rho - ||rho||^2/2) - (beta/2)||x||^2, and the last term does not
 * depend on mu, so it leaves the softmax unchanged and adds ||x||^2/2 to E.
 * Everything is tf ops that differentiate twice (core's logSumExp/softmax),
 * so training through unrolled steps of this gradient works.
 */
import * as tf from '@tensorflow/tfjs';
import { seededNormal } from '../internal/seeded-normal.js';
import { defineSynapse, errors, ops, parseConfig, z, type Hypersynapse, type JsonObject, type TensorInput, toTensor } from '@engram/core';

/** The schema of a prototype synapse's config. */
export const prototypeSynapseSchema = z.strictObject({
  memories: z.number().int().min(1).describe('number of prototypes (clusters k)'),
  size: z.number().int().min(1).describe('features per sample'),
  beta: z.number().positive().default(1).describe('inverse temperature of the softmax over prototypes'),
  seed: z.number().int().default(0).describe('seed of the initial prototypes'),
  initMean: z.number().default(0.1).describe('mean of the normal initial prototypes (the authors use 0.1)'),
  initStd: z.number().min(0).default(0.1).describe('standard deviation of the normal initial prototypes (the authors use 0.1)'),
  trainable: z.boolean().default(true).describe('whether training moves the prototypes'),
});

/** A prototype synapse's config as written (defaults optional). */
export type PrototypeSynapseConfig = z.input<typeof prototypeSynapseSchema>;

/** Options of {@link prototypeSynapse}: its config and, optionally, initial prototypes. */
export type PrototypeSynapseOptions = PrototypeSynapseConfig & {
  /** Initial prototypes [memories, size]; seeded normal(initMean, initStd) when absent. */
  patterns?: TensorInput;
};

/** beta (x . rho_mu - ||rho_mu||^2 / 2): the softmax logits up to a per-sample constant, [batch, memories]. */
export function prototypeLogits(x: tf.Tensor2D, patterns: tf.Tensor2D, beta: number, halfNorms?: tf.Tensor1D): tf.Tensor2D {
  return tf.tidy(() => {
    const half = halfNorms ?? tf.mul(tf.sum(tf.square(patterns), 1), 0.5);
    return tf.mul(tf.sub(tf.matMul(x, patterns, false, true), half), beta) as tf.Tensor2D;
  });
}

/** The energy per sample, [batch]. */
export function prototypeEnergy(x: tf.Tensor2D, patterns: tf.Tensor2D, beta: number): tf.Tensor1D {
  return tf.tidy(() => {
    const lse = ops.logSumExp(prototypeLogits(x, patterns, beta), 1) as tf.Tensor1D;
    return tf.sub(tf.mul(tf.sum(tf.square(x), 1), 0.5), tf.div(lse, beta)) as tf.Tensor1D;
  });
}

/** dE/dx = x - softmax(logits) rho, [batch, size]; `halfNorms` (||rho||^2/2) may be given once for many steps. */
export function prototypeGradient(x: tf.Tensor2D, patterns: tf.Tensor2D, beta: number, halfNorms?: tf.Tensor1D): tf.Tensor2D {
  return tf.tidy(() => {
    const weights = ops.softmax(prototypeLogits(x, patterns, beta, halfNorms), 1) as tf.Tensor2D;
    return tf.sub(x, tf.matMul(weights, patterns)) as tf.Tensor2D;
  });
}

/** Energy and gradient in one pass (the logits are shared). */
export function prototypeEnergyAndGradient(x: tf.Tensor2D, patterns: tf.Tensor2D, beta: number): { energy: tf.Tensor1D; gradient: tf.Tensor2D } {
  return tf.tidy(() => {
    const logits = prototypeLogits(x, patterns, beta);
    const lse = ops.logSumExp(logits, 1, true);
    const weights = tf.exp(tf.sub(logits, lse)) as tf.Tensor2D;
    const energy = tf.sub(tf.mul(tf.sum(tf.square(x), 1), 0.5), tf.div(tf.squeeze(lse, [1]), beta)) as tf.Tensor1D;
    return { energy, gradient: tf.sub(x, tf.matMul(weights, patterns)) as tf.Tensor2D };
  });
}

/**
 * The ClAM energy as a {@link Hypersynapse} of arity 1 (kind 'clam/prototypes'),
 * with its prototypes as the tf.Variable `patterns` and a closed-form
 * `energyAndGradient`.
 */
export function prototypeSynapse(options: PrototypeSynapseOptions): Hypersynapse {
  const { patterns, ...rest } = options;
  const config = parseConfig(prototypeSynapseSchema, rest, 'clam/prototypes');
  const { memories: K, size: D, beta, seed } = config;
  let initial: tf.Tensor;
  if (patterns !== undefined) {
    initial = toTensor(patterns, 'prototype synapse patterns', { shape: [K, D], finite: true });
  } else {
    initial = tf.tensor2d(seededNormal(K * D, config.initMean, config.initStd, seed), [K, D]);
  }
  const stored = tf.variable(initial, config.trainable);
  initial.dispose();
  const flat = (g: tf.Tensor): tf.Tensor2D => (g.rank === 2 ? (g as tf.Tensor2D) : g.reshape([g.shape[0]!, -1]));
  return defineSynapse({
    kind: 'clam/prototypes',
    arity: 1,
    config: config as JsonObject,
    variables: { patterns: stored },
    energy: ([g], v) => tf.tidy(() => prototypeEnergy(flat(g!), v['patterns'] as tf.Tensor2D, beta)),
    energyAndGradient: ([g], v) =>
      tf.tidy(() => {
        const { energy, gradient } = prototypeEnergyAndGradient(flat(g!), v['patterns'] as tf.Tensor2D, beta);
        return { energy, gradients: [gradient.reshape(g!.shape)] };
      }),
    validate: (shapes) => {
      const s = shapes[0]!.reduce((x, y) => x * y, 1);
      if (s !== D) throw errors.shapeMismatch('prototype synapse layer (flattened size)', [D], [s]);
    },
  });
}
