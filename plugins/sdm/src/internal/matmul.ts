/**
 * Matrix products whose gradients avoid tfjs-wasm's transposed-operand
 * matMul, which is ~10x slower than a plain product on this backend (measured
 * here: x^T·dy for [128,784]x[128,1000] took 178 ms with transposeA, 14 ms
 * after an explicit transpose). The SDMLP's backward pass is dominated by
 * these products, so this is worth a custom gradient.
 */
import * as tf from '@tensorflow/tfjs';

/** a·b where only b needs a gradient (a is data): d b = a^T · dy with a transposed explicitly; a gets a zero gradient. */
export function matMulDataWeight(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, w, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    save([x]);
    return {
      value: tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const xs = saved[0] as tf.Tensor2D;
        return [tf.zerosLike(xs), tf.tidy(() => tf.matMul(tf.transpose(xs), dy as tf.Tensor2D))];
      },
    };
  });
  return op(a, b) as tf.Tensor2D;
}

/** a·b with gradients for both operands, each computed without transposed-operand matMul. */
export function matMulBoth(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, w, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    save([x, w]);
    return {
      value: tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
        return tf.tidy(() => [tf.matMul(dy as tf.Tensor2D, tf.transpose(ws)), tf.matMul(tf.transpose(xs), dy as tf.Tensor2D)]);
      },
    };
  });
  return op(a, b) as tf.Tensor2D;
}
