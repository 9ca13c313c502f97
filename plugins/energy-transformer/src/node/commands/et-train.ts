/**
 * `engram et-train`: the hidden-patch image experiment (see
 * runImageExperiment), with a progress bar, checkpoints, resume and PNGs.
 */
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { z, type CommandDefinitionEntry } from '@engram/core';
import { runImageExperiment } from '../experiments/image-completion.js';
import { progressLine } from './progress.js';

/** The options of `engram et-train` (one flag per key). */
export const etTrainOptions = z.strictObject({
  out: z.string().min(1).default('engram-out/et-train').describe('output directory (checkpoint, PNGs, results.json)'),
  train: z.number().int().positive().default(10000).describe('training images'),
  test: z.number().int().positive().default(2000).describe('test images'),
  epochs: z.number().int().positive().default(1).describe('passes over the training images'),
  batchSize: z.number().int().positive().default(32).describe('images per batch'),
  lr: z.number().positive().default(1e-3).describe('Adam learning rate'),
  size: z.number().int().min(2).default(128).describe('token size D'),
  heads: z.number().int().positive().default(4).describe('attention heads'),
  headSize: z.number().int().positive().optional().describe('key/query size per head (default size / heads)'),
  memories: z.number().int().positive().optional().describe('Hopfield memories (default 4 size)'),
  maxSteps: z.number().int().min(0).default(12).describe('descent steps T'),
  dt: z.number().positive().default(0.1).describe('descent step size'),
  separation: z.enum(['rectified-power', 'lse']).default('rectified-power').describe("Hopfield form: 'rectified-power' (the paper's ReLU, n = 2) or 'lse' (its softmax)"),
  separationBeta: z.number().positive().default(1).describe("inverse temperature of the 'lse' Hopfield form"),
  excludeDiagonal: z.boolean().default(false).describe('leave each token out of its own attention sum (as in the paper)'),
  hiddenRatio: z.number().gt(0).lt(1).default(0.5).describe('fraction of the patches hidden'),
  seed: z.number().int().default(0).describe('seed of the weights, batches and hidden patches'),
  source: z.enum(['auto', 'full', 'subset']).default('auto').describe("Fashion-MNIST: the installed full set, the committed subset, or 'auto'"),
  transformer: z.boolean().default(true).describe('also train the transformer-encoder baseline'),
  transformerLayers: z.number().int().positive().default(1).describe('layers of the transformer baseline'),
  resume: z.string().min(1).optional().describe('resume from a checkpoint spec, e.g. engram-out/et-train/checkpoint/et.json'),
});

/** Parsed options of `engram et-train`. */
export type EtTrainOptions = z.output<typeof etTrainOptions>;

/** The `et-train` command. */
export const etTrainCommand: CommandDefinitionEntry<typeof etTrainOptions> = {
  description: 'Train the image ET on Fashion-MNIST hidden-patch completion against two baselines',
  options: etTrainOptions,
  details: 'Writes results.json, completions.png, completion-steps.png and a resumable checkpoint under --out.',
  async run({ options: o }, io, engram) {
    const out = resolve(io.cwd, o.out);
    let lastLine = 0;
    const r = await runImageExperiment({
      out,
      engram,
      train: o.train,
      test: o.test,
      epochs: o.epochs,
      batchSize: o.batchSize,
      lr: o.lr,
      hiddenRatio: o.hiddenRatio,
      seed: o.seed,
      source: o.source,
      transformer: o.transformer,
      transformerLayers: o.transformerLayers,
      model: {
        block: {
          size: o.size,
          heads: o.heads,
          ...(o.headSize !== undefined ? { headSize: o.headSize } : {}),
          ...(o.memories !== undefined ? { memories: o.memories } : {}),
          maxSteps: o.maxSteps,
          dt: o.dt,
          separation: o.separation === 'lse' ? { kind: 'lse', beta: o.separationBeta } : { kind: 'rectified-power', n: 2 },
          excludeDiagonal: o.excludeDiagonal,
        },
      },
      ...(o.resume !== undefined ? { resume: resolve(io.cwd, o.resume) } : {}),
      log: (line) => io.stderr(`${line}\n`),
      onEvent: (model, ev) => {
        if (ev.type !== 'batch') return;
        const line = progressLine(`${model} epoch ${ev.epoch + 1}/${ev.epochs}`, ev.batch + 1, ev.batches, `loss ${ev.loss.toFixed(4)}`);
        const last = ev.batches !== null && ev.batch + 1 === ev.batches;
        if (io.isTTY) io.stderr(`\r${line}${last ? '\n' : ''}`);
        else if (last || Date.now() - lastLine > 5000) {
          io.stderr(`${line}\n`);
          lastLine = Date.now();
        }
      },
    });
    io.stdout(
      [
        `hidden-patch MSE on ${r.testCount} test images (${Math.round(100 * o.hiddenRatio)}% of the patches hidden; ${r.trainCount} training images, backend ${tf.getBackend()}):`,
        `  energy transformer   ${r.etMse.toFixed(5)}  (${r.etParams} parameters, ${r.trainSeconds.et.toFixed(0)} s)`,
        `  mean training patch  ${r.meanPatchMse.toFixed(5)}`,
        r.transformerMse === null
          ? '  transformer baseline skipped'
          : `  transformer encoder  ${r.transformerMse.toFixed(5)}  (${r.transformerParams} parameters, ${r.trainSeconds.transformer!.toFixed(0)} s)`,
        `files: ${r.files.join(', ')}`,
        '',
      ].join('\n'),
    );
    return 0;
  },
};
