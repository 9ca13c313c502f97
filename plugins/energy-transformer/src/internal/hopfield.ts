/**
 * The Energy Transformer's Hopfield module (Hoover et al. 2023, eq. 3) per
 * token, on activations g [B, N, D] with stored patterns [M, D]: h = g xi^T
 * [B*N, M] and
 *
 *   E = sum_tokens scale * E_F(h),   dE/dg = -scale * F'(h) xi
 *
 * with E_F and F' of core's shared `separation` (one definition for every
 * associative memory in engram) and scale 1/n for the power kinds, 1/beta for
 * 'exp', 1 for 'lse'. The paper's two forms: 'rectified-power' n = 2 gives
 * E = -1/2 sum ReLU(h)^2, 'lse' gives E = -(1/beta) sum log sum_mu exp(beta h_mu).
 */
import * as tf from '@tensorflow/tfjs';
import { defineSynapse, EngramError, ErrorCodes, errors, ops, separation, type Hypersynapse, type JsonObject, type Separation, type SeparationConfig } from '@engram/core';
import { validateTokenLayer } from './attention.js';

/** A separation function with the ET scale. */
export interface HopfieldForm {
  readonly F: Separation;
  readonly scale: number;
  /**
   * How F(h) comes from the factored weights w (F' = factor w, core's
   * `factoredWeights`): F = h w for the power kinds (F homogeneous of degree n:
   * F = h F'/n = h w) and F = w for 'exp'; null for 'lse'. Lets the energy come
   * from the weights the gradient needs anyway, in one product.
   */
  readonly fromWeights: { readonly timesH: boolean } | null;
}

/** The separation function and scale of a Hopfield module (checked: ENGRAM_ERR_INVALID_CONFIG). */
export function hopfieldForm(spec: SeparationConfig, owner: string): HopfieldForm {
  const F = separation(spec, owner);
  const { kind, n, beta } = F.config;
  if ((kind === 'power' || kind === 'rectified-power') && n < 2) {
    // n = 1 is linear (nothing to store) and 1 < n < 2 has an unbounded second derivative at 0.
    throw new EngramError(ErrorCodes.INVALID_CONFIG, `separation key 'n' of ${owner} must be >= 2 for '${kind}' (the paper's ReLU form is n = 2), got ${n}`, {
      owner,
      key: 'separation.n',
      expected: 'a number >= 2',
      actual: n,
    });
  }
  const scale = kind === 'lse' ? 1 : kind === 'exp' ? 1 / beta : 1 / n;
  const fromWeights = kind === 'lse' ? null : { timesH: kind !== 'exp' };
  return { F, scale, fromWeights };
}

/** Per-token energies [B*N] from overlaps h and (for the power and exp kinds) the factored weights F'(h) / factor. */
function tokenEnergyOf(h: tf.Tensor2D, weights: tf.Tensor2D | null, form: HopfieldForm): tf.Tensor1D {
  const w = form.fromWeights;
  if (!w || !weights) return tf.mul(form.F.energy(h), form.scale) as tf.Tensor1D;
  const F = w.timesH ? tf.mul(weights, h) : weights;
  return tf.mul(tf.sum(F, 1), -form.scale) as tf.Tensor1D;
}

function overlaps(g: tf.Tensor, patterns: tf.Tensor): tf.Tensor2D {
  const D = g.shape[g.rank - 1]!;
  return tf.matMul(tf.reshape(g, [-1, D]), patterns as tf.Tensor2D, false, true) as tf.Tensor2D;
}

/** Each token's Hopfield energy, [B, N]. */
export function hopfieldTokenEnergies(g: tf.Tensor, patterns: tf.Tensor, form: HopfieldForm): tf.Tensor2D {
  return tf.tidy(() => tf.reshape(tf.mul(form.F.energy(overlaps(g, patterns)), form.scale), [g.shape[0]!, g.shape[1]!]) as tf.Tensor2D);
}

/** E_HN per sample, [B]. */
export function hopfieldEnergy(g: tf.Tensor, patterns: tf.Tensor, form: HopfieldForm): tf.Tensor1D {
  return tf.tidy(() => ops.sumPerSample(hopfieldTokenEnergies(g, patterns, form)));
}

/** E_HN per sample and dE_HN/dg [B, N, D], in one pass (the energy left out, as zeros, without `withEnergy`). */
export function hopfieldEnergyAndGradient(g: tf.Tensor, patterns: tf.Tensor, form: HopfieldForm, withEnergy = true): { energy: tf.Tensor1D; gradient: tf.Tensor } {
  return tf.tidy(() => {
    const h = overlaps(g, patterns);
    const { weights, factor } = form.F.factoredWeights(h);
    const B = g.shape[0]!;
    const energy = withEnergy ? ops.sumPerSample(tf.reshape(tokenEnergyOf(h, weights, form), [B, -1])) : (tf.zeros([B]) as tf.Tensor1D);
    // The scale and the weights' factor are applied after the product, on [B*N, D] rather than [B*N, M].
    const pull = tf.matMul(weights, patterns as tf.Tensor2D);
    const k = -form.scale * factor;
    const gradient = tf.reshape(k === -1 ? tf.neg(pull) : tf.mul(pull, k), g.shape);
    return { energy, gradient };
  });
}

/**
 * A Hopfield synapse on given patterns (a variable the synapse owns: disposing
 * it disposes them). With `withEnergy: false` its closed form reports a zero
 * energy (see attentionSynapseOn).
 */
export function hopfieldSynapseOn(kind: string, config: JsonObject, size: number, form: HopfieldForm, patterns: tf.Variable, withEnergy = true): Hypersynapse {
  if (patterns.rank !== 2 || patterns.shape[1] !== size) throw errors.shapeMismatch(`${kind} patterns`, ['memories', size], patterns.shape);
  return defineSynapse({
    kind,
    config,
    arity: 1,
    variables: { patterns },
    energy: ([g], v) => hopfieldEnergy(g!, v['patterns']!, form),
    energyAndGradient: ([g], v) => {
      const { energy, gradient } = hopfieldEnergyAndGradient(g!, v['patterns']!, form, withEnergy);
      return { energy, gradients: [gradient] };
    },
    validate: (shapes) => validateTokenLayer(kind, size, shapes),
  });
}
