/** Image preparation for the experiments: Fashion-MNIST pooled to 14 x 14 (by default) in [-1, 1]. */
import { errors, parseConfig, z } from '@engram/core';
import type { FashionMnistSet } from '@engram/data';
import { pickImages } from '../internal/images.js';

/** Options of {@link fashionPatternsOf}: which images of a loaded set, at what size. */
export const fashionPatternsOfSchema = z.strictObject({
  count: z.number().int().positive().describe('number of images K'),
  size: z.number().int().positive().default(196).describe('pixels per image after average pooling from 28 x 28 (784, 196, 49 or 16)'),
  seed: z.number().int().default(0).describe('seed of the image choice: the first K of one seeded permutation, so sets are nested in K'),
});
/** Options of {@link fashionPatternsOf}. */
export type FashionPatternsOfOptions = z.input<typeof fashionPatternsOfSchema>;

/** K pooled images in [-1, 1], [K, size] flat, with the image side. */
export interface FashionPatterns {
  data: Float32Array;
  count: number;
  side: number;
  size: number;
}

/**
 * K images of a loaded Fashion-MNIST training split (e.g. from @engram/data's
 * `loadFashionMnistFromUrl` in a browser), pooled, mapped from [0, 1] to
 * [-1, 1]; [K, size] flat — the images the training face of 'diffusion/score'
 * picks for `limit: K` with the same seed.
 */
export function fashionPatternsOf(set: FashionMnistSet, options: FashionPatternsOfOptions): FashionPatterns {
  const o = parseConfig(fashionPatternsOfSchema, options, 'fashionPatternsOf', 'options');
  if (o.count > set.count) throw errors.invalidArgument('count', `at most ${set.count} images (source '${set.source}')`, o.count);
  const { data, count } = pickImages(
    { count: set.count, shape: [28, 28], data: set.images },
    { size: o.size, limit: o.count, seed: o.seed, rescale: true, source: `fashion-mnist (${set.source})` },
  );
  return { data, count, side: Math.round(Math.sqrt(o.size)), size: o.size };
}
