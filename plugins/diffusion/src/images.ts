/** Image preparation for the experiments: Fashion-MNIST at 14 x 14 in [-1, 1]. */
import { errors } from '@engram/core';
import { createRng, loadFashionMnist, type FashionMnistSource } from '@engram/data';
import { posInt } from './internal/validate.js';

/** Average-pools square images [n, size*size] by an integer factor (2: 28x28 -> 14x14). */
export function downsampleImages(images: Float32Array, count: number, size: number, factor: number): Float32Array {
  posInt('factor', factor);
  if (size % factor !== 0) throw errors.invalidArgument('factor', `a divisor of the image size ${size}`, factor);
  if (images.length < count * size * size) throw errors.invalidArgument('images', `at least ${count} images of ${size}x${size}`, images.length);
  const s = size / factor;
  const out = new Float32Array(count * s * s);
  const inv = 1 / (factor * factor);
  for (let n = 0; n < count; n++) {
    const src = n * size * size;
    const dst = n * s * s;
    for (let i = 0; i < s; i++) {
      for (let j = 0; j < s; j++) {
        let acc = 0;
        for (let a = 0; a < factor; a++) for (let b = 0; b < factor; b++) acc += images[src + (i * factor + a) * size + j * factor + b]!;
        out[dst + i * s + j] = acc * inv;
      }
    }
  }
  return out;
}

/** Options of {@link fashionPatterns}. */
export interface FashionPatternOptions {
  /** Number of images K. */
  count: number;
  /** 'full' (installed set), 'subset' (committed fixture) or 'auto' (default). */
  source?: FashionMnistSource;
  /** Pooling factor from 28 x 28 (default 2: 14 x 14). */
  factor?: number;
  /** Seed of the image choice; the first K of one seeded permutation, so sets are nested in K (default 0). */
  seed?: number;
}

/** K Fashion-MNIST training images, downsampled, mapped from [0, 1] to [-1, 1]; [K, side*side] flat. */
export function fashionPatterns(opts: FashionPatternOptions): { data: Float32Array; count: number; side: number; dim: number } {
  const count = posInt('count', opts.count);
  const factor = opts.factor ?? 2;
  const set = loadFashionMnist({ split: 'train', source: opts.source ?? 'auto' });
  if (count > set.count) throw errors.invalidArgument('count', `at most ${set.count} images (source '${set.source}')`, count);
  const perm = createRng(opts.seed ?? 0).permutation(set.count);
  const picked = new Float32Array(count * 784);
  for (let i = 0; i < count; i++) picked.set(set.images.subarray(perm[i]! * 784, (perm[i]! + 1) * 784), i * 784);
  const data = downsampleImages(picked, count, 28, factor);
  for (let i = 0; i < data.length; i++) data[i] = data[i]! * 2 - 1;
  const side = 28 / factor;
  return { data, count, side, dim: side * side };
}
