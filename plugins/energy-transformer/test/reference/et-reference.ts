/**
 * The Energy Transformer as it was hand-written before the block became a
 * composition of core parts (kept ONLY here, as the reference the new
 * composition is checked against, and as the "old" side of the timing script
 * examples/bench-et.ts). Layout of that version: W^K, W^Q as [D, H*Y], the
 * memories as columns [D, M], and the closed form ran on materialised
 * transposes of all three (the `FusedWeights` the new code no longer keeps).
 *
 *   E_ATT = -(1/beta) sum_h sum_C log sum_{B allowed} exp(beta K_hB . Q_hC)
 *   E_HN  = -1/2 sum ReLU(g xi)^2   or   -(1/beta') sum log sum_mu exp(beta' g xi_mu)
 *   g = gamma (x - mean x) / sqrt(var x + eps) + delta;   x <- x - alpha dE/dg
 */
import * as tf from '@tensorflow/tfjs';

export const MASKED_LOGIT = -1e9;

export interface ReferenceConfig {
  heads: number;
  headDim: number;
  attentionBeta: number;
  hopfield: 'relu' | 'softmax';
  hopfieldBeta: number;
  eps: number;
}

/** Weights in the old layout. */
export interface ReferenceWeights {
  wk: tf.Tensor; // [D, H*Y]
  wq: tf.Tensor; // [D, H*Y]
  xi: tf.Tensor; // [D, M]
  gamma: tf.Tensor | number;
  delta: tf.Tensor | number;
}

function logSumExpLast(z: tf.Tensor): tf.Tensor {
  const m = tf.max(z, -1, true);
  return tf.add(tf.log(tf.sum(tf.exp(tf.sub(z, m)), -1, true)), m);
}
function perSample(t: tf.Tensor, B: number): tf.Tensor1D {
  return tf.sum(tf.reshape(t, [B, -1]), 1) as tf.Tensor1D;
}
function toHeads(t: tf.Tensor, B: number, N: number, H: number, Y: number): tf.Tensor3D {
  return tf.reshape(tf.transpose(tf.reshape(t, [B, N, H, Y]), [0, 2, 1, 3]), [B * H, N, Y]);
}
function fromHeads(t: tf.Tensor, B: number, N: number, H: number, Y: number): tf.Tensor2D {
  return tf.reshape(tf.transpose(tf.reshape(t, [B, H, N, Y]), [0, 2, 1, 3]), [B * N, H * Y]);
}

/** The old ET LayerNorm activation. */
export function referenceLayerNorm(x: tf.Tensor, gamma: tf.Tensor | number, delta: tf.Tensor | number, eps: number): tf.Tensor {
  return tf.tidy(() => {
    const centered = tf.sub(x, tf.mean(x, -1, true));
    const std = tf.sqrt(tf.add(tf.mean(tf.square(centered), -1, true), eps));
    return tf.add(tf.mul(gamma, tf.div(centered, std)), delta);
  });
}

/** The old additive log-mask [Bm, 1, N, N] from allowed pairs (1 = allowed), or null. */
export function referenceLogMask(tokens: number, allowed: tf.Tensor | undefined, excludeDiagonal: boolean): tf.Tensor | null {
  if (allowed === undefined && !excludeDiagonal) return null;
  return tf.tidy(() => {
    let m: tf.Tensor = allowed === undefined ? tf.ones([1, tokens, tokens]) : allowed.toFloat();
    if (m.rank === 2) m = tf.expandDims(m, 0);
    if (excludeDiagonal) m = tf.mul(m, tf.sub(1, tf.eye(tokens)));
    return tf.expandDims(tf.mul(tf.sub(1, tf.greater(m, 0.5).toFloat()), MASKED_LOGIT), 1);
  });
}

