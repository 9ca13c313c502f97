/**
 * @engram/sdm/bench — the repository bench's workload ('sdmlp training
 * throughput'), kept out of the public index: import it from '@engram/sdm/bench'.
 */
import * as tf from '@tensorflow/tfjs';
import { lastValueFrom } from 'rxjs';
import { datasetBatches, optimizerFor, parseConfig, trainableVariables, trainStream, z } from '@engram/core';
import { Sdmlp, type SdmlpConfigInput } from '../models/sdmlp.js';
import { sdmlpLoss } from '../models/sdmlp-training.js';

/** Options of {@link sdmlpTrainingThroughput}. */
export const throughputSchema = z.strictObject({
  images: z.number().int().positive().default(4096).describe('training images (random, seeded)'),
  epochs: z.number().int().positive().default(1).describe('epochs over them'),
  batchSize: z.number().int().positive().default(128).describe('mini-batch size'),
  config: z.record(z.string(), z.unknown()).default({}).describe('model config overrides (default: the SDMLP with N = 1,000, k = 10, 784 inputs)'),
});
/** Options of {@link sdmlpTrainingThroughput}, as given. */
export type SdmlpThroughputOptions = Omit<z.input<typeof throughputSchema>, 'config'> & { config?: SdmlpConfigInput };

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
 * 'sdmlp training throughput': trains a fresh SDMLP with plain SGD (its training
 * face's loss and projection) for `epochs` epochs on `images` random
 * non-negative images and reports images per second. Frees everything it makes.
 */
export async function sdmlpTrainingThroughput(options: SdmlpThroughputOptions = {}): Promise<SdmlpThroughput> {
  const o = parseConfig(throughputSchema, options, 'sdmlpTrainingThroughput', 'options');
  const model = new Sdmlp(o.config);
  const { size, classes } = model.config;
  const data = tf.tidy(() => tf.randomUniform([o.images, size], 0, 1, 'float32', 7).dataSync() as Float32Array);
  const labels = Int32Array.from({ length: o.images }, (_, i) => (i * 7919) % classes);
  const batches = datasetBatches({ count: o.images, shape: [size], data, labels, classes }, { batchSize: o.batchSize });
  const optimizer = optimizerFor({ optimizer: 'sgd', lr: 0.05 });
  try {
    const t0 = performance.now();
    await lastValueFrom(
      trainStream({
        variables: trainableVariables(model),
        optimizer,
        epochs: o.epochs,
        batches: (e) => batches.batches(e),
        batchesPerEpoch: batches.batchesPerEpoch,
        loss: (b) => sdmlpLoss(model, b),
        clipNorm: 1,
        afterStep: () => model.project(),
        yieldEvery: 1000,
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    return { images: o.images, epochs: o.epochs, seconds, imagesPerSecond: (o.images * o.epochs) / seconds, backend: tf.getBackend() };
  } finally {
    model.dispose();
    optimizer.dispose();
  }
}
