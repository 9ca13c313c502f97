/**
 * The Energy Transformer block of the bench, written with plain tfjs ops on
 * core's backend: the SAME algorithm and shapes as the PyTorch twin
 * (bench/torch/et.py) line by line, so that the ratio compares kernels and
 * dispatch, not two different programs; where a framework has a fused op for a
 * line (layer norm on both sides, the attention pulls on engram's), each uses it. (The @engram/energy-transformer
 * plugin computes the same update; this copy keeps the bench independent of
 * the plugin while plugins move to their bench entry points.)
 *
 * g = LN(x) = gamma (x - mean)/std + delta; per head, K = g W^K, Q = g W^Q,
 * P = softmax(beta Q K^T); dE/dg = -((P^T Q) W^K^T + (P K) W^Q^T + relu(g xi) xi^T);
 * x <- x - alpha dE/dg for T steps (closed-form dE/dg; the step is one
 * fused op on each side, ops.axpby and torch.add with alpha).
 */
import * as tf from '@tensorflow/tfjs';
import { ops } from '@engram/core';

/** Block sizes (defaults: the bench's B=32, N=49, D=128, H=4, Y=32, M=512, T=12). */
export interface EtSizes {
  batch: number;
  tokens: number;
  dim: number;
  heads: number;
  headDim: number;
  memories: number;
  steps: number;
  alpha: number;
}

export const ET_DEFAULT: EtSizes = { batch: 32, tokens: 49, dim: 128, heads: 4, headDim: 32, memories: 512, steps: 12, alpha: 0.1 };

const EPS = 1e-5;

/** The block's parameters as tensors (variables when trained). */
export interface EtParams {
  wk: tf.Tensor; // [D, H*Y]
  wq: tf.Tensor; // [D, H*Y]
  xi: tf.Tensor; // [D, M]
  gamma: tf.Tensor; // scalar
  delta: tf.Tensor; // [D]
}

/** Trainable weights, seeded like the twin's shapes (values differ: timing does not depend on them). */
export interface EtWeights extends EtParams {
  wk: tf.Variable;
  wq: tf.Variable;
  xi: tf.Variable;
  gamma: tf.Variable;
  delta: tf.Variable;
}

export function etWeights(s: EtSizes, seed = 0): EtWeights {
  const hy = s.heads * s.headDim;
  // tidy frees the initial values (a variable keeps its own copy); variables survive it.
  return tf.tidy(() => ({
    wk: tf.variable(tf.randomNormal([s.dim, hy], 0, 0.02, 'float32', seed + 1)),
    wq: tf.variable(tf.randomNormal([s.dim, hy], 0, 0.02, 'float32', seed + 2)),
    xi: tf.variable(tf.randomNormal([s.dim, s.memories], 0, 0.02, 'float32', seed + 3)),
    gamma: tf.variable(tf.scalar(1)),
    delta: tf.variable(tf.zeros([s.dim])),
  }));
}

/**
 * LayerNorm over the last axis with a scalar gain and a vector bias (the twin's
 * layernorm): core's ops.layerNorm, one fused kernel on the native path, as
 * the twin uses torch's fused F.layer_norm.
 */
export function layerNorm(x: tf.Tensor, w: Pick<EtParams, 'gamma' | 'delta'>): tf.Tensor {
  return tf.tidy(() => tf.add(tf.mul(w.gamma, ops.layerNorm(x, undefined, undefined, EPS)), w.delta));
}

/**
 * The pulls -dE/dg at activations g [B, N, D] (closed form), token-major
 * [B*N, D]. The attention pulls P K and P^T Q come from core's
 * ops.headAttention (one fused kernel each way on the native path, the heads
 * read in place on the token-major projections); torch 1.13 has no op for them
 * (its fused attention, 2.0's scaled_dot_product_attention, returns P V only),
 * so the twin composes them from permutes and bmm as a torch user must.
 */
export function etPulls(g: tf.Tensor, w: EtParams, s: EtSizes): tf.Tensor {
  return tf.tidy(() => {
    const beta = 1 / Math.sqrt(s.headDim);
    const bn = s.batch * s.tokens;
    const hy = s.heads * s.headDim;
    const flat = tf.reshape(g, [bn, s.dim]);
    const k = tf.reshape(tf.matMul(flat, w.wk), [s.batch, s.tokens, hy]);
    const q = tf.reshape(tf.matMul(flat, w.wq), [s.batch, s.tokens, hy]);
    const { pullQ, pullK } = ops.headAttention(q, k, { heads: s.heads, scale: beta, lse: false }); // P K, P^T Q
    const h = tf.relu(tf.matMul(flat, w.xi)); // [BN, M]
    return tf.add(tf.add(tf.matMul(tf.reshape(pullK, [bn, hy]), w.wk, false, true), tf.matMul(tf.reshape(pullQ, [bn, hy]), w.wq, false, true)), tf.matMul(h, w.xi, false, true));
  });
}

/** Closed-form dE/dg [B, N, D] at activations g: minus the pulls. */
export function etEnergyGradient(g: tf.Tensor, w: EtParams, s: EtSizes): tf.Tensor {
  return tf.tidy(() => tf.reshape(tf.neg(etPulls(g, w, s)), [s.batch, s.tokens, s.dim]));
}

/**
 * One descent step x - alpha dE/dg(LN(x)) = x + alpha pulls: one ops.axpby
 * (the sign folded into alpha), as the twin's is one torch.add(x, pulls, alpha=).
 */
export function etStep(x: tf.Tensor, w: EtParams, s: EtSizes): tf.Tensor {
  return tf.tidy(() => ops.axpby(1, x, s.alpha, tf.reshape(etPulls(layerNorm(x, w), w, s), x.shape)));
}

/**
 * T steps (differentiable: train through it). With `checkpoint`, each step is
 * core's ops.checkpoint: the backward pass keeps the T step inputs and
 * recomputes one step at a time (memory of one step instead of T, about one
 * more forward pass of time).
 */
export function etEvolve(x: tf.Tensor, w: EtParams, s: EtSizes, options: { checkpoint?: boolean } = {}): tf.Tensor {
  const step = options.checkpoint
    ? ops.checkpoint((y: tf.Tensor, wk: tf.Tensor, wq: tf.Tensor, xi: tf.Tensor, gamma: tf.Tensor, delta: tf.Tensor) => etStep(y, { wk, wq, xi, gamma, delta }, s))
    : undefined;
  return tf.tidy(() => {
    let y = x;
    for (let t = 0; t < s.steps; t++) y = step ? step(y, w.wk, w.wq, w.xi, w.gamma, w.delta) : etStep(y, w, s);
    return y;
  });
}

/** FLOPs of one inference run (matrix products only), as the twin counts them. */
export function etFlops(s: EtSizes): number {
  const bn = s.batch * s.tokens;
  const hy = s.heads * s.headDim;
  const perStep = 2 * 2 * bn * s.dim * (2 * hy + s.memories) + 3 * 2 * s.batch * s.heads * s.tokens * s.tokens * s.headDim;
  return perStep * s.steps;
}
