/** Conversion of a loaded Fashion-MNIST split to tfjs tensors. */
import * as tf from '@tensorflow/tfjs';
import { errors } from '@engram/core';
import type { FashionMnistSet } from './fashion-mnist.js';

/** Options for {@link fashionMnistToTensors}. */
export interface FashionMnistTensorOptions {
  /** 'flat' (default): images `[n, 784]`; 'image': `[n, 28, 28, 1]` (NHWC). */
  layout?: 'flat' | 'image';
  /** Labels as one-hot float32 `[n, 10]` instead of int32 `[n]` (default false). */
  oneHot?: boolean;
}

/** Tensors of a split. The caller owns them: call `dispose()` (or dispose each) when done. */
export interface FashionMnistTensors {
  /** float32 images, `[n, 784]` or `[n, 28, 28, 1]`. */
  readonly images: tf.Tensor;
  /** int32 labels `[n]`, or float32 one-hot `[n, 10]`. */
  readonly labels: tf.Tensor;
  /** Disposes both tensors. */
  dispose(): void;
}

/**
 * Copies a loaded split into new tensors.
 *
 * @example
 * const t = fashionMnistToTensors(loadFashionMnistSubset({ split: 'test' }), { oneHot: true });
 * try { ... } finally { t.dispose(); }
 */
export function fashionMnistToTensors(set: FashionMnistSet, options: FashionMnistTensorOptions = {}): FashionMnistTensors {
  const layout = options.layout ?? 'flat';
  if (layout !== 'flat' && layout !== 'image') throw errors.invalidArgument('layout', "'flat' or 'image'", layout);
  const [h, w] = set.imageShape;
  const shape = layout === 'flat' ? [set.count, h * w] : [set.count, h, w, 1];
  const images = tf.tensor(set.images, shape, 'float32');
  const labels = options.oneHot
    ? tf.tidy(() => tf.oneHot(tf.tensor1d(set.labels, 'int32'), set.numClasses).toFloat())
    : tf.tensor1d(set.labels, 'int32');
  return {
    images,
    labels,
    dispose() {
      images.dispose();
      labels.dispose();
    },
  };
}
