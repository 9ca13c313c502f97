/**
 * The DrDAM random-feature memory as a synapse kind ('hopfield/drdam'): all
 * memories live in ONE fixed-size vector T = sum_mu phi(xi_mu), and the energy
 * of the connected activation g is
 *   E(g) = -1/beta log(max(phi(g) . T, eps)),
 * which approximates the dense associative memory energy
 * -1/beta log sum_mu exp(-beta/2 ||g - xi_mu||^2) (Hoover et al. 2024).
 * Its closed-form energy and dE/dg are tf ops (differentiable at second order),
 * so it composes in core graphs like core's own synapses.
 */
import * as tf from '@tensorflow/tfjs';
import { defineSynapse, errors, flattenBatch, parseConfig, separation, toTensor, z, type Hypersynapse, type JsonObject, type TensorInput } from '@engram/core';
import { createRng } from '@engram/data';
import { FEATURE_MAP_KINDS, featureLength, kernelSumAndGrad, phi, tfTrig, type FeatureMapKind, type FeatureParams, type Trig } from './feature-maps.js';

/** The config of the 'hopfield/drdam' synapse. */
export const drdamSynapseSchema = z.strictObject({
  size: z.number().int().positive().describe('size D of the connected layer (flattened)'),
  features: z.number().int().positive().describe('number Y of random projections (T has 2Y entries for sincos, Y otherwise)'),
  beta: z.number().positive().default(1).describe('inverse temperature of the Gaussian kernel'),
  kernel: z.enum(FEATURE_MAP_KINDS).default('sincos').describe("feature map: 'sincos', 'cos' or 'positive'"),
  seed: z.number().int().default(0).describe('seed of the random projections'),
  eps: z.number().positive().default(1e-5).describe('floor of phi(g) . T inside the log (as in the reference code)'),
  trainable: z.boolean().default(false).describe('whether the memory vector T is trained (the projections never are)'),
});

/** Options of {@link drdamSynapse}: its config and, optionally, initial tensors. */
export type DrdamSynapseOptions = z.input<typeof drdamSynapseSchema> & {
  /** S [features, size] (default: seeded standard normal). */
  projections?: TensorInput;
  /** b [features] (default: seeded uniform in [0, 2 pi)). */
  phases?: TensorInput;
  /** T [featureLength] (default: zeros, an empty memory). */
  memoryVector?: TensorInput;
};

/** A DrDAM synapse: a Hypersynapse with its feature map and memory folding. */
export interface DrdamSynapse extends Hypersynapse {
  /** The parsed config. */
  readonly settings: z.output<typeof drdamSynapseSchema>;
  /** phi(x) of activations [B, size] (new tensor; differentiable with the default trig). */
  featureMap(x: tf.Tensor2D, trig?: Trig): tf.Tensor2D;
  /** Folds patterns [k, size] into T: T += sum_mu phi(xi_mu) (chunked; the parameter count never changes). */
  addMemories(patterns: tf.Tensor2D, trig?: Trig): void;
  /** Resets T to zeros (an empty memory). */
  clearMemories(): void;
  /** The energy [B] and the closed-form dE/dx [B, size] of activations x [B, size], in one pass (new tensors). */
  energyAndGradientOf(x: tf.Tensor2D, trig?: Trig): { energy: tf.Tensor1D; gradient: tf.Tensor2D };
}

/** Rows per chunk when folding memories into T: bounds the [chunk, Y] feature block. */
const CHUNK = 256;

