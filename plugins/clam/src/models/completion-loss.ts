/**
 * ClAM's self-supervised loss (eq. 9 of the paper; helper.py's
 * mean_squared_loss): the hidden coordinates start at their fill value, the
 * visible ones are held (core's clamp), the assignment dynamics run T steps,
 * and L = mean over the batch and the features of hidden * (x_T - x)^2,
 * back-propagated through all T unrolled steps into the prototypes.
 */
import * as tf from '@tensorflow/tfjs';
import { integrate, type Hypersynapse } from '@engram/core';
import { CLAM_LAYER, clamSystem } from './clam-dynamics.js';
import type { ClamBatch } from './masked-batches.js';

/** What the loss needs of a model. */
export interface CompletionSetup {
  synapse: Hypersynapse;
  beta: number;
  dt: number;
  steps: number;
}

/** The masked input x (1 - hidden) + fill hidden, [batch, size]. */
export function maskedInput(batch: ClamBatch): tf.Tensor2D {
  return tf.tidy(() => tf.add(tf.mul(batch.x, tf.sub(1, batch.hidden)), tf.mul(batch.fill, batch.hidden)) as tf.Tensor2D);
}

/** The completion of the hidden coordinates after T steps, [batch, size] (caller owns it; differentiable). */
export function complete(setup: CompletionSetup, start: tf.Tensor2D, hidden: tf.Tensor2D): tf.Tensor2D {
  const system = clamSystem(setup.synapse, setup.beta, { energy: false });
  const visible = tf.sub(1, hidden);
  try {
    const final = integrate(system, { [CLAM_LAYER]: start }, { steps: setup.steps, dt: setup.dt, clamp: { [CLAM_LAYER]: visible } });
    return final[CLAM_LAYER] as tf.Tensor2D;
  } finally {
    visible.dispose();
    system.dispose();
  }
}

/** The mask-and-complete loss of a batch (a scalar; differentiable w.r.t. the prototypes). */
export function completionLoss(setup: CompletionSetup, batch: ClamBatch): tf.Scalar {
  return tf.tidy(() => {
    const final = complete(setup, maskedInput(batch), batch.hidden);
    return tf.mean(tf.mul(tf.square(tf.sub(final, batch.x)), batch.hidden)) as tf.Scalar;
  });
}
