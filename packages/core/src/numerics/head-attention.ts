/**
 * Multi-head attention pulls on token-major projections, as ONE kernel each
 * way where a backend has it (the native path registers both on wasm):
 *
 *   per sample b and head h, with Q_bh, K_bh the head's [N, Y] slices of q, k [B, N, H*Y]:
 *   S = scale Q K^T (+ logMask),  P = softmax(S) over keys,  lse = log sum exp(S) over keys,
 *   pullQ = P K,  pullK = P^T Q                 (token-major [B, N, H*Y], like q and k)
 *
 * These are what energy attention's closed-form gradient needs (the Energy
 * Transformer's dE/dQ = -pullQ, dE/dK = -pullK; E = -(1/beta) sum lse).
 * The fused kernels read each head in place (strided products), so nothing is
 * transposed to or from a head-major layout, and the [B*H, N, N] scores never
 * leave the kernel; the backward kernel recomputes them.
 *
 * Gradient: exact at every order. At first order the backward kernel runs (when
 * registered); when the gradient is itself differentiated, it is composed from
 * differentiable ops (dP = dPullQ K^T + Q dPullK^T, dS = P (dP - sum dP P + dLse),
 * dQ = scale dS K + P dPullK, dK = scale dS^T Q + P^T dPullQ).
 *
 * Why: composed, one attention pull is 4 transposes, 3 batched products, a
 * softmax and a scale; in ET inference (B = 32, N = 49, 4 heads) the transposes
 * alone were 8 % of the step.
 */
import * as tf from '@tensorflow/tfjs';
import { invalidArgument, shapeMismatch } from '../errors/factories.js';
import { differentiated } from './gradient-fixes.js';
// ops.ts re-exports this module; logSumExp is only called at run time, after both have loaded.
import { logSumExp } from './ops.js';

/** The forward kernel's name: inputs q, k [B, N, H*Y] and logMask; outputs pullQ, pullK [B, N, H*Y] and lse [B, H, N]. */
export const HEAD_ATTENTION_KERNEL = 'EngramHeadAttention';
/** The backward kernel's name: inputs q, k, logMask, dPullQ, dPullK, dLse; outputs dq, dk. */
export const HEAD_ATTENTION_GRAD_KERNEL = 'EngramHeadAttentionGrad';

/** The kernels' attributes. */
export interface HeadAttentionAttrs {
  heads: number;
  scale: number;
  /** Whether logMask is a real [Bm, N, N] log-mask (else a placeholder scalar). */
  masked: boolean;
  /** Forward: whether lse is computed (else its output holds zeros). Backward: whether dLse is given (else a placeholder scalar). */
  withLse: boolean;
}

/** Options of {@link headAttention}. */
export interface HeadAttentionOptions {
  /** Number of heads H (the last axis of q and k is H*Y). */
  heads: number;
  /** Factor on the scores (e.g. the inverse temperature beta). */
  scale: number;
  /**
   * Added to every head's scores: [N, N], or one per sample [B, N, N] (also
   * accepted with a head axis of 1: [1 or B, 1, N, N]). A constant.
   */
  logMask?: tf.Tensor | null;
  /** Whether to return lse (default true); false saves its pass when nothing needs it. */
  lse?: boolean;
}

/** The pulls and the scores' log-sum-exp. */
export interface HeadAttentionResult {
  pullQ: tf.Tensor3D;
  pullK: tf.Tensor3D;
  /** [B, H, N]; null when not asked for. */
  lse: tf.Tensor3D | null;
}

interface Dims {
  B: number;
  N: number;
  H: number;
  Y: number;
}

const dimsOf = (q: tf.Tensor, heads: number): Dims => {
  const [B, N, HY] = q.shape as [number, number, number];
  return { B, N, H: heads, Y: HY / heads };
};

const toHeads = (t: tf.Tensor, d: Dims): tf.Tensor3D => tf.reshape(tf.transpose(tf.reshape(t, [d.B, d.N, d.H, d.Y]), [0, 2, 1, 3]), [d.B * d.H, d.N, d.Y]);
const fromHeads = (t: tf.Tensor, d: Dims): tf.Tensor3D => tf.reshape(tf.transpose(tf.reshape(t, [d.B, d.H, d.N, d.Y]), [0, 2, 1, 3]), [d.B, d.N, d.H * d.Y]);

