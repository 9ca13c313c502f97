/** The one interface every sampler needs: a denoiser D(x, sigma) ~ E[x_0 | x_sigma = x]. */
import type * as tf from '@tensorflow/tfjs';

/**
 * A denoiser on flat vectors. The score follows as grad log p_sigma(x) = (D(x, sigma) - x) / sigma^2
 * (Tweedie's formula), so a denoiser is all the samplers need.
 */
export interface Denoiser {
  /** Flattened data dimension. */
  readonly dim: number;
  /**
   * D(x, sigma) for x [B, dim] at one noise level `sigma` (> 0) or one level per sample [B].
   * Returns a new tensor the caller owns; does not dispose x.
   */
  denoise(x: tf.Tensor2D, sigma: number | tf.Tensor1D): tf.Tensor2D;
  /** Optionally -log p_sigma(x) per sample [B] (the exact denoiser has it: a dense-AM energy). */
  energy?(x: tf.Tensor2D, sigma: number): tf.Tensor1D;
}

/** Score grad_x log p_sigma(x) = (D(x, sigma) - x) / sigma^2 (Tweedie). */
export function scoreOf(denoiser: Denoiser, x: tf.Tensor2D, sigma: number): tf.Tensor2D {
  const d = denoiser.denoise(x, sigma);
  const s = d.sub(x).div(sigma * sigma) as tf.Tensor2D;
  d.dispose();
  return s;
}
