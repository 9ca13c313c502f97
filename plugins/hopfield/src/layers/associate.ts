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
export function associate(q: tf.Tensor3D, k: tf.Tensor3D, v: tf.Tensor3D, o: { heads: number; beta: number; steps: number; eps: number }): Association {
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
  return { output, association };
}