/** Scores and probabilities, head-major [B*H, N, N], from differentiable ops. */
function composedScores(qh: tf.Tensor3D, kh: tf.Tensor3D, mask: tf.Tensor | null, d: Dims, scale: number): { S: tf.Tensor3D; P: tf.Tensor3D } {
  let S = tf.matMul(qh, kh, false, true);
  if (scale !== 1) S = tf.mul(S, scale);
  if (mask) S = tf.reshape(tf.add(tf.reshape(S, [d.B, d.H, d.N, d.N]), tf.reshape(mask, [-1, 1, d.N, d.N])), [d.B * d.H, d.N, d.N]);
  return { S: S as tf.Tensor3D, P: tf.softmax(S) as tf.Tensor3D };
}

function composed(q: tf.Tensor, k: tf.Tensor, mask: tf.Tensor | null, d: Dims, scale: number, withLse: boolean): HeadAttentionResult {
  const [qh, kh] = [toHeads(q, d), toHeads(k, d)];
  const { S, P } = composedScores(qh, kh, mask, d, scale);
  const lse = withLse ? (tf.reshape(logSumExp(S, -1), [d.B, d.H, d.N]) as tf.Tensor3D) : null;
  return { pullQ: fromHeads(tf.matMul(P, kh), d), pullK: fromHeads(tf.matMul(P, qh, true, false), d), lse };
}

/** The backward pass from differentiable ops (what the kernel computes), and the mask's gradient. */
function composedBackward(q: tf.Tensor, k: tf.Tensor, mask: tf.Tensor | null, dPullQ: tf.Tensor | null, dPullK: tf.Tensor | null, dLse: tf.Tensor | null, d: Dims, scale: number): { dq: tf.Tensor; dk: tf.Tensor; dS: tf.Tensor3D } {
  const [qh, kh] = [toHeads(q, d), toHeads(k, d)];
  const { P } = composedScores(qh, kh, mask, d, scale);
  const zero = (): tf.Tensor3D => tf.zeros([d.B * d.H, d.N, d.Y]);
  const dpq = dPullQ ? toHeads(dPullQ, d) : zero();
  const dpk = dPullK ? toHeads(dPullK, d) : zero();
  const dP = tf.add(tf.matMul(dpq, kh, false, true), tf.matMul(qh, dpk, false, true));
  let shift = tf.neg(tf.sum(tf.mul(dP, P), -1, true));
  if (dLse) shift = tf.add(shift, tf.reshape(dLse, [d.B * d.H, d.N, 1]));
  const dS = tf.mul(P, tf.add(dP, shift)) as tf.Tensor3D;
  const times = (t: tf.Tensor): tf.Tensor => (scale === 1 ? t : tf.mul(t, scale));
  const dqh = tf.add(times(tf.matMul(dS, kh)), tf.matMul(P, dpk));
  const dkh = tf.add(times(tf.matMul(dS, qh, true, false)), tf.matMul(P, dpq, true, false));
  return { dq: fromHeads(dqh, d), dk: fromHeads(dkh, d), dS };
}

/** Gradient of the mask: dS summed over heads (and over samples for a shared [1, N, N] mask), in the mask's shape. */
function maskGradient(dS: tf.Tensor3D, mask: tf.Tensor, d: Dims): tf.Tensor {
  const perSample = tf.sum(tf.reshape(dS, [d.B, d.H, d.N, d.N]), 1);
  const shared = mask.size === d.N * d.N;
  return tf.reshape(shared ? tf.sum(perSample, 0) : perSample, mask.shape);
}

const single = (t: tf.Tensor | null | undefined): tf.Tensor | null => t ?? null;

