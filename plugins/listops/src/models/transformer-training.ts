/**
 * The training face of 'listops/transformer': its default data is the ListOps
 * generator of the model's config (seeded, de-duplicated: `limit` training
 * expressions and a held-out set scored at the end of every epoch), its loss
 * the model's own (next-value cross-entropy over the chain of thought, or the
 * answer's), Adam by default.
 */
import * as tf from '@tensorflow/tfjs';
import { shuffledIndices, trainingSettingsSchema, z, type TrainingData, type TrainingFace } from '@engram/core';
import { listOpsSplits, type ListOpsExample } from '../listops/generate.js';
import { rowLengths, selectRows, type EncodedExamples } from '../listops/tokenizer.js';
import type { ListOpsTransformer } from './transformer.js';

/** Schema of the training settings: core's, with this model's defaults and a held-out size. */
export const transformerTrainingSchema = trainingSettingsSchema.extend({
  batchSize: z.number().int().min(1).default(64).describe('samples per batch'),
  limit: z.number().int().min(1).default(4096).describe('training expressions drawn from the generator'),
  lr: z.number().positive().default(3e-3).describe('learning rate'),
  heldOut: z.number().int().min(1).default(256).describe('held-out expressions (disjoint from the training ones) scored after each epoch'),
});

/** The training settings (defaults filled in). */
export type TransformerTrainingSettings = z.output<typeof transformerTrainingSchema>;

/** One training batch: token ids [b, seq], values [b] and, for the chain of thought, next-value targets [b, seq] (-1 = none). */
export interface TransformerBatch {
  tokens: tf.Tensor2D;
  labels: tf.Tensor1D;
  targets?: tf.Tensor2D;
}

/** The face's type. */
export type TransformerTrainingFace = TrainingFace<TransformerBatch, TransformerTrainingSettings>;

/**
 * Seeded shuffled batches of encoded examples, a new order each epoch
 * (tensors the trainer disposes). Examples are bucketed by length (sorted
 * within shuffled chunks of 16 batches, then the batches shuffled) and every
 * batch is cut to its longest row, which halves the compute on ListOps'
 * skewed lengths without changing what a batch computes.
 */
export function encodedBatches(data: EncodedExamples, batchSize: number, seed: number): TrainingData<TransformerBatch> {
  const size = Math.min(batchSize, data.count);
  const batchesPerEpoch = Math.ceil(data.count / size);
  const lengths = rowLengths(data);
  return {
    batchesPerEpoch,
    *batches(epoch: number) {
      const order = shuffledIndices(data.count, seed * 7919 + epoch + 1);
      const groups: number[][] = [];
      const chunk = size * 16;
      for (let c = 0; c < order.length; c += chunk) {
        const part = order.slice(c, c + chunk).sort((a, b) => lengths[a]! - lengths[b]!);
        for (let b = 0; b < part.length; b += size) groups.push(part.slice(b, b + size));
      }
      const shuffled = shuffledIndices(groups.length, seed * 7919 + epoch + 100003).map((i) => groups[i]!);
      for (const idx of shuffled) {
        const rows = selectRows(data, idx, lengths);
        const batch: TransformerBatch = {
          tokens: tf.tensor2d(rows.tokens, [rows.count, rows.seqLen], 'int32'),
          labels: tf.tensor1d(rows.labels, 'int32'),
        };
        if (rows.targets) batch.targets = tf.tensor2d(rows.targets, [rows.count, rows.seqLen], 'int32');
        yield batch;
      }
    },
  };
}

/** The training face of a model. */
export function transformerTrainingFace(model: ListOpsTransformer): TransformerTrainingFace {
  let heldOut: readonly ListOpsExample[] = [];
  return {
    schema: transformerTrainingSchema,
    data(settings) {
      const splits = listOpsSplits(model.shape.generator, { train: settings.limit, val: 0, test: settings.heldOut }, settings.seed);
      heldOut = splits.test;
      return encodedBatches(model.encode(splits.train), settings.batchSize, settings.seed);
    },
    loss: (batch) => model.loss(batch),
    evaluate(): Record<string, number> {
      return heldOut.length > 0 ? { heldOutAccuracy: model.accuracy(heldOut) } : {};
    },
  };
}
