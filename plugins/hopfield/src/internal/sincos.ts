/**
 * cos and sin of a tensor computed on the host, the DrDAM model's
 * non-differentiable fast path (its update and its folding of patterns into
 * T). tfjs-wasm's Cos/Sin kernels are slow: cos + sin of [50, 20,000] took
 * 0.43 s with them and 0.15 s with this range-reduced polynomial (median of
 * 15, loaded 2-core machine; entries within 3e-7 of tf's). Everything that
 * needs a gradient uses tf.cos / tf.sin.
 */
import * as tf from '@tensorflow/tfjs';

const TWO_PI = 2 * Math.PI;
const INV_TWO_PI = 1 / TWO_PI;
const HALF_PI = Math.PI / 2;

/** [cos(h), sin(h)] as new tensors of h's shape (float32-level accuracy). */
export function hostSinCos(h: tf.Tensor): [tf.Tensor, tf.Tensor] {
  const x = h.dataSync() as Float32Array;
  const n = x.length;
  const c = new Float32Array(n);
  const s = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    let r = v - Math.round(v * INV_TWO_PI) * TWO_PI; // [-pi, pi]
    let sign = 1;
    // Fold into [-pi/2, pi/2]: sin(pi - r) = sin r, cos(pi - r) = -cos r.
    if (r > HALF_PI) {
      r = Math.PI - r;
      sign = -1;
    } else if (r < -HALF_PI) {
      r = -Math.PI - r;
      sign = -1;
    }
    const r2 = r * r;
    s[i] = r * (1 + r2 * (-1 / 6 + r2 * (1 / 120 + r2 * (-1 / 5040 + r2 * (1 / 362880 + r2 * (-1 / 39916800))))));
    c[i] = sign * (1 + r2 * (-1 / 2 + r2 * (1 / 24 + r2 * (-1 / 720 + r2 * (1 / 40320 + r2 * (-1 / 3628800 + r2 / 479001600))))));
  }
  return [tf.tensor(c, h.shape, 'float32'), tf.tensor(s, h.shape, 'float32')];
}