/** The old reference energy of activations g [B, N, D], written from the definitions. */
export function referenceEnergy(g: tf.Tensor, w: ReferenceWeights, logMask: tf.Tensor | null, cfg: ReferenceConfig): { attention: tf.Tensor1D; hopfield: tf.Tensor1D } {
  return tf.tidy(() => {
    const [B, N, D] = g.shape as [number, number, number];
    const H = cfg.heads;
    const Y = cfg.headDim;
    const beta = cfg.attentionBeta;
    const flat = tf.reshape(g, [B * N, D]);
    const K = tf.transpose(tf.reshape(tf.matMul(flat, w.wk), [B, N, H, Y]), [0, 2, 1, 3]);
    const Q = tf.transpose(tf.reshape(tf.matMul(flat, w.wq), [B, N, H, Y]), [0, 2, 1, 3]);
    let logits = tf.mul(beta, tf.matMul(tf.reshape(Q, [B * H, N, Y]), tf.reshape(K, [B * H, N, Y]), false, true));
    logits = tf.reshape(logits, [B, H, N, N]);
    if (logMask) logits = tf.add(logits, logMask);
    const attention = tf.mul(-1 / beta, perSample(logSumExpLast(logits), B)) as tf.Tensor1D;
    const h = tf.matMul(flat, w.xi);
    const hopfield =
      cfg.hopfield === 'relu'
        ? (tf.mul(-0.5, perSample(tf.square(tf.relu(h)), B)) as tf.Tensor1D)
        : (tf.mul(-1 / cfg.hopfieldBeta, perSample(logSumExpLast(tf.mul(cfg.hopfieldBeta, h)), B)) as tf.Tensor1D);
    return { attention, hopfield };
  });
}

/** The old pre-transposed layout of the closed-form pass. */
export interface FusedWeights {
  wk: tf.Tensor2D;
  wq: tf.Tensor2D;
  xi: tf.Tensor2D;
  wkT: tf.Tensor2D;
  wqT: tf.Tensor2D;
  xiT: tf.Tensor2D;
  logMask: tf.Tensor | null;
}

export function prepareFused(w: ReferenceWeights, logMask: tf.Tensor | null): FusedWeights {
  return {
    wk: w.wk as tf.Tensor2D,
    wq: w.wq as tf.Tensor2D,
    xi: w.xi as tf.Tensor2D,
    wkT: tf.transpose(w.wk) as tf.Tensor2D,
    wqT: tf.transpose(w.wq) as tf.Tensor2D,
    xiT: tf.transpose(w.xi) as tf.Tensor2D,
    logMask: logMask ? logMask.clone() : null,
  };
}

export function disposeFused(f: FusedWeights): void {
  tf.dispose([f.wkT, f.wqT, f.xiT]);
  f.logMask?.dispose();
}

/** The old closed-form dE/dg [B, N, D] (the energy is left out, as the old unrolled descent did). */
export function referenceDEdg(g: tf.Tensor, fused: FusedWeights, cfg: ReferenceConfig): tf.Tensor3D {
  return tf.tidy(() => {
    const [B, N, D] = g.shape as [number, number, number];
    const H = cfg.heads;
    const Y = cfg.headDim;
    const flat = tf.reshape(g, [B * N, D]) as tf.Tensor2D;
    const K = toHeads(tf.matMul(flat, fused.wk), B, N, H, Y);
    const Q = toHeads(tf.matMul(flat, fused.wq), B, N, H, Y);
    let logits: tf.Tensor = tf.mul(tf.matMul(Q, K, false, true), cfg.attentionBeta);
    if (fused.logMask) logits = tf.reshape(tf.add(tf.reshape(logits, [B, H, N, N]), fused.logMask), [B * H, N, N]);
    const P = tf.softmax(logits) as tf.Tensor3D;
    const dQ = tf.neg(tf.matMul(P, K));
    const dK = tf.neg(tf.matMul(P, Q, true, false));
    const h = tf.matMul(flat, fused.xi);
    const dH = cfg.hopfield === 'relu' ? tf.neg(tf.relu(h)) : tf.neg(tf.softmax(tf.mul(h, cfg.hopfieldBeta)));
    return tf.reshape(
      tf.addN([tf.matMul(fromHeads(dK, B, N, H, Y), fused.wkT), tf.matMul(fromHeads(dQ, B, N, H, Y), fused.wqT), tf.matMul(dH as tf.Tensor2D, fused.xiT)]),
      [B, N, D],
    ) as tf.Tensor3D;
  });
}

/** The old unrolled descent x <- x - alpha dE/dg(LN(x)), T steps (differentiable). */
export function referenceEvolve(x: tf.Tensor, w: ReferenceWeights, cfg: ReferenceConfig, steps: number, alpha: number, logMask: tf.Tensor | null = null): tf.Tensor3D {
  const fused = prepareFused(w, logMask);
  try {
    let state = x.clone();
    for (let i = 0; i < steps; i++) {
      const prev = state;
      state = tf.tidy(() => tf.sub(prev, tf.mul(referenceDEdg(referenceLayerNorm(prev, w.gamma, w.delta, cfg.eps), fused, cfg), alpha)));
      prev.dispose();
    }
    return state as tf.Tensor3D;
  } finally {
    disposeFused(fused);
  }
}
