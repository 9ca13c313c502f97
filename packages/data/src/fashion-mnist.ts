/**
 * Fashion-MNIST: its classes, the shape of a loaded split, and the split built
 * from decoded IDX arrays (anywhere). Loading from disk — Debian's
 * dataset-fashion-mnist package or the committed subset — is in
 * `@engram/data/node`; from a URL (the browser) in fashion-mnist-url.ts.
 */
import type { IdxArray } from './idx.js';
import { corruptData } from './internal/errors.js';

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
  /** Directory (or URL) the files were read from. */
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

/** Where a split came from, for {@link fashionMnistFromIdx}. */
export interface FashionMnistOrigin {
  split: FashionMnistSplit;
  source: 'full' | 'subset';
  /** Directory or URL, for messages and the set's `dir`. */
  dir: string;
  /** Keep only the first `limit` examples (default all). */
  limit?: number;
  /** Scale pixels to [0, 1] (default true). */
  normalize?: boolean;
  /** Names of the two files, for messages. */
  files?: { images: string; labels: string };
}

/**
 * A Fashion-MNIST split from its decoded images ([n, 28, 28] uint8) and labels
 * ([n] uint8, classes 0..9), checked; pixels scaled to [0, 1] unless asked not to.
 */
export function fashionMnistFromIdx(images: IdxArray<'uint8'>, labels: IdxArray<'uint8'>, o: FashionMnistOrigin): FashionMnistSet {
  const files = o.files ?? { images: `${o.dir} (images)`, labels: `${o.dir} (labels)` };
  if (images.shape.length !== 3 || images.shape[1] !== 28 || images.shape[2] !== 28) {
    throw corruptData(files.images, `images have shape [${images.shape.join(', ')}] instead of [n, 28, 28]`);
  }
  if (labels.shape.length !== 1 || labels.shape[0] !== images.shape[0]) {
    throw corruptData(files.labels, `labels have shape [${labels.shape.join(', ')}] but there are ${images.shape[0]} images`);
  }
  const normalize = o.normalize ?? true;
  const n = Math.min(images.shape[0]!, o.limit ?? Infinity);
  const pixels = 28 * 28;
  const out = new Float32Array(n * pixels);
  const scale = normalize ? 1 / 255 : 1;
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
    normalized: normalize,
  };
}

/** The IDX file names of each split (the full set's and the subset's). */
export const FASHION_MNIST_FILES: Readonly<Record<FashionMnistSplit, { images: string; labels: string }>> = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
};
