/**
 * Fashion-MNIST loader: the full set from Debian's dataset-fashion-mnist
 * package (or any directory holding the four IDX files), or the small subset
 * committed with @engram/data.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { errors } from '@engram/core';
import { FASHION_MNIST_SUBSET_DIR } from './fixtures.js';
import { readIdx } from './idx.js';
import { corruptData, dataNotFound } from './internal/errors.js';
import { checkInt } from './internal/validate.js';

/** The ten Fashion-MNIST classes, indexed by label. */
export const FASHION_MNIST_CLASS_NAMES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;

/** Where Debian's dataset-fashion-mnist package installs the IDX files. */
export const FASHION_MNIST_DEFAULT_DIR = '/usr/share/datasets/fashion-mnist';
/** Environment variable naming another directory holding the IDX files. */
export const FASHION_MNIST_DIR_ENV = 'ENGRAM_FASHION_MNIST_DIR';
/** The command that installs the full data set on Debian/Ubuntu. */
export const FASHION_MNIST_INSTALL_HINT = 'sudo apt-get install dataset-fashion-mnist';

/** Which half of the data set. */
export type FashionMnistSplit = 'train' | 'test';
/** 'full': the installed data set; 'subset': the committed subset; 'auto': full when present, else subset. */
export type FashionMnistSource = 'full' | 'subset' | 'auto';

/** Options for {@link loadFashionMnist}. */
export interface LoadFashionMnistOptions {
  /** 'train' (60,000 images in the full set, 1,000 in the subset) or 'test' (10,000 / 300). */
  split: FashionMnistSplit;
  /** Where to read from (default 'full'). */
  source?: FashionMnistSource;
  /** Directory of the full set; default $ENGRAM_FASHION_MNIST_DIR, then {@link FASHION_MNIST_DEFAULT_DIR}. Ignored for 'subset'. */
  dir?: string;
  /** Keep only the first `limit` examples (fewer if the set is smaller). */
  limit?: number;
  /** Scale pixels to [0, 1] (default true); false keeps 0..255 (as floats). */
  normalize?: boolean;
}

/** A loaded split of Fashion-MNIST, on the host. */
export interface FashionMnistSet {
  readonly split: FashionMnistSplit;
  /** Where the examples came from ('auto' resolved). */
  readonly source: 'full' | 'subset';
  /** Directory the files were read from. */
  readonly dir: string;
  /** Number of examples n. */
  readonly count: number;
  /** Images, row-major `[n, 784]`, in [0, 1] (or 0..255 without normalize). */
  readonly images: Float32Array;
  /** Shape of `images`: `[n, 784]`. */
  readonly shape: readonly [number, number];
  /** Shape of one image: `[28, 28]`. */
  readonly imageShape: readonly [number, number];
  /** Class label 0..9 of each image. */
  readonly labels: Int32Array;
  /** Class names by label ({@link FASHION_MNIST_CLASS_NAMES}). */
  readonly classNames: readonly string[];
  /** Number of classes (10). */
  readonly numClasses: number;
  /** Whether `images` were scaled to [0, 1]. */
  readonly normalized: boolean;
}

const FILES: Record<FashionMnistSplit, { images: string; labels: string }> = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
};

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
  if (images.shape.length !== 3 || images.shape[1] !== 28 || images.shape[2] !== 28) {
    throw corruptData(files.images, `images have shape [${images.shape.join(', ')}] instead of [n, 28, 28]`);
  }
  if (labels.shape.length !== 1 || labels.shape[0] !== images.shape[0]) {
    throw corruptData(files.labels, `labels have shape [${labels.shape.join(', ')}] but there are ${images.shape[0]} images`);
  }
  const n = Math.min(images.shape[0]!, o.limit);
  const pixels = 28 * 28;
  const out = new Float32Array(n * pixels);
  const scale = o.normalize ? 1 / 255 : 1;
  for (let i = 0; i < out.length; i++) out[i] = images.data[i]! * scale;
  const lab = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = labels.data[i]!;
    if (v >= FASHION_MNIST_CLASS_NAMES.length) throw corruptData(files.labels, `label ${v} at index ${i} is not a class 0..9`);
    lab[i] = v;
  }
  return {
    split: o.split,
    source: o.source,
    dir: o.dir,
    count: n,
    images: out,
    shape: [n, pixels],
    imageShape: [28, 28],
    labels: lab,
    classNames: FASHION_MNIST_CLASS_NAMES,
    numClasses: FASHION_MNIST_CLASS_NAMES.length,
    normalized: o.normalize,
  };
}
