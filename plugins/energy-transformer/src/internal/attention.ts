/**
 * The Energy Transformer's attention energy (Hoover et al. 2023, eq. 2) on
 * token activations g [B, N, D], with keys and queries weights [H, Y, D] (the
 * paper's layout; the products with a transposed operand are the wasm fast
 * path's job, so no transposed copy is kept):
 *
 *   K_hB = W^K_h g_B,  Q_hC = W^Q_h g_C,  S_hCB = beta K_hB . Q_hC (+ log-mask)
 *   E = -(1/beta) sum_h sum_C log sum_B exp(S_hCB)
 *   dE/dQ_hC = -sum_B P_hCB K_hB,  dE/dK_hB = -sum_C P_hCB Q_hC  (P = softmax over B)
 *   dE/dg = dE/dK W^K + dE/dQ W^Q
 *
 * Written in differentiable tf ops (a gradient of the closed form is taken when
 * training through the unrolled descent); the closed form's pulls P K and P^T Q
 * come from core's `ops.headAttention` (one fused kernel each way on the native
 * path, reading the token-major projections in place).
 */
import * as tf from '@tensorflow/tfjs';
import { defineSynapse, errors, ops, type Hypersynapse, type JsonObject } from '@engram/core';
import { toHeads } from './heads.js';

/** The settings the attention math needs. */
export type AttentionSettings = {
  readonly size: number;
  readonly heads: number;
  readonly headSize: number;
  readonly beta: number;
};

/** The attention weights: keys and queries, each [H, Y, D]. */
export interface AttentionWeights {
  readonly keys: tf.Tensor;
  readonly queries: tf.Tensor;
}

/** Where a log-mask comes from: called inside the energy's tidy (a tensor made there is freed there). */
export type LogMaskSource = (tokens: number) => tf.Tensor | null;

/** t times a constant, without a pass when the constant is 1. */
function times(t: tf.Tensor, k: number): tf.Tensor {
  if (k === 1) return t;
  return k === -1 ? tf.neg(t) : tf.mul(t, k);
}

/**
 * beta goes where one pass (and its gradient's) covers fewer numbers: on the [H*Y, D] query
 * weights (returns beta: the queries carry it) or on the [B*H, N, N] scores (returns 1).
 */
function queryScaleOf(B: number, N: number, D: number, s: AttentionSettings): number {
  return s.heads * s.headSize * D < B * s.heads * N * N ? s.beta : 1;
}

/** Token-major keys and queries [B, N, H*Y], the queries times `queryScale`. */
function projections(g: tf.Tensor, w: AttentionWeights, s: AttentionSettings, queryScale: number): { K: tf.Tensor; Q: tf.Tensor } {
  const [B, N, D] = g.shape as [number, number, number];
  const HY = s.heads * s.headSize;
  const flat = tf.reshape(g, [B * N, D]);
  return {
    K: tf.reshape(tf.matMul(flat, tf.reshape(w.keys, [HY, D]), false, true), [B, N, HY]),
    Q: tf.reshape(tf.matMul(flat, times(tf.reshape(w.queries, [HY, D]), queryScale), false, true), [B, N, HY]),
  };
}

/** beta Q K^T plus the log-mask: [B*H, N (queries), N (keys)]. */
function logitsOf(g: tf.Tensor, w: AttentionWeights, s: AttentionSettings, mask: LogMaskSource): tf.Tensor3D {
  const [B, N, D] = g.shape as [number, number, number];
  const { heads: H, headSize: Y, beta } = s;
  const queryScale = queryScaleOf(B, N, D, s);
  const { K, Q } = projections(g, w, s, queryScale);
  let logits = times(tf.matMul(toHeads(Q, B, N, H, Y), toHeads(K, B, N, H, Y), false, true), beta / queryScale) as tf.Tensor3D;
  const logMask = mask(N);
  if (logMask) logits = tf.reshape(tf.add(tf.reshape(logits, [B, H, N, N]), logMask), [B * H, N, N]);
  return logits;
}

/** Per-sample energy of this term from the scores' log-sum-exp over keys (any shape with B leading): [B]. */
function energyFromLse(lse: tf.Tensor, B: number, beta: number): tf.Tensor1D {
  return tf.mul(ops.sumPerSample(tf.reshape(lse, [B, -1])), -1 / beta) as tf.Tensor1D;
}

/** E_ATT per sample, [B]. */
export function attentionEnergy(g: tf.Tensor, w: AttentionWeights, s: AttentionSettings, mask: LogMaskSource): tf.Tensor1D {
  return tf.tidy(() => energyFromLse(ops.logSumExp(logitsOf(g, w, s, mask), -1), g.shape[0]!, s.beta));
}

