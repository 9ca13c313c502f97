/**
 * Denoising score matching (the EDM loss) for a {@link ScoreModel}: its training
 * face (default data: Fashion-MNIST, pooled to the model's size, in [-1, 1]), and
 * `trainDenoiser`, the same training on given data with checkpoint and resume
 * hooks (the model's config carries `trainedEpochs`; batches are seeded per
 * epoch, and the hooks save the Adam state with each checkpoint and restore it
 * on resume, so a resumed run takes the same steps as an uninterrupted one).
 * This file touches no file system: `@engram/diffusion/node`'s `trainDenoiser`
 * gives the hooks that save to and resume from files.
 *
 * Each optimiser step draws `batchSize` training samples uniformly WITH
 * replacement, a noise level per sample with log sigma ~ N(pMean, pStd^2) and
 * Gaussian noise: an epoch is `batchesPerEpoch` steps, so a step budget does not
 * depend on the training-set size (2 images still give batches of 128).
 */
import * as tf from '@tensorflow/tfjs';
import { concatMap, defer, EMPTY, finalize, from, map, type Observable } from 'rxjs';
import { errors, isArrayDataset, optimizerFor, parseConfig, trainingSettingsSchema, trainStream, z, type ArrayDataset, type Engram, type TrainEvent, type TrainingData, type TrainingFace } from '@engram/core';
import { createRng } from '@engram/data';
import { pickImages } from '../internal/images.js';
import { normalSeed } from '../internal/seeds.js';
import type { ScoreModel } from './score.js';

/** One batch of denoising score matching: clean samples y, a level per sample, and the noise. */
export interface DsmBatch {
  y: tf.Tensor2D;
  sigma: tf.Tensor1D;
  noise: tf.Tensor2D;
}

/** The optimiser and noise-level settings of denoising score matching (shared by the face and trainDenoiser). */
const dsmShape = {
  batchSize: z.number().int().min(1).default(128).describe('samples per optimiser step (drawn with replacement)'),
  lr: z.number().positive().default(1e-3).describe('learning rate'),
  clipNorm: z.number().positive().default(1).describe('clip the global gradient norm to this'),
  batchesPerEpoch: z.number().int().min(1).optional().describe('optimiser steps per epoch (default: limit / batchSize, rounded up)'),
  pMean: z.number().default(-1.2).describe('mean of log sigma of the training levels (EDM)'),
  pStd: z.number().positive().default(1.2).describe('standard deviation of log sigma of the training levels (EDM)'),
};

/** Settings of the score model's training face: core's, the DSM keys, and where the default data comes from. */
export const scoreTrainingSchema = trainingSettingsSchema.extend({
  ...dsmShape,
  data: z.string().default('data/fashion-mnist').describe('data set id; square images are pooled to the model size'),
  source: z.enum(['auto', 'full', 'subset']).default('auto').describe("for 'data/fashion-mnist': the installed full set, the committed subset, or full when present"),
  rescale: z.boolean().default(true).describe('map values from [0, 1] to [-1, 1] (as the experiments use images)'),
});
/** Parsed settings of the training face. */
export type ScoreTrainingSettings = z.output<typeof scoreTrainingSchema>;

/** Settings of {@link trainDenoiser} (the data is given, so no data keys; `limit` defaults to all of it). */
export const trainDenoiserSchema = trainingSettingsSchema.extend({
  ...dsmShape,
  limit: z.number().int().min(1).optional().describe('use only the first samples of the given data (default all)'),
});
/** Settings of {@link trainDenoiser}, as given. */
export type TrainDenoiserSettings = z.input<typeof trainDenoiserSchema>;

/**
 * Seeded DSM batches over `images` [count, size] (host), for epochs offset + 0, 1, ...
 * (so a resumed run sees the batches an uninterrupted one would). Holds one
 * tensor of the images until disposed.
 */
function dsmData(
  images: { data: Float32Array; count: number },
  size: number,
  s: { batchSize: number; batchesPerEpoch?: number | undefined; pMean: number; pStd: number; seed: number },
  offset: number,
): TrainingData<DsmBatch> {
  const { count } = images;
  const data = tf.tensor2d(images.data, [count, size]);
  const perEpoch = s.batchesPerEpoch ?? Math.ceil(count / s.batchSize);
  return {
    batchesPerEpoch: perEpoch,
    *batches(localEpoch: number) {
      const epoch = offset + localEpoch;
      const rng = createRng(s.seed * 100003 + epoch);
      for (let b = 0; b < perEpoch; b++) {
        const idx = new Int32Array(s.batchSize);
        const sig = new Float32Array(s.batchSize);
        for (let i = 0; i < s.batchSize; i++) {
          idx[i] = rng.int(0, count);
          sig[i] = Math.exp(rng.normal(s.pMean, s.pStd));
        }
        yield tf.tidy(() => ({
          y: tf.gather(data, tf.tensor1d(idx, 'int32')) as tf.Tensor2D,
          sigma: tf.tensor1d(sig),
          noise: tf.randomNormal([s.batchSize, size], 0, 1, 'float32', normalSeed((s.seed * 1000003 + epoch * 7919 + b) % 2147483647)) as tf.Tensor2D,
        }));
      }
    },
    dispose: () => data.dispose(),
  };
}

