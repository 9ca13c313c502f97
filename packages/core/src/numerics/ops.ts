/**
 * Small numerical ops that engram uses everywhere, written so that they are
 * numerically stable and correct at first AND second order (they are
 * differentiated twice when training through unrolled dynamics). They rely on
 * {@link installGradientFixes} (installed by `initBackend`, and on import of this
 * module) and avoid tfjs ops whose second-order gradient cannot be fixed
 * (`tf.logSoftmax`, `tf.losses.softmaxCrossEntropy`).
 */
import * as tf from '@tensorflow/tfjs';
import { invalidArgument } from '../errors/factories.js';
import { installGradientFixes } from './gradient-fixes.js';

installGradientFixes();

/** Normalises `axis` (one or several, negative counting from the end) against `rank`, sorted, unique. */
export function normalizeAxes(axis: number | readonly number[], rank: number): number[] {
  const list = typeof axis === 'number' ? [axis] : [...axis];
  const out = list.map((a) => {
    if (!Number.isInteger(a) || a < -rank || a >= rank) {
      throw invalidArgument('axis', `an integer in [${-rank}, ${rank - 1}] for a tensor of rank ${rank}`, a);
    }
    return a < 0 ? a + rank : a;
  });
  return [...new Set(out)].sort((p, q) => p - q);
}

/** The axes of a rank-`rank` batched tensor other than the batch axis 0: [1, ..., rank-1]. */
export function sampleAxes(rank: number): number[] {
  return Array.from({ length: Math.max(rank - 1, 0) }, (_, i) => i + 1);
}

/**
 * Stable log(sum(exp(x))) along `axis` (default: last): max(x) + log(sum(exp(x - max(x)))).
 * Correct at second order (tf.logSumExp throws there without engram's gradient fixes).
 */
export function logSumExp(x: tf.Tensor, axis: number | readonly number[] = -1, keepDims = false): tf.Tensor {
  return tf.tidy(() => {
    const axes = normalizeAxes(axis, x.rank);
    const m = tf.max(x, axes, true);
    const lse = tf.add(tf.log(tf.sum(tf.exp(tf.sub(x, m)), axes, true)), m);
    return keepDims ? lse : tf.squeeze(lse, axes);
  });
}

/** Softmax along `axis` (default: last); any axis, correct at second order. */
export function softmax(x: tf.Tensor, axis = -1): tf.Tensor {
  const [a] = normalizeAxes(axis, x.rank) as [number];
  // tf.softmax (the Softmax kernel) only works on the last axis.
  if (a === x.rank - 1) return tf.softmax(x, a);
  return tf.tidy(() => tf.exp(tf.sub(x, logSumExp(x, a, true))));
}

/** log(softmax(x)) along `axis` (default: last). Use instead of tf.logSoftmax, which is wrong at second order. */
export function logSoftmax(x: tf.Tensor, axis = -1): tf.Tensor {
  return tf.tidy(() => tf.sub(x, logSumExp(x, axis, true)));
}

/**
 * Stable log(cosh(x)) elementwise: |x| + softplus(-2|x|) - log 2. Its derivative is
 * tanh(x); it never overflows (cosh does for |x| > ~89 in float32).
 */
export function logCosh(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const a = tf.abs(x);
    return tf.sub(tf.add(a, tf.softplus(tf.mul(a, -2))), Math.LN2);
  });
}

/** Sum over every axis but the first: [batch, ...] -> [batch]. A rank-1 input is returned reshaped (a new tensor). */
export function sumPerSample(x: tf.Tensor): tf.Tensor1D {
  if (x.rank === 0) throw invalidArgument('x.rank', 'at least 1 (a batched tensor [batch, ...])', x.rank);
  if (x.rank === 1) return tf.reshape(x, [x.shape[0] as number]);
  return tf.sum(x, sampleAxes(x.rank));
}

/** Mean over every axis but the first: [batch, ...] -> [batch]. */
export function meanPerSample(x: tf.Tensor): tf.Tensor1D {
  if (x.rank === 0) throw invalidArgument('x.rank', 'at least 1 (a batched tensor [batch, ...])', x.rank);
  if (x.rank === 1) return tf.reshape(x, [x.shape[0] as number]);
  return tf.mean(x, sampleAxes(x.rank));
}

/** Per-sample inner product <a, b> over every axis but the first: [batch, ...] x [batch, ...] -> [batch]. */
export function dotPerSample(a: tf.Tensor, b: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => sumPerSample(tf.mul(a, b)));
}
