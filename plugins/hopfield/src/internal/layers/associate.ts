/**
 * The Hopfield association of hopfield-layers, in Hopfield space: heads of
 * state (query) patterns xi, stored (key) patterns K and projections (values)
 * V; the state is updated xi <- softmax(beta xi K^T) K up to `steps` times
 * (until the change is below `eps`), then the output is softmax(beta xi K^T) V.
 *
 * The softmax weights and the -1/beta lse energy are core's 'lse' separation
 * (the memory synapse's). The products stay batched per head: here the stored
 * patterns differ per sample (association, pooling: they come from the input)
 * and are split into heads, while core's memory synapse holds one pattern
 * matrix for the whole batch; the read-out multiplies by V, not by K.
 */
import * as tf from '@tensorflow/tfjs';
import { separation } from '@engram/core';

/** Result of {@link associate} (a type alias, so tf.tidy can return it). */
export type Association = {
  /** softmax(beta xi K^T) V with the heads concatenated: [B, L, heads * dv]. */
  output: tf.Tensor3D;
  /** The association (softmax) matrix [B, heads, L, S]. */
  association: tf.Tensor4D;
  /**
   * Only with `withEnergy`: the modern Hopfield energy of the final state per
   * head and query, [B, heads, L]: -1/beta lse(beta xi K^T) + 1/2 |xi|^2 + 1/beta log S + 1/2 max|k|^2.
   */
  energy?: tf.Tensor3D;
};

/** What the association needs besides its inputs. */
export interface AssociateOptions {
  heads: number;
  beta: number;
  steps: number;
  eps: number;
  withEnergy?: boolean;
  /**
   * Forbidden (state, stored) pairs, 1 = forbidden, broadcastable to the
   * association [B, heads, L, S]; applied at every update step, as
   * hopfield-layers applies its association mask inside the iteration.
   */
  mask?: tf.Tensor;
  /** Applied to the final association before the read-out only (dropout); the returned association is the raw one. */
  readout?: (association: tf.Tensor4D) => tf.Tensor4D;
}

/**
 * Added to the scores of forbidden pairs. Finite rather than -Infinity so that
 * a row with every pair forbidden gives uniform weights instead of NaN; any
 * allowed score absorbs nothing (float32 h - 1e30 is -1e30), so the allowed
 * weights are exactly the softmax over the allowed pairs.
 */
const FORBIDDEN = -1e30;

/** [B, N, H*d] -> [B, H, N, d]. */
export function splitHeads(x: tf.Tensor, heads: number): tf.Tensor4D {
  const [b, n, hd] = x.shape as [number, number, number];
  return tf.transpose(x.reshape([b, n, heads, hd / heads]), [0, 2, 1, 3]) as tf.Tensor4D;
}

/** [B, H, N, d] -> [B, N, H*d]. */
export function mergeHeads(x: tf.Tensor4D): tf.Tensor3D {
  const [b, h, n, d] = x.shape;
  return tf.transpose(x, [0, 2, 1, 3]).reshape([b, n, h * d]) as tf.Tensor3D;
}

/** Softmax weights softmax(beta xi K^T) over the stored patterns, [B, H, L, S] (forbidden pairs of `mask` get weight 0). */
export function associationWeights(xi: tf.Tensor4D, kh: tf.Tensor4D, beta: number, mask?: tf.Tensor): tf.Tensor4D {
  return tf.tidy(() => {
    const scores = tf.matMul(xi, kh, false, true);
    const h = mask ? tf.add(scores, tf.mul(mask, FORBIDDEN)) : scores;
    const [b, hd, l, s] = h.shape;
    return separation({ kind: 'lse', beta }).weights(h.reshape([b * hd * l, s]) as tf.Tensor2D).reshape([b, hd, l, s]) as tf.Tensor4D;
  });
}

/** One update of the state patterns, xi <- softmax(beta xi K^T) K, per head. */
export function associationUpdate(xi: tf.Tensor4D, kh: tf.Tensor4D, beta: number, mask?: tf.Tensor): tf.Tensor4D {
  return tf.tidy(() => tf.matMul(associationWeights(xi, kh, beta, mask), kh) as tf.Tensor4D);
}

/** The modern Hopfield energy of the state patterns per head and pattern, [B, H, L] (with Ramsauer's constants). */
export function associationEnergy(xi: tf.Tensor4D, kh: tf.Tensor4D, beta: number): tf.Tensor3D {
  return tf.tidy(() => {
    const h = tf.matMul(xi, kh, false, true);
    const [b, hd, l, s] = h.shape;
    const lse = separation({ kind: 'lse', beta }).energy(h.reshape([b * hd * l, s]) as tf.Tensor2D).reshape([b, hd, l]); // -1/beta lse
    const half = tf.mul(tf.sum(tf.square(xi), -1), 0.5);
    const m2 = tf.max(tf.sum(tf.square(kh), -1), -1, true); // [B, H, 1]
    return tf.add(tf.add(lse, half), tf.add(tf.mul(m2, 0.5), Math.log(s) / beta)) as tf.Tensor3D;
  });
}

/**
 * Associates q [B, L, H*dk] with k [B or 1, S, H*dk] and v [B or 1, S, H*dv]
 * (a leading 1 broadcasts learned patterns over the batch).
 */
export function associate(q: tf.Tensor3D, k: tf.Tensor3D, v: tf.Tensor3D, o: AssociateOptions): Association {
  const b = q.shape[0];
  const expand = (t: tf.Tensor3D) => (t.shape[0] === b ? t : tf.tile(t, [b, 1, 1]));
  const qh = splitHeads(q, o.heads);
  const kh = splitHeads(expand(k), o.heads);
  const vh = splitHeads(expand(v), o.heads);
  let xi = qh;
  for (let s = 0; s < o.steps; s++) {
    const next = associationUpdate(xi, kh, o.beta, o.mask);
    const change = tf.tidy(() => tf.max(tf.abs(tf.sub(next, xi))).dataSync()[0]!);
    xi = next;
    if (change < o.eps) break;
  }
  const association = associationWeights(xi, kh, o.beta, o.mask);
  const output = mergeHeads(tf.matMul(o.readout ? o.readout(association) : association, vh) as tf.Tensor4D);
  if (!o.withEnergy) return { output, association };
  return { output, association, energy: associationEnergy(xi, kh, o.beta) };
}
