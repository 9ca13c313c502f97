/**
 * Class-incremental Split Fashion-MNIST: five tasks of two classes ({0,1},
 * {2,3}, ...), trained one after the other with one shared 10-way head, no
 * task id and no replay; after each task, accuracy on the whole 10-class test
 * set. Runs the SDMLP and its baselines on the same data and seeds.
 */
import * as tf from '@tensorflow/tfjs';
import { lastValueFrom } from 'rxjs';
import { errors, type TrainEvent } from '@engram/core';
import { type FashionMnistSet, type FashionMnistSource, loadFashionMnist } from '@engram/data';
import { tap } from 'rxjs';
import type { SdmlpConfig } from './config.js';
import { DEFAULT_EWC_LAMBDA, Ewc } from './ewc.js';
import { Sdmlp } from './sdmlp.js';
import { type OptimizerName, createOptimizer, trainSdmlp } from './train.js';

/**
 * Learning rate of the SDMLP with SGD(M). The reference uses 0.05 for ~500
 * epochs per task; with a budget of a few epochs per task the readout (fed by
 * k small Top-K activations) learns too slowly at that rate, so the SDMLP's
 * step is scaled up (see README: tuned on the full set, 1-3 epochs per task).
 */
export const SDMLP_SGD_LR = 2;

/** The models the protocol knows, with their optimiser and default learning rate (baselines: the reference's 0.05 for SGD, 1e-3 for Adam). */
export const SPLIT_MODELS = {
  sdmlp: { label: 'SDMLP (SGD)', config: { activation: 'gaba-topk', sdm: true }, optimizer: 'sgd', learningRate: SDMLP_SGD_LR },
  'sdmlp-sgdm': { label: 'SDMLP (SGDM)', config: { activation: 'gaba-topk', sdm: true }, optimizer: 'sgdm', learningRate: SDMLP_SGD_LR },
  'sdmlp-adam': { label: 'SDMLP (Adam)', config: { activation: 'gaba-topk', sdm: true }, optimizer: 'adam', learningRate: 1e-3 },
  'relu-sgd': { label: 'ReLU MLP (SGD)', config: { activation: 'relu', sdm: false }, optimizer: 'sgd', learningRate: 0.05 },
  'relu-adam': { label: 'ReLU MLP (Adam)', config: { activation: 'relu', sdm: false }, optimizer: 'adam', learningRate: 1e-3 },
  topk: { label: 'Top-K MLP (SGD)', config: { activation: 'topk', sdm: false }, optimizer: 'sgd', learningRate: 0.05 },
  'relu-ewc': { label: 'ReLU MLP + EWC (SGD)', config: { activation: 'relu', sdm: false }, optimizer: 'sgd', learningRate: 0.05, ewc: true },
  'sdmlp-ewc': { label: 'SDMLP + EWC (SGD)', config: { activation: 'gaba-topk', sdm: true }, optimizer: 'sgd', learningRate: SDMLP_SGD_LR, ewc: true },
} as const satisfies Record<string, { label: string; config: Partial<SdmlpConfig>; optimizer: OptimizerName; learningRate: number; ewc?: boolean }>;

/** Name of a model of the protocol. */
export type SplitModelName = keyof typeof SPLIT_MODELS;

/** The default line-up: the SDMLP and the three baselines the paper compares against. */
export const DEFAULT_SPLIT_MODELS: readonly SplitModelName[] = ['sdmlp', 'relu-sgd', 'relu-adam', 'topk'];

/** Options of {@link runSplitFashionMnist}. */
export interface SplitFashionMnistOptions {
  /** Models to run (default {@link DEFAULT_SPLIT_MODELS}). */
  models?: readonly SplitModelName[];
  /** Seeds; results are averaged over them (default [0, 1]). */
  seeds?: readonly number[];
  /** Epochs on each task (default 2). */
  epochsPerTask?: number;
  /** Where the data comes from (default 'auto': the full set when installed, else the committed subset). */
  source?: FashionMnistSource;
  /** Directory of the full set (see @engram/data). */
  dir?: string;
  /** Keep at most this many training images per class (default: all). */
  trainPerClass?: number;
  /** Keep at most this many test images (default: all). */
  testLimit?: number;
  /** Hidden neurons N (default 1,000). */
  hidden?: number;
  /** Active neurons k (default 10). */
  k?: number;
  /**
   * GABA switch horizon in neuron activations. Default: 0.8 x the images of the
   * first task's training (the reference switches at 5M of 6M, so Top-K is
   * exact before the second task arrives).
   */
  gabaHorizon?: number;
  /** Mini-batch size (default 128). */
  batchSize?: number;
  /** Learning rate overrides per model. */
  learningRates?: Partial<Record<SplitModelName, number>>;
  /** EWC strength for the '-ewc' models (default {@link DEFAULT_EWC_LAMBDA}). */
  ewcLambda?: number;
  /** Progress callback, e.g. for a progress bar. */
  onProgress?: (p: { model: SplitModelName; seed: number; task: number; event: TrainEvent }) => void;
}

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
  settings: { epochsPerTask: number; hidden: number; k: number; gabaHorizon: number; batchSize: number; seeds: number[]; learningRates: Record<string, number>; ewcLambda: number };
  models: SplitModelResult[];
}

