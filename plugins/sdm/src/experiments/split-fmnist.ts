/**
 * Class-incremental Split Fashion-MNIST: five tasks of two classes ({0,1},
 * {2,3}, ...), trained one after the other with one shared 10-way head, no
 * task id and no replay; after each task, accuracy on the whole 10-class test
 * set. Runs the SDMLP and its baselines on the same data and seeds, each with
 * its training face's loss and projection, core's shuffled batches and ONE
 * optimiser for the whole sequence (momentum and Adam moments carry over
 * between tasks, as in the paper).
 *
 * This is the protocol on data in memory (any platform: in a browser, load
 * the sets with @engram/data's `loadFashionMnistFromUrl`);
 * `@engram/sdm/node`'s `runSplitFashionMnist` reads them from disk first.
 */
import * as tf from '@tensorflow/tfjs';
import { lastValueFrom, tap } from 'rxjs';
import { datasetBatches, optimizerFor, parseConfig, trainableVariables, trainStream, z, type ArrayDataset, type TrainEvent } from '@engram/core';
import { type FashionMnistSet } from '@engram/data';
import { numberList } from '../internal/lists.js';
import { Sdmlp, type SdmlpConfigInput } from '../models/sdmlp.js';
import { BASELINE_SGD_LR, SDMLP_SGD_LR, sdmlpLoss } from '../models/sdmlp-training.js';
import { DEFAULT_EWC_LAMBDA, Ewc } from './ewc.js';

/** The models the protocol knows, with their optimiser and default learning rate (baselines: the reference's 0.05 for SGD, 1e-3 for Adam). */
export const SPLIT_MODELS = {
  sdmlp: { label: 'SDMLP (SGD)', config: { activation: 'gaba-topk', sdm: true }, optimizer: 'sgd', lr: SDMLP_SGD_LR },
  'sdmlp-sgdm': { label: 'SDMLP (SGDM)', config: { activation: 'gaba-topk', sdm: true }, optimizer: 'momentum', lr: SDMLP_SGD_LR },
  'sdmlp-adam': { label: 'SDMLP (Adam)', config: { activation: 'gaba-topk', sdm: true }, optimizer: 'adam', lr: 1e-3 },
  'relu-sgd': { label: 'ReLU MLP (SGD)', config: { activation: 'relu', sdm: false }, optimizer: 'sgd', lr: BASELINE_SGD_LR },
  'relu-adam': { label: 'ReLU MLP (Adam)', config: { activation: 'relu', sdm: false }, optimizer: 'adam', lr: 1e-3 },
  topk: { label: 'Top-K MLP (SGD)', config: { activation: 'topk', sdm: false }, optimizer: 'sgd', lr: BASELINE_SGD_LR },
  'relu-ewc': { label: 'ReLU MLP + EWC (SGD)', config: { activation: 'relu', sdm: false }, optimizer: 'sgd', lr: BASELINE_SGD_LR, ewc: true },
  'sdmlp-ewc': { label: 'SDMLP + EWC (SGD)', config: { activation: 'gaba-topk', sdm: true }, optimizer: 'sgd', lr: SDMLP_SGD_LR, ewc: true },
} as const satisfies Record<string, { label: string; config: SdmlpConfigInput; optimizer: 'sgd' | 'momentum' | 'adam'; lr: number; ewc?: boolean }>;

/** Name of a model of the protocol. */
export type SplitModelName = keyof typeof SPLIT_MODELS;
const MODEL_NAMES = Object.keys(SPLIT_MODELS) as [SplitModelName, ...SplitModelName[]];

/** The default line-up: the SDMLP and the three baselines the paper compares against. */
export const DEFAULT_SPLIT_MODELS: readonly SplitModelName[] = ['sdmlp', 'relu-sgd', 'relu-adam', 'topk'];

/** The five tasks of Split Fashion-MNIST: [[0, 1], [2, 3], [4, 5], [6, 7], [8, 9]]. */
export const SPLIT_TASKS: readonly (readonly number[])[] = [[0, 1], [2, 3], [4, 5], [6, 7], [8, 9]];

/** "sdmlp=1.5,topk=0.1" (the command line) or { sdmlp: 1.5, topk: 0.1 }. */
const learningRates = z.preprocess(
  (v) => (typeof v === 'string' ? Object.fromEntries(v.split(',').map((pair) => [pair.split('=')[0]!.trim(), Number(pair.split('=')[1] ?? Number.NaN)])) : v),
  z.partialRecord(z.enum(MODEL_NAMES), z.number().positive()),
);

