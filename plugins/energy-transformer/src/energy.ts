/**
 * The Energy Transformer's energy terms as functions of the activations g (tokens
 * after LayerNorm), in two independent forms:
 *
 * - {@link etEnergyReference}: the energy written plainly, per term; autodiff of it
 *   is the reference gradient (and the path for second-order checks).
 * - {@link etForward}: one pass that returns dE/dg in closed form (and the energy
 *   on the way): g [BN, D] times W^K, W^Q, xi, then the upstream gradients times
 *   the pre-transposed weights (wasm matMul with a transposed operand is about 10x
 *   slower in the stock kernel, so both layouts are materialised once per run; the
 *   backward pass of training uses tfjs' own MatMul gradient, whose transposed
 *   products core's wasm fast path turns into plain ones).
 *
 * Attention (per head h, keys B, queries C, S_hCB = beta K_hB . Q_hC):
 *   E_ATT = -(1/beta) sum_h sum_C log sum_{B allowed} exp(S_hCB),
 *   dE/dQ_C = -sum_B P_CB K_B,  dE/dK_B = -sum_C P_CB Q_C   (P = masked softmax over B).
 * Hopfield: ReLU E = -1/2 sum ReLU(g xi)^2, dE/dh = -ReLU(h);
 *           softmax E = -(1/beta') sum log sum_mu exp(beta' h_mu), dE/dh = -softmax(beta' h).
 */
import * as tf from '@tensorflow/tfjs';
import type { EtBlockConfig } from './config.js';
import { logSumExpLast } from './internal/ops.js';

/** Additive log-mask: 0 where attention is allowed, a large negative number elsewhere. */
export const MASKED_LOGIT = -1e9;

/** The block's raw parameters used by the energy. */
export interface EtEnergyWeights {
  /** W^K stored as [D, H*Y] (head-major columns). */
  wk: tf.Tensor;
  /** W^Q stored as [D, H*Y]. */
  wq: tf.Tensor;
  /** Memories stored as columns, [D, M]. */
  xi: tf.Tensor;
}

/** Per-sample energy terms of a batch of activations. */
export interface EtEnergyTerms {
  attention: tf.Tensor1D;
  hopfield: tf.Tensor1D;
}

/**
 * Weights laid out for the closed-form pass (see {@link prepareFused}): the three
 * matrices (not owned) and their materialised transposes (owned), plus the mask.
 */
export interface FusedWeights {
  /** W^K [D, HY], W^Q [D, HY], xi [D, M]: references to the block's variables. */
  wk: tf.Tensor2D;
  wq: tf.Tensor2D;
  xi: tf.Tensor2D;
  /** Their transposes [HY, D], [HY, D], [M, D], materialised (no transposed matMul). */
  wkT: tf.Tensor2D;
  wqT: tf.Tensor2D;
  xiT: tf.Tensor2D;
  /** Additive attention mask broadcastable to [B, H, N, N], or null when every pair is allowed. */
  logMask: tf.Tensor | null;
}

/**
 * Builds the transposed weight layouts (new tensors the caller owns, released by
 * disposeFused; differentiable w.r.t. the weights, so training recomputes them
 * once per unrolled descent rather than once per step).
 */
export function prepareFused(weights: EtEnergyWeights, logMask: tf.Tensor | null): FusedWeights {
  return {
    wk: weights.wk as tf.Tensor2D,
    wq: weights.wq as tf.Tensor2D,
    xi: weights.xi as tf.Tensor2D,
    wkT: tf.transpose(weights.wk) as tf.Tensor2D,
    wqT: tf.transpose(weights.wq) as tf.Tensor2D,
    xiT: tf.transpose(weights.xi) as tf.Tensor2D,
    logMask: logMask ? logMask.clone() : null,
  };
}

