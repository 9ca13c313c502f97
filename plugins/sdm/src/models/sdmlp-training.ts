/**
 * Supervised training of an {@link Sdmlp} through the core's training stream:
 * shuffled mini-batches, cross-entropy on the one shared head, gradient-norm
 * clipping, and the SDM weight projection after every step.
 */
import * as tf from '@tensorflow/tfjs';
import type { Observable } from 'rxjs';
import { errors, trainStream, type TrainEvent } from '@engram/core';
import { createRng } from '@engram/data';
import type { Sdmlp } from './sdmlp.js';

/** Optimiser choices: plain SGD (the SDMLP default), SGD with momentum 0.9, Adam. */
export type OptimizerName = 'sgd' | 'sgdm' | 'adam';

/** Learning rates used when none is given: the reference's SGD(M) rate for Split MNIST, Adam's usual rate. */
export const DEFAULT_LEARNING_RATES: Record<OptimizerName, number> = { sgd: 0.05, sgdm: 0.05, adam: 1e-3 };

/** Builds a tf.train optimiser. Keep one per model across tasks: momentum carried over between tasks is the "stale momentum" the paper measures. */
export function createOptimizer(name: OptimizerName, learningRate?: number): tf.Optimizer {
  if (!(name in DEFAULT_LEARNING_RATES)) throw errors.invalidArgument('optimizer', "'sgd', 'sgdm' or 'adam'", name);
  const lr = learningRate ?? DEFAULT_LEARNING_RATES[name];
  if (!(lr > 0) || !Number.isFinite(lr)) throw errors.invalidArgument('learningRate', 'a finite number > 0', lr);
  switch (name) {
    case 'sgd':
      return tf.train.sgd(lr);
    case 'sgdm':
      return tf.train.momentum(lr, 0.9);
    case 'adam':
      return tf.train.adam(lr);
    default:
      throw errors.invalidArgument('optimizer', "'sgd', 'sgdm' or 'adam'", name);
  }
}

/** A labelled data set held as tensors: images `[n, in]` float32, labels `[n]` int32. */
export interface LabelledTensors {
  images: tf.Tensor2D;
  labels: tf.Tensor1D;
}

/** Options of {@link trainSdmlp}. */
export interface TrainSdmlpOptions {
  /** The optimiser; reuse one across tasks for continual learning. */
  optimizer: tf.Optimizer;
  /** Passes over the data (default 1). */
  epochs?: number;
  /** Mini-batch size (default 128, the reference's). */
  batchSize?: number;
  /** Global gradient-norm clip (default 1.0, the reference's; 0 or Infinity: none). */
  clipNorm?: number;
  /** Seed of the shuffling. */
  seed?: number;
  /** Extra differentiable loss term added to every batch's loss (e.g. an EWC penalty). */
  penalty?: () => tf.Scalar;
  /** Called at the end of each epoch; its numbers appear on the 'epoch' event. */
  evaluate?: (epoch: number) => Record<string, number>;
  /** Yield to the event loop every k batches (default 4). */
  yieldEvery?: number;
}

interface Batch {
  x: tf.Tensor2D;
  y: tf.Tensor2D;
}

/**
 * Trains `model` on `data` (cross-entropy over all `outputs` classes, no task
 * id). Returns the core's cold training stream: subscribe to run, unsubscribe
 * to stop after the current batch; every tensor it makes is freed either way.
 */
export function trainSdmlp(model: Sdmlp, data: LabelledTensors, options: TrainSdmlpOptions): Observable<TrainEvent> {
  const n = data.images.shape[0];
  if (data.images.rank !== 2 || data.images.shape[1] !== model.config.inputSize) {
    throw errors.shapeMismatch('training images', ['n', model.config.inputSize], data.images.shape);
  }
  if (data.labels.rank !== 1 || data.labels.shape[0] !== n) throw errors.shapeMismatch('training labels', [n], data.labels.shape);
  if (n === 0) throw errors.invalidArgument('training data', 'at least one example', 0);
  const batchSize = options.batchSize ?? 128;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw errors.invalidArgument('batchSize', 'an integer >= 1', batchSize);
  const clip = options.clipNorm ?? 1.0;
  if (!(clip >= 0)) throw errors.invalidArgument('clipNorm', 'a number >= 0', clip);
  const rng = createRng(options.seed ?? 0);
  const outputs = model.config.outputs;
  const batchesPerEpoch = Math.ceil(n / batchSize);

  function* batches(): Iterable<Batch> {
    const order = rng.permutation(n);
    for (let s = 0; s < n; s += batchSize) {
      const idx = order.slice(s, s + batchSize);
      yield tf.tidy(() => {
        const it = tf.tensor1d(idx, 'int32');
        return { x: tf.gather(data.images, it) as tf.Tensor2D, y: tf.oneHot(tf.gather(data.labels, it), outputs).toFloat() as tf.Tensor2D };
      });
    }
  }

  return trainStream<Batch>({
    variables: model.trainableVariables(),
    optimizer: options.optimizer,
    batches,
    batchesPerEpoch,
    epochs: options.epochs ?? 1,
    loss: (b) => {
      const ce = tf.losses.softmaxCrossEntropy(b.y, model.logits(b.x, { train: true })) as tf.Scalar;
      return options.penalty ? tf.add(ce, options.penalty()) : ce;
    },
    ...(clip > 0 && Number.isFinite(clip) ? { clipNorm: clip } : {}),
    afterStep: () => model.project(),
    ...(options.evaluate ? { evaluate: options.evaluate } : {}),
    disposeBatch: (b) => {
      b.x.dispose();
      b.y.dispose();
    },
    yieldEvery: options.yieldEvery ?? 4,
  });
}
