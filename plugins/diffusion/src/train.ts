/**
 * Denoising score matching (EDM loss) for a {@link ScoreModel}, through the core's
 * trainStream: an Observable of batch/epoch events, with checkpoints written by the
 * core's saveModel and resume from a checkpoint (the config carries trainedEpochs;
 * batches are seeded per epoch, so a resumed run sees the same batches as an
 * uninterrupted one; the Adam state (moments and step count) is saved next to
 * each checkpoint with the core's saveOptimizerState and restored on resume, so a
 * resumed run takes the same steps as an uninterrupted one).
 */
import * as tf from '@tensorflow/tfjs';
import { concatMap, defer, EMPTY, finalize, from, map, type Observable } from 'rxjs';
import { errors, loadModel, loadOptimizerState, saveModel, saveOptimizerState, trainStream, type Engram, type TrainEvent } from '@engram/core';
import { createRng } from '@engram/data';
import { ScoreModel } from './score-model.js';
import { posInt, posNum } from './internal/validate.js';

/** Options of {@link trainDenoiser}. */
export interface TrainDenoiserOptions {
  /** Training set, flat [count, dim] (host memory). */
  data: Float32Array;
  /** Number of rows of `data`. */
  count: number;
  /** Total epochs (a resumed model trains only the remaining ones; default 10). */
  epochs?: number;
  /** Optimiser steps per epoch, batches drawn with replacement, so a step budget is independent of K (default 100). */
  batchesPerEpoch?: number;
  /** Batch size (default 128). */
  batchSize?: number;
  /** Adam learning rate (default 1e-3). */
  learningRate?: number;
  /** log sigma ~ N(pMean, pStd^2) (EDM defaults -1.2, 1.2). */
  pMean?: number;
  pStd?: number;
  /** Global gradient-norm clip (default 1). */
  clipNorm?: number;
  /** Seed of batches, levels and noise (default 0). */
  seed?: number;
  /**
   * Save the model to `path` (core saveModel: path.json + path.weights.bin) and the
   * Adam state next to it (path.optimizer.json + path.optimizer.bin) every `every`
   * epochs (default 1) and at the end.
   */
  checkpoint?: { path: string; every?: number; engram?: Engram };
  /**
   * The checkpoint the model was loaded from (the path given to {@link loadCheckpoint}):
   * its Adam state is restored before the first step. A checkpoint saved without one
   * (older versions) still resumes, with the moments starting from zero (logged).
   */
  resume?: string;
  /** Receives the resume log line (default console.warn). */
  log?: (line: string) => void;
}

/**
 * Trains `model` by denoising score matching; returns the core's training stream
 * (events carry the global epoch index, so a resumed run continues the count).
 */
export function trainDenoiser(model: ScoreModel, options: TrainDenoiserOptions): Observable<TrainEvent> {
  const count = posInt('count', options.count);
  if (!(options.data instanceof Float32Array) || options.data.length !== count * model.dim) {
    throw errors.invalidArgument('data', `a Float32Array of count * dim = ${count * model.dim} values`, options.data?.length);
  }
  for (let i = 0; i < options.data.length; i++) if (!Number.isFinite(options.data[i]!)) throw errors.nonFiniteInput('training data');
  const epochs = posInt('epochs', options.epochs ?? 10);
  const perEpoch = posInt('batchesPerEpoch', options.batchesPerEpoch ?? 100);
  const batchSize = posInt('batchSize', options.batchSize ?? 128);
  const lr = posNum('learningRate', options.learningRate ?? 1e-3);
  const pMean = options.pMean ?? -1.2;
  const pStd = posNum('pStd', options.pStd ?? 1.2);
  const seed = options.seed ?? 0;
  const every = posInt('checkpoint.every', options.checkpoint?.every ?? 1);
  const offset = model.trainedEpochs;
  const remaining = Math.max(0, epochs - offset);
  if (remaining === 0) return EMPTY;
  // Tensors are made per subscription (cold stream) and freed when it ends.
  return defer(() => {
    const data = tf.tensor2d(options.data, [count, model.dim]);
    const optimizer = tf.train.adam(lr);

    function* batches(localEpoch: number): Iterable<{ y: tf.Tensor2D; sigma: tf.Tensor1D; noise: tf.Tensor2D }> {
      const epoch = offset + localEpoch;
      const rng = createRng(seed * 100003 + epoch);
      for (let b = 0; b < perEpoch; b++) {
        const idx = new Int32Array(batchSize);
        const sig = new Float32Array(batchSize);
        for (let i = 0; i < batchSize; i++) {
          idx[i] = rng.int(0, count);
          sig[i] = Math.exp(rng.normal(pMean, pStd));
        }
        yield tf.tidy(() => ({
          y: tf.gather(data, tf.tensor1d(idx, 'int32')) as tf.Tensor2D,
          sigma: tf.tensor1d(sig),
          noise: tf.randomNormal([batchSize, model.dim], 0, 1, 'float32', (seed * 1000003 + epoch * 7919 + b) % 2147483647),
        }));
      }
    }

    const cleanup = (): void => {
      data.dispose();
      optimizer.dispose();
    };
    const vars = model.variables();
    const stream = trainStream({
      variables: vars,
      optimizer,
      batches,
      batchesPerEpoch: perEpoch,
      epochs: Math.max(1, remaining),
      clipNorm: options.clipNorm ?? 1,
      loss: (b) => model.loss(b.y, b.sigma, b.noise),
      evaluate: async (localEpoch) => {
        model.trainedEpochs = offset + localEpoch + 1;
        const cp = options.checkpoint;
        if (cp && (model.trainedEpochs % every === 0 || localEpoch === remaining - 1)) {
          await saveModel(model, cp.path, cp.engram ? { engram: cp.engram } : {});
          await saveOptimizerState(optimizer, cp.path);
        }
        return {};
      },
    });
    const restore = async (): Promise<void> => {
      if (options.resume === undefined) return;
      const log = options.log ?? ((line: string) => console.warn(line));
      const restored = await loadOptimizerState(optimizer, options.resume, { variables: Object.values(vars), optional: true });
      log(
        restored
          ? `diffusion: resumed the Adam state of ${options.resume} (step ${optimizer.iterations})`
          : `diffusion: ${options.resume} has no optimizer state (saved by an older version): the Adam moments start from zero`,
      );
    };
    return from(restore()).pipe(
      concatMap(() => stream),
      map((e) => ({ ...e, epoch: e.epoch + offset, epochs })),
      finalize(cleanup),
    );
  });
}

/**
 * Loads a checkpoint written by {@link trainDenoiser} (through the core's loadModel)
 * to resume training; pass the same path as `resume` to trainDenoiser so the Adam
 * state saved with it continues too.
 */
export async function loadCheckpoint(engram: Engram, path: string): Promise<ScoreModel> {
  const m = await loadModel(engram, path);
  if (!(m instanceof ScoreModel)) {
    m.dispose();
    throw errors.invalidArgument('checkpoint', "a 'diffusion/score' model", m.kind);
  }
  return m;
}