/** [B*N, H*Y] -> [B*H, N, Y]. */
function toHeads(t: tf.Tensor, B: number, N: number, H: number, Y: number): tf.Tensor3D {
  return tf.reshape(tf.transpose(tf.reshape(t, [B, N, H, Y]), [0, 2, 1, 3]), [B * H, N, Y]);
}
/** [B*H, N, Y] -> [B*N, H*Y]. */
function fromHeads(t: tf.Tensor, B: number, N: number, H: number, Y: number): tf.Tensor2D {
  return tf.reshape(tf.transpose(tf.reshape(t, [B, H, N, Y]), [0, 2, 1, 3]), [B * N, H * Y]);
}

/** Sums a [B, ...] tensor per sample -> [B]. */
function perSample(t: tf.Tensor, B: number): tf.Tensor1D {
  return tf.sum(tf.reshape(t, [B, -1]), 1) as tf.Tensor1D;
}

/**
 * Reference energy, written directly from the definitions (autodiff of this is the
 * reference gradient). `g` is [B, N, D]; `logMask` as in {@link FusedWeights}.
 */
export function etEnergyReference(g: tf.Tensor, weights: EtEnergyWeights, logMask: tf.Tensor | null, cfg: EtBlockConfig): EtEnergyTerms {
  return tf.tidy(() => {
    const [B, N, D] = g.shape as [number, number, number];
    const H = cfg.heads;
    const Y = cfg.headDim;
    const beta = cfg.attentionBeta;
    const flat = tf.reshape(g, [B * N, D]);
    // K[b, h, n, y] and Q[b, h, n, y]
    const K = tf.transpose(tf.reshape(tf.matMul(flat, weights.wk), [B, N, H, Y]), [0, 2, 1, 3]);
    const Q = tf.transpose(tf.reshape(tf.matMul(flat, weights.wq), [B, N, H, Y]), [0, 2, 1, 3]);
    // logits[b, h, C, B'] = beta Q_C . K_B'
    let logits = tf.mul(beta, tf.matMul(tf.reshape(Q, [B * H, N, Y]), tf.reshape(K, [B * H, N, Y]), false, true));
    logits = tf.reshape(logits, [B, H, N, N]);
    if (logMask) logits = tf.add(logits, logMask);
    const attention = tf.mul(-1 / beta, perSample(logSumExpLast(logits), B)) as tf.Tensor1D;
    const h = tf.matMul(flat, weights.xi); // [BN, M]
    let hopfield: tf.Tensor1D;
    if (cfg.hopfield === 'relu') {
      hopfield = tf.mul(-0.5, perSample(tf.square(tf.relu(h)), B)) as tf.Tensor1D;
    } else {
      const bh = cfg.hopfieldBeta;
      hopfield = tf.mul(-1 / bh, perSample(logSumExpLast(tf.mul(bh, h)), B)) as tf.Tensor1D;
    }
    return { attention, hopfield };
  });
}

/** Result of {@link etForward}. */
export interface EtForwardResult {
  /** dE/dg, [B, N, D]. */
  dEdg: tf.Tensor3D;
  /** Energy terms of g, when asked for. */
  energy?: EtEnergyTerms;
}

/**
 * The fused closed-form pass: dE/dg for g [B, N, D], plus the energy when
 * `withEnergy` (it costs one extra reduction: the log-sum-exps are needed anyway).
 */
