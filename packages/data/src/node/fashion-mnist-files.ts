/**
 * Fashion-MNIST from disk: the full set from Debian's dataset-fashion-mnist
 * package (or any directory holding the four IDX files), or the small subset
 * committed with @engram/data.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { errors } from '@engram/core';
import {
  FASHION_MNIST_DEFAULT_DIR,
  FASHION_MNIST_DIR_ENV,
  FASHION_MNIST_FILES,
  FASHION_MNIST_INSTALL_HINT,
  fashionMnistFromIdx,
  type FashionMnistSet,
  type FashionMnistSplit,
  type LoadFashionMnistOptions,
} from '../fashion-mnist.js';
import { dataNotFound } from '../internal/errors.js';
import { checkInt } from '../internal/validate.js';
import { FASHION_MNIST_SUBSET_DIR } from './fixtures.js';
import { readIdx } from './idx-files.js';

const FILES = FASHION_MNIST_FILES;

/**
 * The directory the full set is read from and why: the `dir` argument, else
 * $ENGRAM_FASHION_MNIST_DIR, else the Debian location.
 */
export function resolveFashionMnistDir(dir?: string): { dir: string; from: 'option' | 'env' | 'default' } {
  if (dir !== undefined) return { dir, from: 'option' };
  const env = process.env[FASHION_MNIST_DIR_ENV];
  if (env !== undefined && env !== '') return { dir: env, from: 'env' };
  return { dir: FASHION_MNIST_DEFAULT_DIR, from: 'default' };
}

/** Paths of a split's two files in `dir` (gzipped preferred, raw accepted), or the names missing. */
function locate(dir: string, split: FashionMnistSplit): { images: string; labels: string } | { missing: string[] } {
  const find = (base: string): string | undefined => [`${base}.gz`, base].map((f) => join(dir, f)).find((p) => existsSync(p));
  const images = find(FILES[split].images);
  const labels = find(FILES[split].labels);
  if (images !== undefined && labels !== undefined) return { images, labels };
  const missing = [images === undefined ? `${FILES[split].images}[.gz]` : '', labels === undefined ? `${FILES[split].labels}[.gz]` : ''];
  return { missing: missing.filter((m) => m !== '') };
}

/**
 * True when the full set's files for the given splits (default both) are in
 * `dir` (resolved as by {@link resolveFashionMnistDir}).
 */
export function hasFashionMnist(dir?: string, splits: readonly FashionMnistSplit[] = ['train', 'test']): boolean {
  const resolved = resolveFashionMnistDir(dir).dir;
  return splits.every((s) => !('missing' in locate(resolved, s)));
}

/**
 * Loads one split of Fashion-MNIST into host memory.
 *
 * Throws EngramError DATA_NOT_FOUND (with the apt-get command and the
 * option/env var to use) when the full set is asked for and absent, and
 * CORRUPT_DATA when a file is damaged or its shapes/labels are not Fashion-MNIST's.
 *
 * @example
 * const test = loadFashionMnist({ split: 'test', source: 'auto', limit: 1000 });
 * test.images; // Float32Array of 1000 * 784 values in [0, 1]
 */
export function loadFashionMnist(options: LoadFashionMnistOptions): FashionMnistSet {
  const { split } = options;
  if (split !== 'train' && split !== 'test') throw errors.invalidArgument('split', "'train' or 'test'", split);
  const sourceOpt = options.source ?? 'full';
  if (!['full', 'subset', 'auto'].includes(sourceOpt)) throw errors.invalidArgument('source', "'full', 'subset' or 'auto'", sourceOpt);
  const limit = options.limit === undefined ? Infinity : checkInt('limit', options.limit);
  const normalize = options.normalize ?? true;

  let source: 'full' | 'subset' = sourceOpt === 'subset' ? 'subset' : 'full';
  let dir = FASHION_MNIST_SUBSET_DIR;
  let files = locate(dir, split);
  if (sourceOpt !== 'subset') {
    const resolved = resolveFashionMnistDir(options.dir);
    const full = locate(resolved.dir, split);
    if (!('missing' in full)) {
      [dir, files] = [resolved.dir, full];
    } else if (sourceOpt === 'full') {
      const origin = { option: "the 'dir' option", env: `$${FASHION_MNIST_DIR_ENV}`, default: 'the default location' }[resolved.from];
      throw dataNotFound(
        `Fashion-MNIST ${split} split (${full.missing.join(', ')})`,
        `${resolved.dir} (from ${origin})`,
        `Install it with \`${FASHION_MNIST_INSTALL_HINT}\` (files go to ${FASHION_MNIST_DEFAULT_DIR}), ` +
          `or point engram at a directory holding the IDX files with the 'dir' option or $${FASHION_MNIST_DIR_ENV}. ` +
          `source: 'subset' (or 'auto') uses the small subset shipped with @engram/data instead.`,
      );
    } else {
      source = 'subset';
    }
  }
  if ('missing' in files) {
    throw dataNotFound(
      `Fashion-MNIST subset (${files.missing.join(', ')})`,
      dir,
      'The @engram/data package is incomplete: reinstall it, or regenerate the subset with packages/data/scripts/make-fixture.ts.',
    );
  }
  return readSplit(files, { split, source, dir, limit, normalize });
}

/** Loads one split of the committed subset (1,000 train / 300 test images, 100 / 30 per class). */
export function loadFashionMnistSubset(options: Omit<LoadFashionMnistOptions, 'source' | 'dir'>): FashionMnistSet {
  return loadFashionMnist({ ...options, source: 'subset' });
}

function readSplit(
  files: { images: string; labels: string },
  o: { split: FashionMnistSplit; source: 'full' | 'subset'; dir: string; limit: number; normalize: boolean },
): FashionMnistSet {
  const images = readIdx(files.images, { dtype: 'uint8' });
  const labels = readIdx(files.labels, { dtype: 'uint8' });
  return fashionMnistFromIdx(images, labels, { ...o, files, ...(Number.isFinite(o.limit) ? { limit: o.limit } : {}) });
}