/** The default data set, through the registry (load @engram/data's plugin for 'data/fashion-mnist'). */
async function loadDataset(engram: Engram, s: ScoreTrainingSettings): Promise<ArrayDataset> {
  if (s.data === 'data/fashion-mnist') {
    const options = { split: 'train' as const, source: s.source };
    return engram.dataset(s.data, options);
  }
  const set = await engram.dataset(s.data);
  if (!isArrayDataset(set)) throw errors.invalidArgument(`data set '${s.data}'`, 'an ArrayDataset', typeof set);
  return set;
}

/** The training face of a score model: DSM on its default data (epochs counted in `trainedEpochs`). */
export function scoreTrainingFace(model: ScoreModel): TrainingFace<DsmBatch, ScoreTrainingSettings> {
  return {
    schema: scoreTrainingSchema,
    data: async (s, engram) => {
      const set = await loadDataset(engram, s);
      const images = pickImages(set, { size: model.size, limit: s.limit, seed: s.seed, rescale: s.rescale, source: s.data });
      return dsmData(images, model.size, s, model.trainedEpochs);
    },
    loss: (b) => model.loss(b.y, b.sigma, b.noise),
    evaluate: () => {
      model.trainedEpochs += 1;
      return {};
    },
  };
}

/** Where {@link trainDenoiser} saves checkpoints (any storage: files on Node, IndexedDB or a download in a browser). */
export interface DenoiserCheckpoint {
  /** Save every this many epochs (default 1), and always at the end. */
  every?: number;
  /** Saves the model and the optimizer's state (both are needed to resume exactly). */
  save(model: ScoreModel, optimizer: tf.Optimizer): Promise<void>;
}

/** How {@link trainDenoiser} restores the optimizer state of the checkpoint a model was loaded from. */
export interface DenoiserResume {
  /** Names the checkpoint in the log line. */
  from: string;
  /** Restores the optimizer's state; resolves to false when the checkpoint has none (the moments then start from zero). */
  restore(optimizer: tf.Optimizer, variables: tf.Variable[]): Promise<boolean>;
}

/** Options of {@link trainDenoiser}. */
export interface TrainDenoiserOptions {
  /** Training set [count, size] on the host (e.g. an ArrayDataset). */
  data: { data: Float32Array; count: number };
  /** Settings (see {@link trainDenoiserSchema}); `epochs` is the total: a resumed model trains only the remaining ones (default 1). */
  settings?: TrainDenoiserSettings;
  /** Save a checkpoint every `every` epochs and at the end. */
  checkpoint?: DenoiserCheckpoint;
  /** Restore the optimizer state of the checkpoint the model came from, before the first step. */
  resume?: DenoiserResume;
  /** Receives the resume log line (default console.warn). */
  log?: (line: string) => void;
}

/**
 * Trains `model` by denoising score matching on given data, with checkpoint and
 * resume hooks: the core's training stream with the model's loss (events carry the
 * global epoch index, so a resumed run continues the count). Bad settings or data
 * are an error notification (ENGRAM_ERR_INVALID_CONFIG / INVALID_ARGUMENT).
 */
export function trainDenoiser(model: ScoreModel, options: TrainDenoiserOptions): Observable<TrainEvent> {
  return defer(() => {
    if (model.isDisposed) throw errors.disposed(`${model.kind} model`);
    const s = parseConfig(trainDenoiserSchema, options.settings ?? {}, `trainDenoiser (${model.kind})`, 'settings');
    const given = options.data;
    if (!given || !(given.data instanceof Float32Array) || !Number.isInteger(given.count) || given.count < 1 || given.data.length !== given.count * model.size) {
      throw errors.invalidArgument('data', `{ data: Float32Array of count * size values, count >= 1 } with size ${model.size}`, given?.data?.length);
    }
    if (!given.data.every(Number.isFinite)) throw errors.nonFiniteInput('training data');
    const every = options.checkpoint?.every ?? 1;
    if (!Number.isInteger(every) || every < 1) throw errors.invalidArgument('checkpoint.every', 'a positive integer', every);
    const count = Math.min(s.limit ?? given.count, given.count);
    const offset = model.trainedEpochs;
    const remaining = s.epochs - offset;
    if (remaining <= 0) return EMPTY;
    const data = dsmData({ data: given.data.subarray(0, count * model.size), count }, model.size, s, offset);
    const optimizer = optimizerFor(s);
    const vars = model.variables();
    const stream = trainStream({
      variables: vars,
      optimizer,
      batches: (e) => data.batches(e),
      batchesPerEpoch: data.batchesPerEpoch,
      epochs: remaining,
      clipNorm: s.clipNorm,
      loss: (b) => model.loss(b.y, b.sigma, b.noise),
      evaluate: async (localEpoch) => {
        model.trainedEpochs = offset + localEpoch + 1;
        const cp = options.checkpoint;
        if (cp && (model.trainedEpochs % every === 0 || localEpoch === remaining - 1)) await cp.save(model, optimizer);
        return {};
      },
    });
    const restore = async (): Promise<void> => {
      const resume = options.resume;
      if (resume === undefined) return;
      const log = options.log ?? ((line: string) => console.warn(line));
      const restored = await resume.restore(optimizer, Object.values(vars));
      log(
        restored
          ? `diffusion: resumed the optimizer state of ${resume.from} (step ${optimizer.iterations})`
          : `diffusion: ${resume.from} has no optimizer state (saved by an older version): the optimizer moments start from zero`,
      );
    };
    return from(restore()).pipe(
      concatMap(() => stream),
      map((e) => ({ ...e, epoch: e.epoch + offset, epochs: s.epochs })),
      finalize(() => {
        data.dispose?.();
        optimizer.dispose();
      }),
    );
  });
}
