/**
 * The config and training settings of the 'clam/clam' model kind, with the
 * authors' defaults (bsaha205/clam, hyper_params.py): alpha = dt = 0.1 and
 * T = 1/alpha steps, prototypes initialised normal(0.1, 0.1), batch 8,
 * mask fraction 0.2 filled with the feature mean, one shared mask for the
 * whole batch every third epoch.
 */
import { trainingSettingsSchema, z } from '@engram/core';

/** The schema of a ClAM model's config. */
export const clamConfigSchema = z.strictObject({
  size: z.number().int().min(1).describe('features per sample'),
  memories: z.number().int().min(2).describe('number of prototypes = clusters k (at least 2)'),
  beta: z.number().positive().default(1).describe('inverse temperature of the softmax over prototypes'),
  dt: z.number().positive().max(1).default(0.1).describe('step size alpha of the assignment dynamics (energy descent is monotone for dt <= 1)'),
  steps: z.number().int().min(1).optional().describe('number T of unrolled steps (default round(1/dt))'),
  seed: z.number().int().default(0).describe('seed of the initial prototypes'),
  initMean: z.number().default(0.1).describe('mean of the normal initial prototypes'),
  initStd: z.number().min(0).default(0.1).describe('standard deviation of the normal initial prototypes'),
});

/** A ClAM config as written (defaults optional). */
export type ClamConfigInput = z.input<typeof clamConfigSchema>;

/** A ClAM config with every default filled in (what `getConfig()` returns). */
export type ClamConfig = Omit<z.output<typeof clamConfigSchema>, 'steps'> & { steps: number };

/** T for a config: `steps`, or round(1/dt). */
export function resolveSteps(config: { dt: number; steps?: number | undefined }): number {
  return config.steps ?? Math.max(1, Math.round(1 / config.dt));
}

/** How masked coordinates are filled before completion (the authors' 'mean', 'min', 'max', '0'). */
export const fillSchema = z.enum(['mean', 'min', 'max', 'zero']);
/** A fill rule. */
export type FillRule = z.output<typeof fillSchema>;

/** Settings of the mask-and-complete training (the model's training face). */
export const clamTrainingSchema = trainingSettingsSchema.extend({
  epochs: z.number().int().min(1).default(200).describe('passes over the training data (the authors: 200)'),
  batchSize: z.number().int().min(1).default(8).describe('samples per batch (the authors: 8)'),
  lr: z.number().positive().default(0.01).describe('Adam learning rate (the authors search 1e-3, 1e-2, 1e-1)'),
  limit: z.number().int().min(1).default(1024).describe('training samples taken from the data'),
  hidden: z.number().gt(0).lt(1).default(0.2).describe('fraction of the coordinates masked per sample (at least one)'),
  fill: fillSchema.default('mean').describe("value of a masked coordinate: the feature's 'mean', 'min', 'max' or 'zero'"),
  sharedMaskEvery: z.number().int().min(0).default(3).describe('every k-th epoch one mask for the whole batch (0: never)'),
  data: z.string().optional().describe("data set id (default 'clam/blobs' with the model's size and memories)"),
  standardize: z.boolean().default(true).describe('standardise the features first (as the paper)'),
});

/** Training settings with defaults filled in. */
export type ClamTrainingSettings = z.output<typeof clamTrainingSchema>;