/** The five tasks of Split Fashion-MNIST: [[0, 1], [2, 3], [4, 5], [6, 7], [8, 9]]. */
export const SPLIT_TASKS: readonly (readonly number[])[] = [[0, 1], [2, 3], [4, 5], [6, 7], [8, 9]];

function taskTensors(set: FashionMnistSet, classes: readonly number[], perClass: number): { images: tf.Tensor2D; labels: tf.Tensor1D } {
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
  const x = new Float32Array(idx.length * d);
  const y = new Int32Array(idx.length);
  idx.forEach((i, j) => {
    x.set(set.images.subarray(i * d, (i + 1) * d), j * d);
    y[j] = set.labels[i]!;
  });
  return { images: tf.tensor2d(x, [idx.length, d]), labels: tf.tensor1d(y, 'int32') };
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * Runs the class-incremental protocol for every model and seed and returns
 * the accuracy after each task, the final accuracy and the dead-neuron
 * fraction per model. Frees every tensor it makes.
 */
export async function runSplitFashionMnist(options: SplitFashionMnistOptions = {}): Promise<SplitFashionMnistResult> {
  const models = options.models ?? DEFAULT_SPLIT_MODELS;
  for (const m of models) if (!(m in SPLIT_MODELS)) throw errors.invalidArgument('models', `names among ${Object.keys(SPLIT_MODELS).join(', ')}`, m);
  if (models.length === 0) throw errors.invalidArgument('models', 'at least one model', []);
  const seeds = options.seeds ?? [0, 1];
  if (seeds.length === 0 || seeds.some((s) => !Number.isInteger(s) || s < 0)) throw errors.invalidArgument('seeds', 'non-negative integers', seeds);
  const epochsPerTask = options.epochsPerTask ?? 2;
  if (!Number.isInteger(epochsPerTask) || epochsPerTask < 1) throw errors.invalidArgument('epochsPerTask', 'an integer >= 1', epochsPerTask);
  const perClass = options.trainPerClass ?? Infinity;
  if (!(perClass >= 1)) throw errors.invalidArgument('trainPerClass', 'a number >= 1', perClass);
  const hidden = options.hidden ?? 1000;
  const k = options.k ?? 10;
  const batchSize = options.batchSize ?? 128;

  const source = options.source ?? 'auto';
  const train = loadFashionMnist({ split: 'train', source, ...(options.dir ? { dir: options.dir } : {}) });
  const test = loadFashionMnist({ split: 'test', source, ...(options.dir ? { dir: options.dir } : {}), ...(options.testLimit ? { limit: options.testLimit } : {}) });
  const tasks = SPLIT_TASKS.map((cls) => taskTensors(train, cls, perClass));
  const testX = tf.tensor2d(test.images, [test.count, test.shape[1]]);
  const firstTask = tasks[0]!.images.shape[0];
  const gabaHorizon = options.gabaHorizon ?? Math.max(1, Math.round(0.8 * firstTask * epochsPerTask));
  const lrs: Record<string, number> = {};
  for (const m of models) lrs[m] = options.learningRates?.[m] ?? SPLIT_MODELS[m].learningRate;

  const results: SplitModelResult[] = [];
  try {
    for (const name of models) {
      const spec = SPLIT_MODELS[name];
      const perSeed: SplitModelResult['perSeed'] = [];
      for (const seed of seeds) {
        const model = new Sdmlp({ ...spec.config, inputSize: test.shape[1], outputs: 10, hidden, k, gabaHorizon, seed });
        // One optimiser for the whole sequence: momentum and Adam moments carry over between tasks, as in the paper.
        const optimizer = createOptimizer(spec.optimizer, lrs[name]);
        const ewc = 'ewc' in spec ? new Ewc(model, options.ewcLambda ?? DEFAULT_EWC_LAMBDA) : null;
        const acc: number[] = [];
        const t0 = Date.now();
        try {
          for (let t = 0; t < tasks.length; t++) {
            const stream = trainSdmlp(model, tasks[t]!, {
              optimizer,
              epochs: epochsPerTask,
              batchSize,
              seed: seed * 1000 + t,
              ...(ewc ? { penalty: () => ewc.penalty() } : {}),
            });
            await lastValueFrom(stream.pipe(tap((event) => options.onProgress?.({ model: name, seed, task: t, event }))));
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
    for (const t of tasks) {
      t.images.dispose();
      t.labels.dispose();
    }
    testX.dispose();
  }
  return {
    source: train.source,
    trainImages: tasks.reduce((n, t) => n + t.images.shape[0], 0),
    testImages: test.count,
    tasks: SPLIT_TASKS.map((t) => [...t]),
    settings: { epochsPerTask, hidden, k, gabaHorizon, batchSize, seeds: [...seeds], learningRates: lrs, ewcLambda: options.ewcLambda ?? DEFAULT_EWC_LAMBDA },
    models: results,
  };
}

/** A plain-text table of a result: final accuracy, accuracy after each task, dead-neuron fraction, seconds per run. */
export function formatSplitTable(result: SplitFashionMnistResult): string {
  const head = ['model', 'final acc', ...result.tasks.map((_, t) => `after T${t + 1}`), 'dead frac', 's/run'];
  const rows = result.models.map((m) => [
    m.label,
    m.finalAccuracy.toFixed(3),
    ...m.accuracyAfterTask.map((a) => a.toFixed(3)),
    m.deadNeuronFraction.toFixed(3),
    m.secondsPerRun.toFixed(0),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