/**
 * E_ATT per sample and dE_ATT/dg [B, N, D], in one pass; with `withEnergy`
 * false the energy is left out (zeros), which saves the log-sum-exp over the
 * [B*H, N, N] logits.
 */
export function attentionEnergyAndGradient(g: tf.Tensor, w: AttentionWeights, s: AttentionSettings, mask: LogMaskSource, withEnergy = true): { energy: tf.Tensor1D; gradient: tf.Tensor } {
  return tf.tidy(() => {
    const [B, N, D] = g.shape as [number, number, number];
    const { heads: H, headSize: Y, beta } = s;
    const queryScale = queryScaleOf(B, N, D, s);
    const { K, Q } = projections(g, w, s, queryScale);
    // Core's fused attention: pullQ = P K = -dE/dQ, pullK = P^T Q = -queryScale dE/dK, token-major
    // (no transposes to heads and back), and the scores' log-sum-exp for the energy.
    const { pullQ, pullK, lse } = ops.headAttention(Q, K, { heads: H, scale: beta / queryScale, logMask: mask(N), lse: withEnergy });
    // The sign (and 1/queryScale) go where one pass covers the fewest numbers: on the two
    // [H*Y, D] weights, or the sign on the [B*N, D] sum when there are fewer tokens.
    const sign = 2 * H * Y <= B * N ? -1 : 1;
    const weight = (t: tf.Tensor, k: number): tf.Tensor => times(tf.reshape(t, [H * Y, D]), k);
    const sum = tf.add(tf.matMul(tf.reshape(pullK, [B * N, H * Y]), weight(w.keys, sign / queryScale)), tf.matMul(tf.reshape(pullQ, [B * N, H * Y]), weight(w.queries, sign)));
    const gradient = tf.reshape(times(sum, -sign), [B, N, D]);
    const energy = lse ? energyFromLse(lse, B, beta) : (tf.zeros([B]) as tf.Tensor1D);
    return { energy, gradient };
  });
}

/**
 * Each query token's share of E_ATT per head: -(1/beta) log sum_B exp(S_hCB),
 * [B, N, H]. They sum to E_ATT (the graph readout uses them as node features).
 */
export function attentionTokenEnergies(g: tf.Tensor, w: AttentionWeights, s: AttentionSettings, mask: LogMaskSource): tf.Tensor3D {
  return tf.tidy(() => {
    const [B, N] = g.shape as [number, number];
    const lse = ops.logSumExp(logitsOf(g, w, s, mask), -1); // [B*H, N]
    return tf.transpose(tf.reshape(tf.mul(lse, -1 / s.beta), [B, s.heads, N]), [0, 2, 1]) as tf.Tensor3D;
  });
}

/** Checks that a connected layer is [tokens, size] (and has 2 tokens when the diagonal is excluded). */
export function validateTokenLayer(kind: string, size: number, shapes: readonly (readonly number[])[], minTokens = 1): void {
  const shape = shapes[0]!;
  if (shape.length !== 2 || shape[1] !== size) throw errors.shapeMismatch(`${kind} layer (tokens x size)`, ['tokens', size], [...shape]);
  if (shape[0]! < minTokens) {
    throw errors.invalidArgument(`${kind} layer tokens`, `at least ${minTokens} (a token needs another to attend to when the diagonal is excluded)`, shape[0]);
  }
}

/**
 * An attention synapse on given weights (shared, e.g. by a model's runs that
 * each bring their own mask) and a log-mask source. Disposing it disposes the
 * weights: give per-run copies nothing to dispose.
 *
 * With `withEnergy: false` its closed form reports a zero energy and skips the
 * log-sum-exp over the [B*H, N, N] logits: for the block's unrolled descent
 * (`integrate` discards step energies, and under a gradient tape every tensor
 * the energy saves for its backward pass would stay alive until the end).
 */
export function attentionSynapseOn(
  kind: string,
  config: JsonObject,
  s: AttentionSettings & { excludeDiagonal: boolean },
  variables: { keys: tf.Variable; queries: tf.Variable },
  mask: LogMaskSource,
  withEnergy = true,
): Hypersynapse {
  const weights = (v: Readonly<Record<string, tf.Variable>>): AttentionWeights => ({ keys: v['keys']!, queries: v['queries']! });
  return defineSynapse({
    kind,
    config,
    arity: 1,
    variables,
    energy: ([g], v) => attentionEnergy(g!, weights(v), s, mask),
    energyAndGradient: ([g], v) => {
      const { energy, gradient } = attentionEnergyAndGradient(g!, weights(v), s, mask, withEnergy);
      return { energy, gradients: [gradient] };
    },
    validate: (shapes) => validateTokenLayer(kind, s.size, shapes, s.excludeDiagonal ? 2 : 1),
  });
}
