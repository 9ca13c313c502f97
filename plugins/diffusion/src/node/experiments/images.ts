/** The experiments' images read from disk: Fashion-MNIST (installed full set or committed subset), pooled, in [-1, 1]. */
import { parseConfig, z } from '@engram/core';
import { loadFashionMnist } from '@engram/data/node';
import { fashionPatternsOf, fashionPatternsOfSchema, type FashionPatterns } from '../../experiments/images.js';

/** Options of {@link fashionPatterns}. */
export const fashionPatternsSchema = fashionPatternsOfSchema.extend({
  source: z.enum(['auto', 'full', 'subset']).default('auto').describe('installed full set, committed subset, or full when present'),
});
/** Options of {@link fashionPatterns}. */
export type FashionPatternOptions = z.input<typeof fashionPatternsSchema>;

/**
 * K Fashion-MNIST training images read from disk, pooled, mapped from [0, 1]
 * to [-1, 1]; [K, size] flat — the images the training face of
 * 'diffusion/score' picks for `limit: K` with the same seed.
 */
export function fashionPatterns(options: FashionPatternOptions): FashionPatterns {
  const { source, ...rest } = parseConfig(fashionPatternsSchema, options, 'fashionPatterns', 'options');
  return fashionPatternsOf(loadFashionMnist({ split: 'train', source }), rest);
}
