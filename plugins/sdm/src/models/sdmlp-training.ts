/**
 * The SDMLP's training face: supervised classification on Fashion-MNIST (by
 * default), cross-entropy on the one shared head, shuffled batches from core's
 * `datasetBatches`, gradient-norm clipping, and the SDM projection after every
 * step (`afterStep`). Defaults are the model's: plain SGD at lr 2 for the SDMLP
 * (see the README for why not the reference's 0.05), 0.05 for the baselines,
 * batch 128 and clip 1.0 as in the reference. `labels` restricts the data to
 * some classes: one task of the class-incremental protocol.
 */
import * as tf from '@tensorflow/tfjs';
import {
  datasetBatches,
  errors,
  isArrayDataset,
  trainingSettingsSchema,
  z,
  type ArrayBatch,
  type ArrayDataset,
  type Engram,
  type TrainingFace,
} from '@engram/core';
import type { Sdmlp } from './sdmlp.js';

/** Learning rate of the SDMLP with SGD(M) in a budget of a few epochs per task (the reference: 0.05 over ~500 epochs). */
export const SDMLP_SGD_LR = 2;
/** Learning rate of the baseline MLPs with SGD (the reference's). */
export const BASELINE_SGD_LR = 0.05;

const labelList = z.preprocess(
  (v) => (typeof v === 'string' ? v.split(',').map((s) => (s.trim() === '' ? Number.NaN : Number(s))) : v),
  z.array(z.number().int().min(0)).min(1),
);

/** The settings schema of a model's face (its defaults depend on whether it is the SDMLP or a baseline). */
export function sdmlpTrainingSchema(sdm: boolean) {
  return trainingSettingsSchema.extend({
    limit: z.number().int().min(1).default(60_000).describe('training images (after the label filter)'),
    batchSize: z.number().int().min(1).default(128).describe('samples per batch'),
    optimizer: z.enum(['adam', 'sgd', 'momentum']).default('sgd').describe('tf.train optimizer (plain SGD keeps inactive neurons still; momentum and Adam move them with stale updates)'),
    lr: z.number().positive().default(sdm ? SDMLP_SGD_LR : BASELINE_SGD_LR).describe('learning rate'),
    clipNorm: z.number().positive().default(1).describe('clip the global gradient norm to this (the reference: 1.0)'),
    data: z.string().default('data/fashion-mnist').describe('data set id (labelled samples of `size` values)'),
    source: z.enum(['auto', 'full', 'subset']).default('auto').describe("for 'data/fashion-mnist': the installed full set, the committed subset, or full when present"),
    labels: labelList.optional().describe('train only on samples with these labels (one task of Split Fashion-MNIST)'),
    testLimit: z.number().int().min(0).default(1000).describe("test images for the accuracy at each epoch's end (0: no evaluation)"),
  });
}
/** Parsed settings of the SDMLP's face. */
export type SdmlpTrainingSettings = z.output<ReturnType<typeof sdmlpTrainingSchema>>;

/** The samples of `set` whose label is in `labels` (all of them without `labels`), as a new data set. */
export function withLabels(set: ArrayDataset, labels: readonly number[] | undefined): ArrayDataset {
  if (!labels) return set;
  if (!set.labels) throw errors.invalidArgument('labels', 'a labelled data set', 'a data set without labels');
  const size = set.shape.reduce((a, b) => a * b, 1);
  const keep: number[] = [];
  for (let i = 0; i < set.count; i++) if (labels.includes(set.labels[i]!)) keep.push(i);
  const data = new Float32Array(keep.length * size);
  keep.forEach((i, j) => data.set(set.data.subarray(i * size, (i + 1) * size), j * size));
  return { count: keep.length, shape: set.shape, data, labels: Int32Array.from(keep, (i) => set.labels![i]!), ...(set.classes !== undefined ? { classes: set.classes } : {}) };
}

/** A split of the default data set, through the registry (load @engram/data's plugin for 'data/fashion-mnist'). */
async function loadSplit(engram: Engram, s: SdmlpTrainingSettings, split: 'train' | 'test', limit?: number): Promise<ArrayDataset> {
  if (s.data === 'data/fashion-mnist') {
    const options = { split, source: s.source, ...(limit ? { limit } : {}) };
    return engram.dataset(s.data, options);
  }
  const set = await engram.dataset(s.data, split === 'test' ? { split } : {});
  if (!isArrayDataset(set)) throw errors.invalidArgument(`data set '${s.data}'`, 'an ArrayDataset', typeof set);
  return set;
}

/** Cross-entropy of a batch of samples [b, ...] with integer labels on all `classes` (no task id); a training pass (GABA counts grow). */
export function sdmlpLoss(model: Sdmlp, batch: ArrayBatch): tf.Scalar {
  if (!batch.labels) throw errors.invalidArgument('training batch', 'samples with labels', 'no labels');
  return tf.tidy(() => {
    const x = tf.reshape(batch.x, [batch.x.shape[0]!, -1]) as tf.Tensor2D;
    const y = tf.oneHot(batch.labels!, model.config.classes).toFloat();
    return tf.losses.softmaxCrossEntropy(y, model.logits(x, { train: true })) as tf.Scalar;
  });
}

/** The training face of an SDMLP. */
export function sdmlpTrainingFace(model: Sdmlp): TrainingFace<ArrayBatch, SdmlpTrainingSettings> {
  let test: { x: tf.Tensor2D; labels: Int32Array | Uint8Array } | undefined;
  return {
    schema: sdmlpTrainingSchema(model.config.sdm),
    data: async (s, engram) => {
      // Without a label filter only the first `limit` images are used: read no more.
      const set = withLabels(await loadSplit(engram, s, 'train', s.labels ? undefined : s.limit), s.labels);
      const size = set.shape.reduce((a, b) => a * b, 1);
      if (size !== model.config.size) throw errors.invalidArgument(`samples of data set '${s.data}'`, `${model.config.size} values (the model's size)`, size);
      const batches = datasetBatches(set, { batchSize: s.batchSize, seed: s.seed, limit: s.limit });
      if (s.testLimit > 0) {
        const t = await loadSplit(engram, s, 'test', s.testLimit);
        if (t.labels) test = { x: tf.tensor2d(t.data.subarray(0, t.count * size), [t.count, size]), labels: t.labels };
      }
      return {
        ...batches,
        dispose: () => {
          test?.x.dispose();
          test = undefined;
        },
      };
    },
    loss: (batch) => sdmlpLoss(model, batch),
    afterStep: () => model.project(),
    evaluate: (): Record<string, number> => (test ? { accuracy: model.accuracy(test.x, test.labels), deadFraction: model.deadNeuronFraction(test.x) } : {}),
  };
}
