/**
 * Separation functions F of associative memories — the one definition shared by
 * the memory synapse, the Hopfield plugin's dense associative memory and the
 * sequence plugin's DenseNet:
 *
 * | kind              | F(h)            | memory energy            |
 * |-------------------|-----------------|--------------------------|
 * | 'power'           | h^n             | -sum_mu F(h_mu)          |
 * | 'rectified-power' | max(h, 0)^n     | -sum_mu F(h_mu)          |
 * | 'exp'             | exp(beta h)     | -sum_mu F(h_mu)          |
 * | 'lse'             | exp(beta h)     | -(1/beta) log sum_mu F(h_mu) (modern Hopfield) |
 *
 * with h_mu the overlap of the state with stored pattern mu. 'power' with n = 1
 * is the classical (linear) rule. `shift` evaluates F(h - shift): for 'exp' a
 * positive factor exp(-beta shift) on F that keeps float32 finite when overlaps
 * are large (a ±1 state of size N has overlaps up to N); it cancels in 'lse'.
 */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { EngramError, ErrorCodes } from '../errors/index.js';
import { fusedSoftmaxAndLogSumExp } from '../numerics/fused-softmax-lse.js';
import { logSumExp, softmax } from '../numerics/ops.js';
import { parseConfig } from '../schema/parse-config.js';

/** The schema of a separation function. */
export const separationSchema = z.strictObject({
  kind: z.enum(['power', 'rectified-power', 'exp', 'lse']).describe("F: 'power' h^n, 'rectified-power' max(h,0)^n, 'exp' exp(beta h), 'lse' log-sum-exp (modern Hopfield)"),
  n: z.number().positive().default(2).describe('exponent of the power kinds'),
  beta: z.number().positive().default(1).describe('inverse temperature of exp and lse'),
});

/** A separation function as written in configs: `{ kind: 'power', n: 3 }`. */
export type SeparationSpec = z.input<typeof separationSchema>;
/** A separation function with its defaults filled in. */
export type SeparationConfig = z.output<typeof separationSchema>;
/** Which F. */
export type SeparationKind = SeparationConfig['kind'];

/** A separation function with its tensor and host forms. */
export interface Separation {
  /** The settings (defaults filled in). */
  readonly config: SeparationConfig;
  /** F(h - shift) elementwise (new tensor). */
  apply(h: tf.Tensor, shift?: number): tf.Tensor;
  /** F(x - shift) on a host number. */
  host(x: number, shift?: number): number;
  /** The memory energy of overlaps h [batch, K] per sample: [batch] (see the table above). */
  energy(h: tf.Tensor2D, shift?: number): tf.Tensor1D;
  /** -d energy / dh [batch, K]: how much each memory pulls (softmax(beta h) for 'lse'). */
  weights(h: tf.Tensor2D, shift?: number): tf.Tensor2D;
  /** Both of the above from one pass (one exp for 'lse' and 'exp'): what a closed-form gradient needs. */
  energyAndWeights(h: tf.Tensor2D, shift?: number): { energy: tf.Tensor1D; weights: tf.Tensor2D };
  /**
   * The weights up to a constant: F'(h) = factor * weights (n and max(h, 0)^(n-1)
   * for 'rectified-power', beta and exp(beta h) for 'exp', 1 and softmax for 'lse').
   * A closed-form gradient multiplies the factor in after the product with the
   * patterns, on [batch, D] instead of [batch, K]: one pass over the overlaps fewer.
   */
  factoredWeights(h: tf.Tensor2D, shift?: number): FactoredWeights;
  /** {@link Separation.energyAndWeights} with the weights factored as in {@link Separation.factoredWeights}. */
  energyAndFactoredWeights(h: tf.Tensor2D, shift?: number): FactoredWeights & { energy: tf.Tensor1D };
}

/** F'(h) = factor * weights. */
export interface FactoredWeights {
  readonly weights: tf.Tensor2D;
  readonly factor: number;
}

function integerPower(x: tf.Tensor, n: number): tf.Tensor {
  // Repeated products: exact for negative bases, where some pow kernels give NaN.
  let y = x;
  for (let k = 1; k < n; k++) y = tf.mul(y, x);
  return n === 1 ? tf.clone(x) : y;
}

