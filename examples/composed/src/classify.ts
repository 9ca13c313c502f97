/**
 * Classification with the composed graph, on the model protocol's face of it
 * (an EnergyModel, built from config or loaded from a file): clamp the image,
 * unroll `steps` descent updates from zero tokens and label, and read the
 * label layer's activation (its softmax). The same unrolled, differentiable
 * descent is what training back-propagates through.
 */
import * as tf from '@tensorflow/tfjs';
import type { EnergyModel } from '@engram/core';
import { IMAGE, IMAGE_SIZE, LABEL } from './config.js';

/** How far the classifier descends: unrolled updates and their step size. */
export interface DescentSettings {
  /** Unrolled descent updates (default 4). */
  steps?: number;
  /** Step size dt (default 0.5). */
  dt?: number;
}

/** The defaults of {@link DescentSettings}, in one place for training, evaluation and streaming. */
export const DEFAULT_DESCENT: Required<DescentSettings> = { steps: 4, dt: 0.5 };

/** Label probabilities [B, 10] after the unrolled descent with the images [B, 784] clamped (new tensor; differentiable). */
export function predict(model: EnergyModel, images: tf.Tensor2D, settings: DescentSettings = {}): tf.Tensor2D {
  const { steps, dt } = { ...DEFAULT_DESCENT, ...settings };
  return tf.tidy(() => {
    // Tokens and label start at zero (initialState completes the missing layers).
    const initial = model.initialState({ [IMAGE]: images });
    const final = model.integrate(initial, { steps, dt, clamp: { [IMAGE]: true } });
    return model.layer(LABEL).lagrangian.activation(final[LABEL]!) as tf.Tensor2D;
  });
}

/** Mean cross-entropy of the predicted label distribution against integer labels [B]. */
export function crossEntropy(model: EnergyModel, images: tf.Tensor2D, labels: tf.Tensor1D, settings: DescentSettings = {}): tf.Scalar {
  return tf.tidy(() => {
    const p = predict(model, images, settings);
    const oneHot = tf.oneHot(labels.toInt(), p.shape[1]).toFloat();
    return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.log(tf.add(p, 1e-7))), 1))) as tf.Scalar;
  });
}

/** The most probable label of each image (images row-major [n, 784]), evaluated in chunks to bound memory. */
export function predictLabels(model: EnergyModel, images: Float32Array, settings: DescentSettings = {}, chunk = 500): Int32Array {
  const n = images.length / IMAGE_SIZE;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i += chunk) {
    const m = Math.min(chunk, n - i);
    const labels = tf.tidy(() => predict(model, tf.tensor2d(images.subarray(i * IMAGE_SIZE, (i + m) * IMAGE_SIZE), [m, IMAGE_SIZE]), settings).argMax(1));
    out.set(labels.dataSync() as Int32Array, i);
    labels.dispose();
  }
  return out;
}

/** Fraction of images whose predicted label is the given one. */
export function accuracy(model: EnergyModel, images: Float32Array, labels: ArrayLike<number>, settings: DescentSettings = {}): number {
  const predicted = predictLabels(model, images, settings);
  let right = 0;
  for (let i = 0; i < predicted.length; i++) if (predicted[i] === labels[i]) right++;
  return right / predicted.length;
}