/** Options of {@link runSplitProtocol} (the protocol; `@engram/sdm/node`'s `splitSchema` adds where the data comes from). */
export const splitProtocolSchema = z.strictObject({
  models: z
    .preprocess((v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()) : v), z.array(z.enum(MODEL_NAMES)).min(1))
    .default([...DEFAULT_SPLIT_MODELS])
    .describe(`models to run, comma-separated: ${MODEL_NAMES.join(', ')}`),
  seeds: numberList(z.number().int().min(0)).default([0, 1]).describe('seeds to average over (comma-separated)'),
  epochsPerTask: z.number().int().positive().default(2).describe('epochs on each task'),
  trainPerClass: z.number().int().positive().optional().describe('at most this many training images per class (default all)'),
  testLimit: z.number().int().positive().optional().describe('at most this many test images (default all)'),
  hiddenSize: z.number().int().positive().default(1000).describe('hidden neurons N'),
  k: z.number().int().positive().default(10).describe('active neurons k'),
  gabaHorizon: z.number().positive().optional().describe('activations per neuron for the GABA switch (default 0.8 x first-task images x epochs per task)'),
  batchSize: z.number().int().positive().default(128).describe('mini-batch size'),
  lr: learningRates.optional().describe(`learning rates per model, e.g. sdmlp=1.5,topk=0.1 (defaults: sdmlp ${SDMLP_SGD_LR}, SGD baselines ${BASELINE_SGD_LR}, Adam 0.001)`),
  ewcLambda: z.number().min(0).default(DEFAULT_EWC_LAMBDA).describe('EWC strength of relu-ewc and sdmlp-ewc'),
});
/** Options of {@link runSplitProtocol}, as given. */
export type SplitProtocolOptions = z.input<typeof splitProtocolSchema>;

/** Results of one model, averaged over seeds. */
export interface SplitModelResult {
  /** Protocol name of the model. */
  model: SplitModelName;
  /** Display name. */
  label: string;
  /** Mean 10-class test accuracy after each task. */
  accuracyAfterTask: number[];
  /** Mean final accuracy (after the last task). */
  finalAccuracy: number;
  /** Per seed: accuracy after each task. */
  perSeed: { seed: number; accuracyAfterTask: number[]; deadNeuronFraction: number; seconds: number }[];
  /** Mean fraction of hidden neurons never active on the test set after the last task. */
  deadNeuronFraction: number;
  /** Mean training time per run in seconds. */
  secondsPerRun: number;
}

/** Everything a run produced. */
export interface SplitFashionMnistResult {
  /** Which data set was read. */
  source: 'full' | 'subset';
  /** Training images used over all tasks. */
  trainImages: number;
  /** Test images (all 10 classes) evaluated after each task. */
  testImages: number;
  /** The classes of each task. */
  tasks: number[][];
  /** The settings in force (defaults resolved). */
  settings: { epochsPerTask: number; hiddenSize: number; k: number; gabaHorizon: number; batchSize: number; seeds: number[]; lr: Record<string, number>; ewcLambda: number };
  models: SplitModelResult[];
}

/** The images of `classes`, at most `perClass` of each (the first ones in file order), as a data set. */
function taskData(set: FashionMnistSet, classes: readonly number[], perClass: number): ArrayDataset {
  const idx: number[] = [];
  const seen = new Map<number, number>();
  for (let i = 0; i < set.count; i++) {
    const c = set.labels[i]!;
    if (!classes.includes(c)) continue;
    const n = seen.get(c) ?? 0;
    if (n >= perClass) continue;
    seen.set(c, n + 1);
    idx.push(i);
  }
  const d = set.shape[1];
  const data = new Float32Array(idx.length * d);
  idx.forEach((i, j) => data.set(set.images.subarray(i * d, (i + 1) * d), j * d));
  return { count: idx.length, shape: [d], data, labels: Int32Array.from(idx, (i) => set.labels[i]!), classes: 10 };
}

