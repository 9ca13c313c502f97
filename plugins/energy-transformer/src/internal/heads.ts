/** Reshapes token-major projections [B*N, H*Y] to head-major [B*H, N, Y] (the energy-only paths; core's headAttention reads token-major in place). */
import * as tf from '@tensorflow/tfjs';

/** [B*N, H*Y] -> [B*H, N, Y]. */
export function toHeads(t: tf.Tensor, B: number, N: number, H: number, Y: number): tf.Tensor3D {
  return tf.reshape(tf.transpose(tf.reshape(t, [B, N, H, Y]), [0, 2, 1, 3]), [B * H, N, Y]);
}