/** Builds a separation function from its spec (checked: ENGRAM_ERR_INVALID_CONFIG). */
export function separation(spec: SeparationSpec, owner = 'separation'): Separation {
  const config = parseConfig(separationSchema, spec, owner, 'separation');
  const { kind, n, beta } = config;
  if (kind === 'power' && !Number.isInteger(n)) {
    throw new EngramError(ErrorCodes.INVALID_CONFIG, `separation key 'n' of ${owner} must be an integer for 'power' (negative overlaps have no real non-integer power), got ${n}`, {
      owner,
      key: 'separation.n',
      expected: 'an integer',
      actual: n,
    });
  }
  const power = (x: tf.Tensor, p: number): tf.Tensor => (Number.isInteger(p) ? integerPower(x, p) : tf.pow(x, p));
  // beta h without the pass over [batch, K] (and its gradient's) when beta is 1, the default.
  const scaled = (h: tf.Tensor): tf.Tensor => (beta === 1 ? h : tf.mul(h, beta));
  const apply = (h: tf.Tensor, shift = 0): tf.Tensor =>
    tf.tidy(() => {
      const x = shift === 0 ? h : tf.sub(h, shift);
      if (kind === 'exp' || kind === 'lse') return tf.exp(scaled(x));
      if (kind === 'power') return integerPower(x, n);
      return power(tf.relu(x), n);
    });
  const host = (v: number, shift = 0): number => {
    const x = v - shift;
    if (kind === 'exp' || kind === 'lse') return Math.exp(beta * x);
    if (kind === 'power') return x ** n;
    return x > 0 ? x ** n : 0;
  };
  // -lse / beta; at beta = 1 a Neg, whose gradient is one Neg where a product with a scalar's is three kernels.
  const minusOverBeta = (lse: tf.Tensor): tf.Tensor1D => (beta === 1 ? tf.neg(lse) : tf.mul(lse, -1 / beta)) as tf.Tensor1D;
  const energy = (h: tf.Tensor2D, shift = 0): tf.Tensor1D =>
    tf.tidy(() => {
      if (kind === 'lse') return minusOverBeta(logSumExp(scaled(h), 1));
      return tf.neg(tf.sum(apply(h, shift), 1)) as tf.Tensor1D;
    });
  const factor = kind === 'lse' ? 1 : kind === 'exp' ? beta : n;
  const factoredWeights = (h: tf.Tensor2D, shift = 0): FactoredWeights =>
    tf.tidy(() => {
      if (kind === 'lse') return { weights: softmax(scaled(h), 1) as tf.Tensor2D, factor };
      if (kind === 'exp') return { weights: apply(h, shift) as tf.Tensor2D, factor };
      const x = shift === 0 ? h : tf.sub(h, shift);
      if (n === 1) return { weights: (kind === 'power' ? tf.onesLike(h) : tf.cast(tf.greater(x, 0), 'float32')) as tf.Tensor2D, factor };
      return { weights: power(kind === 'power' ? x : tf.relu(x), n - 1) as tf.Tensor2D, factor };
    });
  const energyAndFactoredWeights = (h: tf.Tensor2D, shift = 0): FactoredWeights & { energy: tf.Tensor1D } =>
    tf.tidy(() => {
      if (kind === 'lse') {
        // lse = m + log sum exp(beta h - m) and softmax = exp(beta h - m) / sum, sharing the exponentials;
        // the shift m cancels in both (and in their gradients).
        const b = scaled(h);
        // With the fused kernel: one (softmax and lse from one max and sum) instead of five sharing the exponentials.
        const fused = fusedSoftmaxAndLogSumExp(b);
        if (fused) return { energy: minusOverBeta(fused[1]), weights: fused[0] as tf.Tensor2D, factor };
        const m = tf.max(b, 1, true);
        const e = tf.exp(tf.sub(b, m));
        const total = tf.sum(e, 1, true);
        return { energy: minusOverBeta(tf.add(tf.log(total), m).reshape([-1])), weights: tf.div(e, total) as tf.Tensor2D, factor };
      }
      if (kind === 'exp') {
        const f = apply(h, shift) as tf.Tensor2D;
        return { energy: tf.neg(tf.sum(f, 1)) as tf.Tensor1D, weights: f, factor };
      }
      return { energy: energy(h, shift), ...factoredWeights(h, shift) };
    });
  const unfactored = (w: FactoredWeights): tf.Tensor2D => (w.factor === 1 ? w.weights : (tf.mul(w.weights, w.factor) as tf.Tensor2D));
  const weights = (h: tf.Tensor2D, shift = 0): tf.Tensor2D => tf.tidy(() => unfactored(factoredWeights(h, shift)));
  const energyAndWeights = (h: tf.Tensor2D, shift = 0): { energy: tf.Tensor1D; weights: tf.Tensor2D } =>
    tf.tidy(() => {
      const f = energyAndFactoredWeights(h, shift);
      return { energy: f.energy, weights: unfactored(f) };
    });
  return { config, apply, host, energy, weights, energyAndWeights, factoredWeights, energyAndFactoredWeights };
}
