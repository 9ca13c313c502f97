/**
 * x W with a gradient that avoids the transposed matMul kernels: on the wasm
 * backend (tfjs 4.22) matMul(a, b, true, false) and matMul(a, b, false, true)
 * are 5-15x slower than an explicit transpose followed by a plain matMul
 * (measured here at [64, 228] x [228, 256]: 4.6 ms against 0.5 ms). The default
 * MatMul gradient uses exactly those transposed forms, so training an MLP with it
 * spends most of its time there. First-order only (enough for score matching).
 */
import * as tf from '@tensorflow/tfjs';

const fast = tf.customGrad(((x: tf.Tensor, w: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x, w]);
  return {
    value: tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sw] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [tf.matMul(dy as tf.Tensor2D, tf.transpose(sw)), tf.matMul(tf.transpose(sx), dy as tf.Tensor2D)];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]);

/** x [B, I] times W [I, O] -> [B, O], with a transpose-then-matMul gradient. */
export function matMulFastGrad(x: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D {
  return fast(x, w) as tf.Tensor2D;
}