/** Builds a DrDAM synapse (config checked: ENGRAM_ERR_INVALID_CONFIG; tensors checked: shape and finiteness). */
export function drdamSynapse(options: DrdamSynapseOptions): DrdamSynapse {
  const { projections, phases, memoryVector, ...rest } = options;
  const c = parseConfig(drdamSynapseSchema, rest, 'hopfield/drdam');
  const { size: d, features: y, beta, kernel, eps } = c;
  const len = featureLength(kernel, y);
  const vars = tf.tidy(() => {
    let s: tf.Tensor;
    let b: tf.Tensor;
    if (projections === undefined || phases === undefined) {
      // One seeded stream: S first, then b (the order fixes the model for a seed).
      const rng = createRng(c.seed);
      const sv = new Float32Array(y * d);
      for (let i = 0; i < sv.length; i++) sv[i] = rng.normal();
      const bv = new Float32Array(y);
      for (let i = 0; i < y; i++) bv[i] = rng.uniform(0, 2 * Math.PI);
      s = tf.tensor2d(sv, [y, d]);
      b = tf.tensor1d(bv);
    }
    if (projections !== undefined) s = toTensor(projections, 'projections', { shape: [y, d], finite: true });
    if (phases !== undefined) b = toTensor(phases, 'phases', { shape: [y], finite: true });
    const t = memoryVector === undefined ? tf.zeros([len]) : toTensor(memoryVector, 'memoryVector', { shape: [len], finite: true });
    return {
      projections: tf.variable(s!, false),
      phases: tf.variable(b!, false),
      memoryVector: tf.variable(t, c.trainable),
    };
  });
  const params = (): FeatureParams => ({ kind: kernel as FeatureMapKind, beta, projections: vars.projections as tf.Tensor2D, phases: vars.phases as tf.Tensor1D });
  const energyFromSum = (u: tf.Tensor1D): tf.Tensor1D => tf.mul(tf.log(tf.maximum(u, eps)), -1 / beta) as tf.Tensor1D;
  const closedForm = (x: tf.Tensor2D, trig: Trig): { energy: tf.Tensor1D; gradient: tf.Tensor2D } =>
    tf.tidy(() => {
      const { u, du } = kernelSumAndGrad(params(), x, vars.memoryVector as tf.Tensor1D, trig);
      // dE/dx = -du / (beta u); zero where u is floored at eps (the clip has no gradient there).
      const live = tf.greater(u, eps);
      const scale = tf.where(live, tf.div(-1 / beta, tf.maximum(u, eps)), tf.zerosLike(u));
      return { energy: energyFromSum(u), gradient: tf.mul(du, scale.reshape([-1, 1])) as tf.Tensor2D };
    });
  const base = defineSynapse({
    kind: 'hopfield/drdam',
    arity: 1,
    config: c as JsonObject,
    variables: vars,
    energy: ([g]) => tf.tidy(() => energyFromSum(tf.sum(tf.mul(phi(params(), flattenBatch(g!)), vars.memoryVector), 1) as tf.Tensor1D)),
    energyAndGradient: ([g]) =>
      tf.tidy(() => {
        const { energy, gradient } = closedForm(flattenBatch(g!), tfTrig);
        return { energy, gradients: [gradient.reshape(g!.shape)] };
      }),
    validate: (shapes) => {
      const s = shapes[0]!.reduce((a, b) => a * b, 1);
      if (s !== d) throw errors.shapeMismatch('drdam synapse layer (flattened size)', [d], [s]);
    },
  });
  return Object.assign(base, {
    settings: c,
    featureMap: (x: tf.Tensor2D, trig: Trig = tfTrig) => phi(params(), x, trig),
    addMemories: (patterns: tf.Tensor2D, trig: Trig = tfTrig) => {
      const rows = patterns.shape[0];
      for (let start = 0; start < rows; start += CHUNK) {
        const n = Math.min(CHUNK, rows - start);
        tf.tidy(() => {
          const chunk = tf.slice(patterns, [start, 0], [n, d]) as tf.Tensor2D;
          vars.memoryVector.assign(tf.add(vars.memoryVector, tf.sum(phi(params(), chunk, trig), 0)));
        });
      }
    },
    clearMemories: () => tf.tidy(() => vars.memoryVector.assign(tf.zeros([len]))),
    energyAndGradientOf: (x: tf.Tensor2D, trig: Trig = tfTrig) => closedForm(x, trig),
  }) as DrdamSynapse;
}

/**
 * The exact energy DrDAM approximates, -1/beta log sum_mu exp(-beta/2 ||v - xi_mu||^2),
 * of states [B, D] against patterns [K, D] (caller owns the result): core's 'lse'
 * separation energy of the overlaps -||v - xi||^2 / 2.
 */
export function drdamExactEnergy(states: TensorInput, patterns: TensorInput, beta: number): tf.Tensor1D {
  if (!(typeof beta === 'number' && Number.isFinite(beta) && beta > 0)) throw errors.invalidArgument('beta', 'a positive finite number', beta);
  const m = toTensor(patterns, 'patterns', { rank: 2, finite: true }) as tf.Tensor2D;
  try {
    const x = toTensor(states, 'states', { shape: [null, m.shape[1]], batch: true, finite: true }) as tf.Tensor2D;
    try {
      return tf.tidy(() => {
        const d2 = tf.add(tf.sub(tf.sum(tf.square(x), 1, true), tf.mul(tf.matMul(x, m, false, true), 2)), tf.sum(tf.square(m), 1).reshape([1, -1]));
        return separation({ kind: 'lse', beta }).energy(tf.mul(tf.relu(d2), -0.5) as tf.Tensor2D);
      });
    } finally {
      x.dispose();
    }
  } finally {
    m.dispose();
  }
}
