/**
 * The previous hand-written exact denoiser (before it was composed from core's
 * memory synapse), kept ONLY as the reference the new composition is checked
 * against, and as the "before" of the layout timing script: the posterior
 * softmax(beta (x Xi^T - ||xi||^2/2)) Xi with a pre-transposed copy Xi^T [D, K]
 * for the hot product, and -log p_sigma(x) with every constant.
 */
import * as tf from '@tensorflow/tfjs';

/** The old layout: patterns [K, D], their transpose [D, K], half squared norms [K]. */
export class HandWrittenExact {
  readonly xi: tf.Tensor2D;
  readonly xiT: tf.Tensor2D;
  readonly halfSq: tf.Tensor1D;

  constructor(patterns: tf.Tensor2D) {
    this.xi = patterns.clone();
    this.xiT = tf.transpose(patterns);
    this.halfSq = tf.tidy(() => tf.mul(tf.sum(tf.square(patterns), 1), 0.5));
  }

  private logits(x: tf.Tensor2D, sigma: number): tf.Tensor2D {
    return tf.mul(tf.sub(tf.matMul(x, this.xiT), this.halfSq), 1 / sigma ** 2) as tf.Tensor2D;
  }

  denoise(x: tf.Tensor2D, sigma: number): tf.Tensor2D {
    return tf.tidy(() => tf.matMul(tf.softmax(this.logits(x, sigma)), this.xi));
  }

  energy(x: tf.Tensor2D, sigma: number): tf.Tensor1D {
    const s2 = sigma ** 2;
    return tf.tidy(() => {
      const l = tf.sub(this.logits(x, sigma), tf.reshape(tf.mul(tf.sum(tf.square(x), 1), 0.5 / s2), [-1, 1]));
      const c = Math.log(this.xi.shape[0]) + 0.5 * this.xi.shape[1] * Math.log(2 * Math.PI * s2);
      return tf.add(tf.neg(tf.logSumExp(l, 1)), c) as tf.Tensor1D;
    });
  }

  dispose(): void {
    tf.dispose([this.xi, this.xiT, this.halfSq]);
  }
}
