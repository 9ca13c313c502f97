/**
 * @engram/data as an engram plugin: its data sets become contributions that any
 * Engram resolves by id ('data/fashion-mnist', 'data/binary-patterns',
 * 'data/gaussian-patterns'), e.g. from the CLI or a model's training face.
 * Each resolves to core's ArrayDataset { count, shape, data, labels? }.
 */
import { definePlugin, z } from '@engram/core';
import { loadFashionMnist } from './fashion-mnist.js';
import { binaryPatterns, gaussianPatterns } from './generators.js';

const count = z.number().int().positive().default(10).describe('number of patterns');
const size = z.number().int().positive().default(100).describe('size of each pattern');
const seed = z.number().int().default(0).describe('seed of the generator');

/** Options of 'data/fashion-mnist'. */
export const fashionMnistOptionsSchema = z.strictObject({
  split: z.enum(['train', 'test']).default('train').describe('which half'),
  source: z.enum(['auto', 'full', 'subset']).default('auto').describe('installed full set, committed subset, or full when present'),
  limit: z.number().int().positive().optional().describe('keep only the first images'),
});
/** Options of 'data/binary-patterns'. */
export const binaryPatternsOptionsSchema = z.strictObject({ count, size, seed, bias: z.number().min(0).max(1).default(0.5).describe('P(+1) of each entry') });
/** Options of 'data/gaussian-patterns'. */
export const gaussianPatternsOptionsSchema = z.strictObject({ count, size, seed });

/** The plugin object (also the package's default export, so `createEngram({ plugins: ['@engram/data'] })` works). */
export const dataPlugin = definePlugin({
  name: 'data',
  version: '0.1.0',
  engram: '^0.1.0',
  description: 'Fashion-MNIST (Debian package or committed subset) and seeded pattern generators',
  register(ctx) {
    ctx.dataset('fashion-mnist', {
      schema: fashionMnistOptionsSchema,
      load: async (o) => {
        const set = loadFashionMnist({ split: o.split, source: o.source, ...(o.limit !== undefined ? { limit: o.limit } : {}) });
        return { count: set.count, shape: [28, 28], data: set.images, labels: set.labels, classes: set.numClasses };
      },
      description: 'Fashion-MNIST images [28, 28] in [0, 1] with labels 0..9',
    });
    ctx.dataset('binary-patterns', {
      schema: binaryPatternsOptionsSchema,
      load: async (o) => {
        const p = binaryPatterns(o);
        return { count: o.count, shape: [o.size], data: p.data };
      },
      description: 'seeded random ±1 patterns',
    });
    ctx.dataset('gaussian-patterns', {
      schema: gaussianPatternsOptionsSchema,
      load: async (o) => {
        const p = gaussianPatterns(o);
        return { count: o.count, shape: [o.size], data: p.data };
      },
      description: 'seeded standard-normal patterns',
    });
  },
});
