/**
 * Top-K activation with the GABA switch (Bricken et al., ICLR 2023, §3).
 *
 * A single inhibitory interneuron subtracts the (k+1)-th largest pre-activation
 * of each example from every neuron. Each neuron sees that inhibition through
 * its own coefficient, which a per-neuron activation count moves linearly from
 * -1 (the inhibition is *added*: every neuron fires, the layer is dense) to +1
 * (the inhibition is subtracted: only the k largest survive, exact Top-K):
 *
 *     gaba_i = clamp(-1 + 2 * count_i / horizon, -1, 1)
 *     a_i    = relu(relu(h_i) - gaba_i * theta),   theta = (k+1)-th largest relu(h)
 *
 * Neurons therefore all learn while young and switch to sparse firing one by
 * one, which keeps them from dying before they have found a place in the data.
 * theta carries no gradient (it is the interneuron's input, not a path the
 * error should flow through).
 */
import * as tf from '@tensorflow/tfjs';
import { errors } from '@engram/core';

/** The GABA coefficient of every neuron for the given activation counts: clamp(-1 + 2 count / horizon, -1, 1). */
export function gabaResponse(counts: tf.Tensor, horizon: number): tf.Tensor {
  if (!(horizon > 0) || !Number.isFinite(horizon)) throw errors.invalidArgument('horizon', 'a finite number > 0', horizon);
  return tf.tidy(() => tf.clipByValue(tf.sub(tf.mul(counts, 2 / horizon), 1), -1, 1));
}

/** The value of the (k+1)-th largest entry of each row of x `[B, N]` as `[B, 1]`, with no gradient. */
export const inhibitionThreshold: (x: tf.Tensor2D, k: number) => tf.Tensor2D = (x, k) => {
  const n = x.shape[1];
  // k+1 because the (k+1)-th value is what is subtracted so that exactly k stay positive.
  const kk = Math.min(k + 1, n);
  const stop = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [t, save] = args as [tf.Tensor, tf.GradSaveFunc];
    save([t]);
    return {
      value: tf.tidy(() => tf.min(tf.topk(t as tf.Tensor2D, kk, false).values, 1, true)),
      gradFunc: (_dy: tf.Tensor, saved: tf.Tensor[]) => tf.zerosLike(saved[0]!),
    };
  });
  return stop(x) as tf.Tensor2D;
};

/**
 * Applies GABA-switch Top-K to pre-activations h `[B, N]`: ReLU, then the
 * inhibition weighted per neuron by `gaba` (`[N]` or `[1, N]`; 1 everywhere is
 * exact Top-K by subtraction). Differentiable in h (the threshold is constant).
 */
export function gabaTopK(h: tf.Tensor2D, k: number, gaba: tf.Tensor): tf.Tensor2D {
  if (!Number.isInteger(k) || k < 1) throw errors.invalidArgument('k', 'an integer >= 1', k);
  return tf.tidy(() => {
    const r = tf.relu(h);
    const theta = inhibitionThreshold(r, k);
    return tf.relu(tf.sub(r, tf.mul(tf.reshape(gaba, [1, -1]), theta)));
  });
}

/** Exact Top-K by masking (the "Top-K MLP" baseline): keeps the k largest entries of each row of h, zeroes the rest. */
export function topKMask(h: tf.Tensor2D, k: number): tf.Tensor2D {
  if (!Number.isInteger(k) || k < 1) throw errors.invalidArgument('k', 'an integer >= 1', k);
  return tf.tidy(() => {
    const theta = inhibitionThreshold(h, Math.max(0, k - 1));
    // theta is the k-th largest value: keep everything at or above it (ties may keep a few more).
    const mask = tf.cast(tf.greaterEqual(h, theta), 'float32');
    return tf.mul(h, mask);
  });
}
