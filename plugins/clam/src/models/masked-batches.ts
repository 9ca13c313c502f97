/**
 * The self-supervised batches of ClAM's training (Algorithm 1 of the paper;
 * helper.py's construct_masked_data in the authors' code): each sample gets a
 * random set of hidden coordinates, a fraction `hidden` of them and at least
 * one, which start at the feature's fill value and are the only ones the
 * dynamics may move; every `sharedMaskEvery`-th epoch one mask serves the
 * whole batch. Seeded: the same seed gives the same batches and masks.
 *
 * Two deliberate differences from the authors' code: masked coordinates are
 * drawn without replacement from all of them (their np.random.randint(1, d)
 * draws with replacement and never masks coordinate 0).
 */
import * as tf from '@tensorflow/tfjs';
import { seededRandom, shuffledIndices, type TrainingData } from '@engram/core';
import type { HostMatrix } from '../internal/host-matrix.js';
import type { FillRule } from './clam-schema.js';

/** One training batch: the samples, which coordinates are hidden (1 = hidden), and the fill values [1, size]. */
export interface ClamBatch {
  x: tf.Tensor2D;
  hidden: tf.Tensor2D;
  fill: tf.Tensor2D;
}

/** Options of {@link maskedBatches}. */
export interface MaskedBatchOptions {
  batchSize: number;
  /** Fraction of coordinates hidden per sample (at least one is). */
  hidden: number;
  /** Fill value of each feature. */
  fill: Float64Array;
  /** Every k-th epoch (1-based, as the authors count) one mask for the whole batch; 0 never. */
  sharedMaskEvery: number;
  seed: number;
}

/** Number of hidden coordinates of a `size`-feature sample: floor(size * fraction), at least 1. */
export function hiddenCount(size: number, fraction: number): number {
  return Math.min(size, Math.max(1, Math.floor(size * fraction)));
}

/** The fill value of every feature of `x` by `rule`. */
export function fillValues(x: HostMatrix, rule: FillRule): Float64Array {
  const out = new Float64Array(x.d);
  if (rule === 'zero') return out;
  for (let j = 0; j < x.d; j++) {
    let acc = rule === 'mean' ? 0 : x.data[j]!;
    for (let i = 0; i < x.n; i++) {
      const v = x.data[i * x.d + j]!;
      if (rule === 'mean') acc += v;
      else if (rule === 'min') acc = Math.min(acc, v);
      else acc = Math.max(acc, v);
    }
    out[j] = rule === 'mean' ? acc / x.n : acc;
  }
  return out;
}

/** Writes one random mask of `count` distinct hidden coordinates into `row` (partial Fisher-Yates). */
function drawMask(row: Float32Array, size: number, count: number, rand: () => number, scratch: Int32Array): void {
  for (let j = 0; j < size; j++) scratch[j] = j;
  for (let t = 0; t < count; t++) {
    const r = t + Math.floor(rand() * (size - t));
    const tmp = scratch[t]!;
    scratch[t] = scratch[r]!;
    scratch[r] = tmp;
    row[scratch[t]!] = 1;
  }
}

/** Shuffled masked batches of `x`, a new order and new masks each epoch (seed and epoch). */
export function maskedBatches(x: HostMatrix, options: MaskedBatchOptions): TrainingData<ClamBatch> {
  const { n, d } = x;
  const batchSize = Math.max(1, Math.min(options.batchSize, n));
  const batchesPerEpoch = Math.ceil(n / batchSize);
  const count = hiddenCount(d, options.hidden);
  const fill = Float32Array.from(options.fill);
  return {
    batchesPerEpoch,
    *batches(epoch: number) {
      const order = shuffledIndices(n, options.seed * 7919 + epoch + 1);
      const rand = seededRandom((options.seed * 104729 + epoch * 2654435761 + 17) >>> 0);
      const shared = options.sharedMaskEvery > 0 && (epoch + 1) % options.sharedMaskEvery === 0;
      const scratch = new Int32Array(d);
      for (let b = 0; b < batchesPerEpoch; b++) {
        const idx = order.slice(b * batchSize, (b + 1) * batchSize);
        const rows = idx.length;
        const data = new Float32Array(rows * d);
        idx.forEach((k, r) => {
          for (let j = 0; j < d; j++) data[r * d + j] = x.data[k * d + j]!;
        });
        const mask = new Float32Array(rows * d);
        if (shared) {
          drawMask(mask.subarray(0, d), d, count, rand, scratch);
          for (let r = 1; r < rows; r++) mask.copyWithin(r * d, 0, d);
        } else {
          for (let r = 0; r < rows; r++) drawMask(mask.subarray(r * d, (r + 1) * d), d, count, rand, scratch);
        }
        yield { x: tf.tensor2d(data, [rows, d]), hidden: tf.tensor2d(mask, [rows, d]), fill: tf.tensor2d(fill, [1, d]) };
      }
    },
  };
}
