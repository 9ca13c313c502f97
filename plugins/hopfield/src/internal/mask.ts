/** Clamp masks: validation and broadcasting to the batch. */
import * as tf from '@tensorflow/tfjs';
import { errors, toTensor, type TensorInput } from '@engram/core';

/**
 * Broadcasts a clamp mask ([dim], [1, dim] or [batch, dim]) to [batch, dim] as
 * a new float32 tensor of 0/1 (nonzero = clamped).
 * @throws SHAPE_MISMATCH when the mask does not broadcast.
 */
export function broadcastMask(mask: TensorInput, shape: [number, number]): tf.Tensor2D {
  const m = toTensor(mask);
  try {
    const ok =
      (m.rank === 1 && m.shape[0] === shape[1]) ||
      (m.rank === 2 && m.shape[1] === shape[1] && (m.shape[0] === 1 || m.shape[0] === shape[0]));
    if (!ok) throw errors.shapeMismatch('clamp mask', [`${shape[0]} or 1`, shape[1]], m.shape);
    return tf.tidy(() => tf.broadcastTo(tf.notEqual(m.reshape([-1, shape[1]]), 0).toFloat(), shape)) as tf.Tensor2D;
  } finally {
    if (m !== mask) m.dispose();
  }
}
