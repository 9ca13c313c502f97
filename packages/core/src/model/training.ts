/**
 * The trainable face of a model: what it trains on by default, its loss on a
 * batch, and its default optimizer settings, so that `trainModel` (and
 * `engram train <spec>`) train every trainable kind the same way.
 */
import type * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { Engram } from '../plugins/engram.js';

/** The schema of the settings every training takes; a model's face may extend it with its own keys. */
export const trainingSettingsSchema = z.strictObject({
  epochs: z.number().int().min(1).default(1).describe('passes over the training data'),
  batchSize: z.number().int().min(1).default(32).describe('samples per batch'),
  limit: z.number().int().min(1).default(1024).describe('training samples taken from the default data'),
  lr: z.number().positive().default(1e-3).describe('learning rate'),
  optimizer: z.enum(['adam', 'sgd', 'momentum']).default('adam').describe('tf.train optimizer'),
  clipNorm: z.number().positive().optional().describe('clip the global gradient norm to this'),
  seed: z.number().int().default(0).describe('seed of shuffling and of any random choice'),
});

/** The settings every training takes (defaults filled in). */
export type TrainingSettings = z.output<typeof trainingSettingsSchema>;

/** A model's training data, in batches. */
export interface TrainingData<B> {
  /** Batches of one epoch (shuffled by epoch); each batch's tensors are disposed after use. */
  batches(epoch: number): Iterable<B>;
  /** Number of batches per epoch, for progress. */
  readonly batchesPerEpoch: number;
  /** Frees what the data holds (called when training ends). */
  dispose?(): void;
}

/**
 * What a trainable model tells the trainer. `S` is its settings type: the
 * common {@link TrainingSettings} plus the keys of its own `schema`.
 */
export interface TrainingFace<B = unknown, S extends TrainingSettings = TrainingSettings> {
  /** Settings schema: {@link trainingSettingsSchema}, possibly extended; its defaults are the model's defaults. */
  readonly schema: z.ZodType<S>;
  /** The default training data (e.g. from a registered data set), for these settings. */
  data(settings: S, engram: Engram): Promise<TrainingData<B>> | TrainingData<B>;
  /** Differentiable loss of a batch (typically through the unrolled dynamics). */
  loss(batch: B, settings: S): tf.Scalar;
  /** The variables to optimise (default: every trainable one of `variables()`). */
  variables?(): Record<string, tf.Variable>;
  /** Called after each optimizer step (e.g. projections onto constraints). */
  afterStep?(): void;
  /** Metrics at the end of each epoch (appear on the 'epoch' event). */
  evaluate?(epoch: number, settings: S): Record<string, number> | Promise<Record<string, number>>;
}
