/** Throughput measurement for the bench helper: SDMLP training images per second. */
import * as tf from '@tensorflow/tfjs';
import { lastValueFrom } from 'rxjs';
import { errors } from '@engram/core';
import { type SdmlpConfig } from './config.js';
import { Sdmlp } from './sdmlp.js';
import { createOptimizer, trainSdmlp } from './train.js';

/** Options of {@link sdmlpTrainingThroughput}. */
export interface SdmlpThroughputOptions {
  /** Training images (random, seeded; default 4,096). */
  images?: number;
  /** Epochs over them (default 1). */
  epochs?: number;
  /** Model overrides (default: the SDMLP with N = 1,000, k = 10, 784 inputs). */
  config?: Partial<SdmlpConfig>;
  /** Mini-batch size (default 128). */
  batchSize?: number;
}

/** What {@link sdmlpTrainingThroughput} measured. */
export interface SdmlpThroughput {
  images: number;
  epochs: number;
  seconds: number;
  /** Training images processed per second (forward, backward, SGD step, projection). */
  imagesPerSecond: number;
  backend: string;
}

/**
 * 'sdmlp training throughput': trains a fresh SDMLP with plain SGD for
 * `epochs` epochs on `images` random non-negative 784-pixel images and reports
 * images per second. Frees everything it makes.
 */
export async function sdmlpTrainingThroughput(options: SdmlpThroughputOptions = {}): Promise<SdmlpThroughput> {
  const n = options.images ?? 4096;
  const epochs = options.epochs ?? 1;
  if (!Number.isInteger(n) || n < 1) throw errors.invalidArgument('images', 'an integer >= 1', n);
  if (!Number.isInteger(epochs) || epochs < 1) throw errors.invalidArgument('epochs', 'an integer >= 1', epochs);
  const model = new Sdmlp({ ...options.config });
  const { inputSize, outputs } = model.config;
  const images = tf.randomUniform([n, inputSize], 0, 1, 'float32', 7) as tf.Tensor2D;
  const labels = tf.tidy(() => tf.cast(tf.floor(tf.randomUniform([n], 0, outputs, 'float32', 8)), 'int32')) as tf.Tensor1D;
  const optimizer = createOptimizer('sgd');
  try {
    const t0 = performance.now();
    await lastValueFrom(trainSdmlp(model, { images, labels }, { optimizer, epochs, batchSize: options.batchSize ?? 128, yieldEvery: 1000 }));
    const seconds = (performance.now() - t0) / 1000;
    return { images: n, epochs, seconds, imagesPerSecond: (n * epochs) / seconds, backend: tf.getBackend() };
  } finally {
    model.dispose();
    optimizer.dispose();
    images.dispose();
    labels.dispose();
  }
}