/** The forward kernel's gradient, registered with it (backend/native/native-fused.ts). */
export const headAttentionGradConfig: tf.GradConfig = {
  kernelName: HEAD_ATTENTION_KERNEL,
  inputsToSave: ['q', 'k', 'logMask'],
  gradFunc: (dy, saved, attrs) => {
    const [q, k, m] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
    const { heads, scale, masked } = attrs as unknown as HeadAttentionAttrs;
    const [dPullQ, dPullK, dLse] = (Array.isArray(dy) ? dy : [dy]).map(single);
    const mask = masked ? m : null;
    const d = dimsOf(q, heads);
    // Both at once (one kernel computes both), here rather than in the closures: a tensor made in
    // one closure is freed with that closure's scope, so the other could not return it. Made here,
    // they live in the backward pass's scope, which frees whichever is not taken.
    let dq: tf.Tensor;
    let dk: tf.Tensor;
    if (!differentiated() && tf.getKernel(HEAD_ATTENTION_GRAD_KERNEL, tf.getBackend())) {
      const zeros = (t: tf.Tensor | null): tf.Tensor => t ?? tf.zerosLike(q);
      const gradAttrs: HeadAttentionAttrs = { heads, scale, masked, withLse: !!dLse };
      const inputs = { q, k, logMask: m, dPullQ: zeros(dPullQ), dPullK: zeros(dPullK), dLse: dLse ?? tf.scalar(0) };
      [dq, dk] = tf.engine().runKernel(HEAD_ATTENTION_GRAD_KERNEL, inputs as unknown as tf.NamedTensorMap, gradAttrs as unknown as tf.NamedAttrMap) as [tf.Tensor, tf.Tensor];
    } else {
      ({ dq, dk } = composedBackward(q, k, mask, dPullQ, dPullK, dLse, d, scale));
    }
    return {
      q: () => dq,
      k: () => dk,
      // Only taken when something differentiates with respect to the mask (engram's masks are constants).
      logMask: () => (mask ? maskGradient(composedBackward(q, k, mask, dPullQ, dPullK, dLse, d, scale).dS, mask, d) : tf.zerosLike(m)),
    };
  },
};

/** The log-mask as [Bm, N, N] (Bm = 1 or B), or a coded error. */
function maskOf(logMask: tf.Tensor | null | undefined, d: Dims): tf.Tensor | null {
  if (!logMask) return null;
  const n = d.N * d.N;
  if (logMask.dtype !== 'float32' || (logMask.size !== n && logMask.size !== d.B * n) || logMask.shape[logMask.rank - 1] !== d.N || logMask.shape[logMask.rank - 2] !== d.N) {
    throw shapeMismatch('headAttention logMask', ['1 or batch', d.N, d.N], [...logMask.shape]);
  }
  return tf.reshape(logMask, [logMask.size / n, d.N, d.N]);
}

/**
 * Multi-head attention pulls of token-major queries and keys q, k
 * [B, N, H*Y] (see the module comment): one fused kernel when the backend has
 * it, the composed ops otherwise; differentiable at every order. Throws coded
 * errors for shapes that do not fit (ENGRAM_ERR_SHAPE_MISMATCH) and bad options
 * (ENGRAM_ERR_INVALID_ARGUMENT).
 */
export function headAttention(q: tf.Tensor, k: tf.Tensor, options: HeadAttentionOptions): HeadAttentionResult {
  const { heads, scale } = options;
  const withLse = options.lse ?? true;
  if (!Number.isInteger(heads) || heads < 1) throw invalidArgument('headAttention heads', 'a positive integer', heads);
  if (!Number.isFinite(scale)) throw invalidArgument('headAttention scale', 'a finite number', scale);
  if (q.rank !== 3 || q.shape[2]! % heads !== 0 || q.shape[2] === 0) throw shapeMismatch('headAttention q (batch x tokens x heads*headSize)', ['batch', 'tokens', `a multiple of ${heads}`], [...q.shape]);
  if (!tf.util.arraysEqual(q.shape, k.shape)) throw shapeMismatch('headAttention k (as q)', [...q.shape], [...k.shape]);
  const d = dimsOf(q, heads);
  const out = tf.tidy((): tf.Tensor[] => {
    const mask = maskOf(options.logMask, d);
    const fused = q.dtype === 'float32' && k.dtype === 'float32' && d.B > 0 && d.N > 0 && tf.getKernel(HEAD_ATTENTION_KERNEL, tf.getBackend());
    if (!fused) {
      const c = composed(q, k, mask, d, scale, withLse);
      return c.lse ? [c.pullQ, c.pullK, c.lse] : [c.pullQ, c.pullK];
    }
    const attrs: HeadAttentionAttrs = { heads, scale, masked: !!mask, withLse };
    const inputs = { q, k, logMask: mask ?? tf.scalar(0) };
    const [pullQ, pullK, lse] = tf.engine().runKernel(HEAD_ATTENTION_KERNEL, inputs as unknown as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
    return withLse ? [pullQ!, pullK!, lse!] : [pullQ!, pullK!];
  });
  return { pullQ: out[0] as tf.Tensor3D, pullK: out[1] as tf.Tensor3D, lse: (out[2] as tf.Tensor3D | undefined) ?? null };
}
