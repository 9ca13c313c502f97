/**
 * @engram/data as an engram plugin: its data sets become contributions that any
 * Engram resolves by id ('data/fashion-mnist', 'data/binary-patterns',
 * 'data/gaussian-patterns'), e.g. from a model's training face. Each resolves
 * to core's ArrayDataset { count, shape, data, labels? }.
 *
 * This entry's plugin reads Fashion-MNIST over HTTP (the browser: the
 * playground ships the committed subset); `@engram/data/node` exports the same
 * plugin reading it from disk (the CLI loads that one).
 */
import { definePlugin, z, type ArrayDataset, type EngramPlugin } from '@engram/core';
import type { FashionMnistSet } from './fashion-mnist.js';
import { loadFashionMnistFromUrl } from './fashion-mnist-url.js';
import { binaryPatterns, gaussianPatterns } from './generators.js';

const count = z.number().int().positive().default(10).describe('number of patterns');
const size = z.number().int().positive().default(100).describe('size of each pattern');
const seed = z.number().int().default(0).describe('seed of the generator');

/** Options of 'data/fashion-mnist'. */
export const fashionMnistOptionsSchema = z.strictObject({
  split: z.enum(['train', 'test']).default('train').describe('which half'),
  source: z.enum(['auto', 'full', 'subset']).default('auto').describe('installed full set, committed subset, or full when present'),
  limit: z.number().int().positive().optional().describe('keep only the first images'),
  url: z.string().optional().describe('base URL of the IDX files (over HTTP; default: the configured one)'),
});
/** Options of 'data/binary-patterns'. */
export const binaryPatternsOptionsSchema = z.strictObject({ count, size, seed, bias: z.number().min(0).max(1).default(0.5).describe('P(+1) of each entry') });
/** Options of 'data/gaussian-patterns'. */
export const gaussianPatternsOptionsSchema = z.strictObject({ count, size, seed });

/** Options of the fashion-mnist dataset as loaders receive them. */
export type FashionMnistDatasetOptions = z.output<typeof fashionMnistOptionsSchema>;

/** A Fashion-MNIST split as a core ArrayDataset (images [28, 28] in [0, 1], labels 0..9). */
export function fashionMnistDataset(set: FashionMnistSet): ArrayDataset {
  return { count: set.count, shape: [28, 28], data: set.images, labels: set.labels, classes: set.numClasses };
}

/**
 * Builds the data plugin with a Fashion-MNIST loader: the node entry passes
 * its disk loader, this entry a fetch from `url` (default `defaultUrl`).
 */
export function createDataPlugin(loadFashionMnist: (o: FashionMnistDatasetOptions) => Promise<FashionMnistSet>): EngramPlugin {
  return definePlugin({
    name: 'data',
    version: '0.1.0',
    engram: '^0.1.0',
    description: 'Fashion-MNIST (Debian package, committed subset, or over HTTP) and seeded pattern generators',
    register(ctx) {
      ctx.dataset('fashion-mnist', {
        schema: fashionMnistOptionsSchema,
        load: async (o) => fashionMnistDataset(await loadFashionMnist(o)),
        description: 'Fashion-MNIST images [28, 28] in [0, 1] with labels 0..9',
      });
      ctx.dataset('binary-patterns', {
        schema: binaryPatternsOptionsSchema,
        load: async (o) => ({ count: o.count, shape: [o.size], data: binaryPatterns(o).data }),
        description: 'seeded random ±1 patterns',
      });
      ctx.dataset('gaussian-patterns', {
        schema: gaussianPatternsOptionsSchema,
        load: async (o) => ({ count: o.count, shape: [o.size], data: gaussianPatterns(o).data }),
        description: 'seeded standard-normal patterns',
      });
    },
  });
}

/** Where the browser plugin fetches Fashion-MNIST by default (the playground serves the subset there). */
export const FASHION_MNIST_DEFAULT_URL = 'data/fashion-mnist-subset/';

/** The plugin for browsers: Fashion-MNIST over HTTP (option `url`, default {@link FASHION_MNIST_DEFAULT_URL}). */
export const dataPlugin: EngramPlugin = createDataPlugin((o) =>
  loadFashionMnistFromUrl({ url: o.url ?? FASHION_MNIST_DEFAULT_URL, split: o.split, ...(o.limit !== undefined ? { limit: o.limit } : {}) }),
);