export function etForward(g: tf.Tensor, fused: FusedWeights, cfg: EtBlockConfig, withEnergy: boolean): EtForwardResult {
  return tf.tidy(() => {
    const [B, N, D] = g.shape as [number, number, number];
    const H = cfg.heads;
    const Y = cfg.headDim;
    const beta = cfg.attentionBeta;
    // Separate products rather than one fused [D, 2HY + M] product: splitting its
    // columns (and concatenating the gradients back) costs more than the matMul on wasm.
    const flat = tf.reshape(g, [B * N, D]) as tf.Tensor2D;
    const kf = tf.matMul(flat, fused.wk);
    const qf = tf.matMul(flat, fused.wq);
    const h = tf.matMul(flat, fused.xi); // [BN, M]
    const K = toHeads(kf, B, N, H, Y);
    const Q = toHeads(qf, B, N, H, Y);
    let logits: tf.Tensor = tf.mul(tf.matMul(Q, K, false, true), beta); // [BH, C, B']
    if (fused.logMask) logits = tf.reshape(tf.add(tf.reshape(logits, [B, H, N, N]), fused.logMask), [B * H, N, N]);
    // tf.softmax has a cheap native gradient; the log-sum-exp (whose max would
    // back-propagate through slow Equal masks) is only computed for the energy.
    const P = tf.softmax(logits) as tf.Tensor3D;
    const dQ = tf.neg(tf.matMul(P, K)); // [BH, C, Y]
    const dK = tf.neg(tf.matMul(P, Q, true, false)); // [BH, B', Y]
    let dH: tf.Tensor;
    let hopE: tf.Tensor1D | undefined;
    if (cfg.hopfield === 'relu') {
      const r = tf.relu(h);
      dH = tf.neg(r);
      if (withEnergy) hopE = tf.mul(-0.5, perSample(tf.square(r), B)) as tf.Tensor1D;
    } else {
      const bh = cfg.hopfieldBeta;
      const s = tf.mul(h, bh);
      dH = tf.neg(tf.softmax(s));
      if (withEnergy) hopE = tf.mul(-1 / bh, perSample(logSumExpLast(s), B)) as tf.Tensor1D;
    }
    const dEdg = tf.reshape(
      tf.addN([tf.matMul(fromHeads(dK, B, N, H, Y), fused.wkT), tf.matMul(fromHeads(dQ, B, N, H, Y), fused.wqT), tf.matMul(dH as tf.Tensor2D, fused.xiT)]),
      [B, N, D],
    ) as tf.Tensor3D;
    if (!withEnergy) return { dEdg };
    const attention = tf.mul(-1 / beta, perSample(logSumExpLast(logits), B)) as tf.Tensor1D;
    return { dEdg, energy: { attention, hopfield: hopE! } };
  });
}

/**
 * Per-token energy contributions: for each token C, its attention term per head,
 * -(1/beta) log sum_B exp(S_hCB) -> [B, N, H], and its Hopfield term -> [B, N].
 * They sum to the block's energy; the graph model reads them out as anomaly
 * features (a token whose neighbours do not match its queries has a high energy).
 */
export function etTokenEnergies(g: tf.Tensor, weights: EtEnergyWeights, logMask: tf.Tensor | null, cfg: EtBlockConfig): { attention: tf.Tensor3D; hopfield: tf.Tensor2D } {
  return tf.tidy(() => {
    const [B, N, D] = g.shape as [number, number, number];
    const H = cfg.heads;
    const Y = cfg.headDim;
    const beta = cfg.attentionBeta;
    const flat = tf.reshape(g, [B * N, D]);
    const K = toHeads(tf.matMul(flat, weights.wk), B, N, H, Y);
    const Q = toHeads(tf.matMul(flat, weights.wq), B, N, H, Y);
    let logits = tf.reshape(tf.mul(beta, tf.matMul(Q, K, false, true)), [B, H, N, N]);
    if (logMask) logits = tf.add(logits, logMask);
    const attention = tf.transpose(tf.reshape(tf.mul(-1 / beta, logSumExpLast(logits)), [B, H, N]), [0, 2, 1]) as tf.Tensor3D;
    const h = tf.matMul(flat, weights.xi);
    const hop =
      cfg.hopfield === 'relu'
        ? tf.mul(-0.5, tf.sum(tf.square(tf.relu(h)), -1))
        : tf.mul(-1 / cfg.hopfieldBeta, tf.reshape(logSumExpLast(tf.mul(cfg.hopfieldBeta, h)), [-1]));
    return { attention, hopfield: tf.reshape(hop, [B, N]) as tf.Tensor2D };
  });
}
