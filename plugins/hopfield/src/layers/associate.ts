/**
 * The Hopfield association of hopfield-layers, in Hopfield space: heads of
 * state (query) patterns R, stored (key) patterns Y and projections (values)
 * V; the state is updated xi <- softmax(beta xi Y^T) Y up to `steps` times
 * (until the change is below `eps`), then the output is softmax(beta xi Y^T) V.
 */
import * as tf from '@tensorflow/tfjs';

/** Result of {@link associate} (a type alias, so tf.tidy can return it). */
export type Association = {
  /** softmax(beta xi Y^T) V with the heads concatenated: [B, L, heads * dv]. */
  output: tf.Tensor3D;
  /** The association (softmax) matrix [B, heads, L, S]. */
  association: tf.Tensor4D;
  /**
   * Only with `withEnergy`: the modern Hopfield energy of the final state per
   * head and query, [B, heads, L]: -1/beta lse(beta xi Y^T) + 1/2 |xi|^2 + 1/beta log S + 1/2 max|y|^2.
   */
  energy?: tf.Tensor3D;
};

/** [B, N, H*d] -> [B, H, N, d]. */
function splitHeads(x: tf.Tensor, heads: number): tf.Tensor4D {
  const [b, n, hd] = x.shape as [number, number, number];
  return tf.transpose(x.reshape([b, n, heads, hd / heads]), [0, 2, 1, 3]) as tf.Tensor4D;
}

/**
 * Associates q [B, L, H*dk] with k [B or 1, S, H*dk] and v [B or 1, S, H*dv]
 * (a leading 1 broadcasts learned patterns over the batch).
 */
export function associate(
  q: tf.Tensor3D,
  k: tf.Tensor3D,
  v: tf.Tensor3D,
  o: { heads: number; beta: number; steps: number; eps: number; withEnergy?: boolean },
): Association {
  const b = q.shape[0];
  const expand = (t: tf.Tensor3D) => (t.shape[0] === b ? t : tf.tile(t, [b, 1, 1]));
  const qh = splitHeads(q, o.heads);
  const kh = splitHeads(expand(k), o.heads);
  const vh = splitHeads(expand(v), o.heads);
  const weights = (xi: tf.Tensor4D) => tf.softmax(tf.mul(tf.matMul(xi, kh, false, true), o.beta)) as tf.Tensor4D;
  let xi = qh;
  for (let s = 0; s < o.steps; s++) {
    const next = tf.matMul(weights(xi), kh) as tf.Tensor4D;
    const change = tf.tidy(() => tf.max(tf.abs(tf.sub(next, xi))).dataSync()[0]!);
    xi = next;
    if (change < o.eps) break;
  }
  const association = weights(xi);
  const out = tf.matMul(association, vh); // [B, H, L, dv]
  const [, h, l, dv] = out.shape as [number, number, number, number];
  const output = tf.transpose(out, [0, 2, 1, 3]).reshape([b, l, h * dv]) as tf.Tensor3D;
  if (!o.withEnergy) return { output, association };
  const s = kh.shape[2];
  const lse = tf.logSumExp(tf.mul(tf.matMul(xi, kh, false, true), o.beta), -1); // [B, H, L]
  const half = tf.mul(tf.sum(tf.square(xi), -1), 0.5);
  const m2 = tf.max(tf.sum(tf.square(kh), -1), -1, true); // [B, H, 1]
  const energy = tf.add(tf.add(tf.mul(lse, -1 / o.beta), half), tf.add(tf.mul(m2, 0.5), Math.log(s) / o.beta)) as tf.Tensor3D;
  return { output, association, energy };
}
