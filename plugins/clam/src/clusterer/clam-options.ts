/**
 * Options of the scikit-learn-like {@link Clam} estimator, with the authors'
 * defaults (bsaha205/clam, hyper_params.py).
 */
import { z } from '@engram/core';
import { fillSchema } from '../models/clam-schema.js';

/** The schema of {@link ClamOptions}. */
export const clamOptionsSchema = z.strictObject({
  k: z.number().int().min(2).describe('number of clusters (prototypes), at least 2'),
  beta: z.number().positive().default(1).describe('inverse temperature (the authors search 1.1, 1.5, 1.9, 2.4)'),
  lr: z.number().positive().default(0.01).describe('initial Adam learning rate (the authors search 1e-3, 1e-2, 1e-1)'),
  epochs: z.number().int().min(1).default(200).describe('most epochs (the authors: 200)'),
  batchSize: z.number().int().min(1).default(8).describe('samples per batch (the authors: 8)'),
  dt: z.number().positive().max(1).default(0.1).describe('step size alpha of the dynamics'),
  steps: z.number().int().min(1).optional().describe('unrolled steps T (default round(1/dt))'),
  hidden: z.number().gt(0).lt(1).default(0.2).describe('fraction of coordinates masked per sample'),
  fill: fillSchema.default('mean').describe("fill value of masked coordinates: 'mean', 'min', 'max' or 'zero'"),
  sharedMaskEvery: z.number().int().min(0).default(3).describe('every k-th epoch one mask per batch (0: never)'),
  init: z.enum(['gaussian', 'kmeans++']).default('gaussian').describe("initial prototypes: normal(0.1, 0.1) as the authors, or k-means++ seeds"),
  seed: z.number().int().default(0).describe('seed of the prototypes, the shuffles and the masks'),
  plateau: z.boolean().default(true).describe("decay the learning rate on loss plateaus as the authors' code does"),
  keepBest: z.boolean().default(true).describe('end with the prototypes of the epoch with the lowest loss (as the authors)'),
  record: z.boolean().default(false).describe('record the prototypes after every epoch (trajectories)'),
});

/** Options as written (defaults optional). */
export type ClamOptions = z.input<typeof clamOptionsSchema>;
/** Options with defaults filled in. */
export type ResolvedClamOptions = z.output<typeof clamOptionsSchema>;
