/**
 * Denoiser training with checkpoints on disk: core's saveModel (path.json +
 * path.weights.bin) plus the optimizer state next to it (path.optimizer.json +
 * .bin), and resume from such a checkpoint.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Observable } from 'rxjs';
import { errors, type Engram, type TrainEvent } from '@engram/core';
import { loadModel, loadOptimizerState, saveModel, saveOptimizerState } from '@engram/core/node';
import type { ScoreModel } from '../../models/score.js';
import { trainDenoiser as trainDenoiserWithHooks, type DenoiserCheckpoint, type DenoiserResume, type TrainDenoiserOptions as TrainDenoiserHookOptions } from '../../models/score-training.js';

/** Options of {@link trainDenoiser} (Node): the in-memory ones, with checkpoint and resume as paths. */
export interface TrainDenoiserOptions extends Omit<TrainDenoiserHookOptions, 'checkpoint' | 'resume'> {
  /**
   * Save the model to `path` (core saveModel: path.json + path.weights.bin) and the
   * optimizer state next to it (path.optimizer.json + .bin) every `every` epochs
   * (default 1) and at the end.
   */
  checkpoint?: { path: string; every?: number; engram?: Engram };
  /**
   * The checkpoint the model was loaded from (the path given to {@link loadCheckpoint}):
   * its optimizer state is restored before the first step. A checkpoint saved without
   * one still resumes, with the moments starting from zero (logged).
   */
  resume?: string;
}

/** The checkpoint hook that saves to files at `path`. */
export function fileCheckpoint(path: string, options: { every?: number; engram?: Engram } = {}): DenoiserCheckpoint {
  return {
    ...(options.every !== undefined ? { every: options.every } : {}),
    save: async (model: ScoreModel, optimizer: tf.Optimizer) => {
      await saveModel(model, path, options.engram ? { engram: options.engram } : {});
      await saveOptimizerState(optimizer, path);
    },
  };
}

/** The resume hook that restores the optimizer state saved next to the checkpoint `path`. */
export function fileResume(path: string): DenoiserResume {
  return { from: path, restore: (optimizer, variables) => loadOptimizerState(optimizer, path, { variables, optional: true }) };
}

/**
 * Trains `model` by denoising score matching on given data (the main entry's
 * `trainDenoiser`), with checkpoints saved to and resumed from files.
 */
export function trainDenoiser(model: ScoreModel, options: TrainDenoiserOptions): Observable<TrainEvent> {
  const { checkpoint, resume, ...rest } = options;
  return trainDenoiserWithHooks(model, {
    ...rest,
    ...(checkpoint ? { checkpoint: fileCheckpoint(checkpoint.path, checkpoint) } : {}),
    ...(resume !== undefined ? { resume: fileResume(resume) } : {}),
  });
}

/**
 * Loads a checkpoint written by {@link trainDenoiser} (through the core's loadModel)
 * to resume training; pass the same path as `resume` so the optimizer state saved
 * with it continues too.
 */
export async function loadCheckpoint(engram: Engram, path: string): Promise<ScoreModel> {
  const m = await loadModel(engram, path);
  if (m.kind !== 'diffusion/score') {
    m.dispose();
    throw errors.invalidArgument('checkpoint', "a 'diffusion/score' model", m.kind);
  }
  return m as ScoreModel;
}
