/**
 * @engram/data as an engram plugin: its data sets become contributions that any
 * Engram resolves by id ('data/fashion-mnist', 'data/binary-patterns',
 * 'data/gaussian-patterns'), e.g. from the CLI or a model spec.
 */
import { definePlugin, errors, type JsonObject } from '@engram/core';
import { loadFashionMnist, type FashionMnistSource, type FashionMnistSplit } from './fashion-mnist.js';
import { binaryPatterns, gaussianPatterns } from './generators.js';

function intOption(o: JsonObject, key: string, fallback: number): number {
  const v = o[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw errors.invalidArgument(`data option '${key}'`, 'a positive integer', v);
  return v;
}

function numberOption(o: JsonObject, key: string, fallback: number): number {
  const v = o[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw errors.invalidArgument(`data option '${key}'`, 'a finite number', v);
  return v;
}

/** The plugin object (also the package's default export, so `createEngram({ plugins: ['@engram/data'] })` works). */
export const dataPlugin = definePlugin({
  name: 'data',
  version: '0.1.0',
  engram: '^0.1.0',
  description: 'Fashion-MNIST (Debian package or committed subset) and seeded pattern generators',
  register(ctx) {
    ctx.dataset(
      'fashion-mnist',
      async (o) => {
        const split = (o['split'] ?? 'train') as FashionMnistSplit;
        if (split !== 'train' && split !== 'test') throw errors.invalidArgument("data option 'split'", "'train' or 'test'", split);
        const source = (o['source'] ?? 'auto') as FashionMnistSource;
        if (!['auto', 'full', 'subset'].includes(source)) throw errors.invalidArgument("data option 'source'", "'auto', 'full' or 'subset'", source);
        return loadFashionMnist({ split, source, ...(o['limit'] !== undefined ? { limit: intOption(o, 'limit', 1) } : {}) });
      },
      'Fashion-MNIST images [n, 784] in [0, 1] and labels; options: split, source (auto|full|subset), limit',
    );
    ctx.dataset(
      'binary-patterns',
      async (o) => binaryPatterns({ count: intOption(o, 'count', 10), dim: intOption(o, 'dim', 100), seed: numberOption(o, 'seed', 0), bias: numberOption(o, 'bias', 0.5) }),
      'seeded random ±1 patterns; options: count, dim, seed, bias (P(+1))',
    );
    ctx.dataset(
      'gaussian-patterns',
      async (o) => gaussianPatterns({ count: intOption(o, 'count', 10), dim: intOption(o, 'dim', 100), seed: numberOption(o, 'seed', 0) }),
      'seeded standard-normal patterns; options: count, dim, seed',
    );
  },
});
