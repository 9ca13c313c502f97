/** The config of the image Energy Transformer and its training settings. */
import { trainingSettingsSchema, z } from '@engram/core';
import { blockFields, tokenSize } from './block-schema.js';

/** The image model's block: the block's keys without `tokens` (patches + 1), defaults D = 128, 4 heads of 32, M = 512. */
export const imageBlockSchema = z.strictObject({
  size: tokenSize.default(128),
  ...blockFields({ heads: 4, excludeDiagonal: false, attentionStd: 0.002, hopfieldStd: 0.02 }),
});

/** energy-transformer/image: patches -> tokens (CLS, hidden token, positions) -> ET descent -> decoder. */
export const imageSchema = z
  .strictObject({
    imageSize: z.number().int().positive().default(28).describe('side S of the square images'),
    patchSize: z.number().int().positive().default(4).describe('side p of the square patches (a divisor of imageSize)'),
    block: imageBlockSchema.prefault({}).describe('the ET block (its tokens are the patches plus a CLS token)'),
    seed: z.number().int().default(0).describe('seed of the codec weights (the block has its own)'),
  })
  .superRefine((c, ctx) => {
    if (c.imageSize % c.patchSize !== 0) ctx.addIssue({ code: 'custom', path: ['patchSize'], message: `a divisor of imageSize ${c.imageSize}`, input: c.patchSize });
  });

/** An image ET config as written. */
export type ImageOptions = z.input<typeof imageSchema>;

/** Settings of the image ET's training: hidden-patch completion on Fashion-MNIST. */
export const imageTrainingSchema = trainingSettingsSchema.extend({
  limit: z.number().int().min(1).default(10000).describe('training images taken from Fashion-MNIST'),
  lr: z.number().positive().default(1e-3).describe('learning rate'),
  clipNorm: z.number().positive().default(1).describe('clip the global gradient norm to this'),
  hiddenRatio: z.number().gt(0).lt(1).default(0.5).describe('fraction of the patches hidden in each training image'),
  source: z.enum(['auto', 'full', 'subset']).default('auto').describe("Fashion-MNIST: the installed full set, the committed subset, or 'auto' (full when present)"),
});

/** The image ET's training settings (defaults filled in). */
export type ImageTrainingSettings = z.output<typeof imageTrainingSchema>;
