/** Reshapes between token-major projections [B*N, H*Y] and head-major [B*H, N, Y]. */
import * as tf from '@tensorflow/tfjs';

/** [B*N, H*Y] -> [B*H, N, Y]. */
export function toHeads(t: tf.Tensor, B: number, N: number, H: number, Y: number): tf.Tensor3D {
  return tf.reshape(tf.transpose(tf.reshape(t, [B, N, H, Y]), [0, 2, 1, 3]), [B * H, N, Y]);
}

/** [B*H, N, Y] -> [B*N, H*Y]. */
export function fromHeads(t: tf.Tensor, B: number, N: number, H: number, Y: number): tf.Tensor2D {
  return tf.reshape(tf.transpose(tf.reshape(t, [B, H, N, Y]), [0, 2, 1, 3]), [B * N, H * Y]);
}
