/**
 * The shape of a data set as engram's registry hands it out (`engram.dataset(id)`),
 * and seeded shuffled batches over it: what models' training faces read.
 */
import * as tf from '@tensorflow/tfjs';
import { errors } from './errors/index.js';

/** Samples as one flat float array with a per-sample shape, and optional integer labels. */
export interface ArrayDataset {
  /** Number of samples. */
  readonly count: number;
  /** Shape of one sample (e.g. [784] or [28, 28]). */
  readonly shape: readonly number[];
  /** The samples, `count * prod(shape)` values in row-major order. */
  readonly data: Float32Array;
  /** One integer label per sample, when the data set has labels. */
  readonly labels?: Int32Array | Uint8Array;
  /** Number of label classes, when labelled. */
  readonly classes?: number;
}

/** True when `value` has the {@link ArrayDataset} fields with consistent sizes. */
export function isArrayDataset(value: unknown): value is ArrayDataset {
  const d = value as Partial<ArrayDataset> | null;
  if (!d || typeof d !== 'object' || !(d.data instanceof Float32Array) || !Array.isArray(d.shape) || !Number.isInteger(d.count)) return false;
  const size = d.shape.reduce((a, b) => a * b, 1);
  return d.data.length === d.count! * size && (d.labels === undefined || d.labels.length === d.count);
}

/** A seeded xorshift32 generator of floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0 || 0x9e3779b9;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

/** A seeded permutation of 0..n-1 (Fisher-Yates). */
export function shuffledIndices(n: number, seed: number): number[] {
  const rand = seededRandom(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/** One batch: the samples [b, ...shape] and, when labelled, their labels [b] (int32). */
export interface ArrayBatch {
  x: tf.Tensor;
  labels?: tf.Tensor1D;
}

/**
 * Shuffled batches of a data set, a new order each epoch (seed + epoch), as
 * tensors the consumer disposes (trainStream does). The last batch may be smaller.
 */
export function datasetBatches(dataset: ArrayDataset, options: { batchSize: number; seed?: number; limit?: number }): {
  batches(epoch: number): Iterable<ArrayBatch>;
  batchesPerEpoch: number;
} {
  const n = Math.min(dataset.count, options.limit ?? dataset.count);
  if (n < 1) throw errors.invalidArgument('training data', 'at least one sample', 0);
  const size = dataset.shape.reduce((a, b) => a * b, 1);
  const batchSize = Math.min(options.batchSize, n);
  const batchesPerEpoch = Math.ceil(n / batchSize);
  return {
    batchesPerEpoch,
    *batches(epoch: number) {
      const order = shuffledIndices(n, (options.seed ?? 0) * 7919 + epoch + 1);
      for (let b = 0; b < batchesPerEpoch; b++) {
        const idx = order.slice(b * batchSize, (b + 1) * batchSize);
        const data = new Float32Array(idx.length * size);
        idx.forEach((k, r) => data.set(dataset.data.subarray(k * size, (k + 1) * size), r * size));
        const batch: ArrayBatch = { x: tf.tensor(data, [idx.length, ...dataset.shape]) };
        if (dataset.labels) batch.labels = tf.tensor1d(Int32Array.from(idx, (k) => dataset.labels![k]!), 'int32');
        yield batch;
      }
    },
  };
}