/** The first `n` images of a set (what loading with `limit: n` gives). */
function firstImages(set: FashionMnistSet, n: number): FashionMnistSet {
  const d = set.shape[1];
  return { ...set, count: n, shape: [n, d], images: set.images.subarray(0, n * d), labels: set.labels.subarray(0, n) };
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Progress of {@link runSplitProtocol}: one training event of one model, seed and task. */
export interface SplitProgress {
  model: SplitModelName;
  seed: number;
  task: number;
  event: TrainEvent;
}

/** The two halves of Fashion-MNIST the protocol trains and tests on (as @engram/data loads them). */
export interface SplitData {
  train: FashionMnistSet;
  test: FashionMnistSet;
}

/**
 * Runs the class-incremental protocol for every model and seed on `data` and
 * returns the accuracy after each task, the final accuracy and the dead-neuron
 * fraction per model. Frees every tensor it makes. Bad options reject with
 * ENGRAM_ERR_INVALID_CONFIG.
 */
export async function runSplitProtocol(data: SplitData, options: SplitProtocolOptions = {}, onProgress?: (p: SplitProgress) => void): Promise<SplitFashionMnistResult> {
  const o = parseConfig(splitProtocolSchema, options, 'split-fmnist', 'options');
  const perClass = o.trainPerClass ?? Infinity;
  const train = data.train;
  const test = o.testLimit !== undefined && o.testLimit < data.test.count ? firstImages(data.test, o.testLimit) : data.test;
  const tasks = SPLIT_TASKS.map((cls) => taskData(train, cls, perClass));
  const firstTask = tasks[0]!.count;
  const gabaHorizon = o.gabaHorizon ?? Math.max(1, Math.round(0.8 * firstTask * o.epochsPerTask));
  const lrs: Record<string, number> = {};
  for (const m of o.models) lrs[m] = o.lr?.[m] ?? SPLIT_MODELS[m].lr;
  const testX = tf.tensor2d(test.images, [test.count, test.shape[1]]);

  const results: SplitModelResult[] = [];
  try {
    for (const name of o.models) {
      const spec = SPLIT_MODELS[name];
      const perSeed: SplitModelResult['perSeed'] = [];
      for (const seed of o.seeds) {
        const model = new Sdmlp({ ...spec.config, size: test.shape[1], classes: 10, hiddenSize: o.hiddenSize, k: o.k, gabaHorizon, seed });
        const optimizer = optimizerFor({ optimizer: spec.optimizer, lr: lrs[name]! });
        const ewc = 'ewc' in spec ? new Ewc(model, o.ewcLambda) : null;
        const acc: number[] = [];
        const t0 = Date.now();
        try {
          for (let t = 0; t < tasks.length; t++) {
            const batches = datasetBatches(tasks[t]!, { batchSize: o.batchSize, seed: seed * 1000 + t });
            const stream = trainStream({
              variables: trainableVariables(model),
              optimizer,
              epochs: o.epochsPerTask,
              batches: (e) => batches.batches(e),
              batchesPerEpoch: batches.batchesPerEpoch,
              loss: (b) => (ewc ? tf.tidy(() => tf.add(sdmlpLoss(model, b), ewc.penalty())) : sdmlpLoss(model, b)),
              clipNorm: 1,
              afterStep: () => model.project(),
              yieldEvery: 4,
            });
            await lastValueFrom(stream.pipe(tap((event) => onProgress?.({ model: name, seed, task: t, event }))));
            acc.push(model.accuracy(testX, test.labels));
            if (ewc && t < tasks.length - 1) ewc.consolidate(tasks[t]!, 200, seed * 1000 + t);
          }
          perSeed.push({ seed, accuracyAfterTask: acc, deadNeuronFraction: model.deadNeuronFraction(testX), seconds: (Date.now() - t0) / 1000 });
        } finally {
          ewc?.dispose();
          model.dispose();
          optimizer.dispose();
        }
      }
      const accuracyAfterTask = tasks.map((_, t) => mean(perSeed.map((p) => p.accuracyAfterTask[t]!)));
      results.push({
        model: name,
        label: spec.label,
        accuracyAfterTask,
        finalAccuracy: accuracyAfterTask[accuracyAfterTask.length - 1]!,
        perSeed,
        deadNeuronFraction: mean(perSeed.map((p) => p.deadNeuronFraction)),
        secondsPerRun: mean(perSeed.map((p) => p.seconds)),
      });
    }
  } finally {
    testX.dispose();
  }
  return {
    source: train.source,
    trainImages: tasks.reduce((n, t) => n + t.count, 0),
    testImages: test.count,
    tasks: SPLIT_TASKS.map((t) => [...t]),
    settings: { epochsPerTask: o.epochsPerTask, hiddenSize: o.hiddenSize, k: o.k, gabaHorizon, batchSize: o.batchSize, seeds: [...o.seeds], lr: lrs, ewcLambda: o.ewcLambda },
    models: results,
  };
}
