/**
 * Training images for the denoisers: a seeded subset of a data set (the first
 * `limit` of one seeded permutation, so subsets are nested in `limit`), square
 * images average-pooled to the model's size, pixels optionally mapped from
 * [0, 1] to [-1, 1]. The training face and the experiments read their data
 * through here, so both see the same images.
 */
import { errors, type ArrayDataset } from '@engram/core';
import { createRng } from '@engram/data';

/** Average-pools square images [count, side*side] by an integer factor (2: 28x28 -> 14x14). */
export function poolImages(images: Float32Array, count: number, side: number, factor: number): Float32Array {
  const s = side / factor;
  const out = new Float32Array(count * s * s);
  const inv = 1 / (factor * factor);
  for (let n = 0; n < count; n++) {
    const src = n * side * side;
    const dst = n * s * s;
    for (let i = 0; i < s; i++) {
      for (let j = 0; j < s; j++) {
        let acc = 0;
        for (let a = 0; a < factor; a++) for (let b = 0; b < factor; b++) acc += images[src + (i * factor + a) * side + j * factor + b]!;
        out[dst + i * s + j] = acc * inv;
      }
    }
  }
  return out;
}

/** What {@link pickImages} takes. */
export interface PickOptions {
  /** Size of a sample the model expects. */
  size: number;
  /** How many samples (at most the data set's count). */
  limit: number;
  /** Seed of the permutation. */
  seed: number;
  /** Map values from [0, 1] to [-1, 1]. */
  rescale: boolean;
  /** Name of the data set, for messages. */
  source: string;
}

/**
 * The first `limit` samples of a seeded permutation of `set`, as [count, size]
 * flat: as they are when a sample has `size` values, average-pooled when the
 * samples are square images whose side is an integer multiple of sqrt(size).
 */
export function pickImages(set: ArrayDataset, o: PickOptions): { data: Float32Array; count: number } {
  const sampleSize = set.shape.reduce((a, b) => a * b, 1);
  const side = set.shape.length === 2 && set.shape[0] === set.shape[1] ? set.shape[0]! : 0;
  const target = Math.round(Math.sqrt(o.size));
  const factor = sampleSize === o.size ? 1 : side > 0 && target * target === o.size && side % target === 0 ? side / target : 0;
  if (factor === 0) {
    throw errors.invalidArgument(
      `model size for data set '${o.source}'`,
      `${sampleSize} (its samples)${side ? ` or a pooled image size (${side}/f)^2 such as ${(side / 2) ** 2}` : ''}`,
      o.size,
    );
  }
  const count = Math.min(o.limit, set.count);
  const perm = createRng(o.seed).permutation(set.count);
  const picked = new Float32Array(count * sampleSize);
  for (let i = 0; i < count; i++) picked.set(set.data.subarray(perm[i]! * sampleSize, (perm[i]! + 1) * sampleSize), i * sampleSize);
  const data = factor === 1 ? picked : poolImages(picked, count, side, factor);
  if (o.rescale) for (let i = 0; i < data.length; i++) data[i] = data[i]! * 2 - 1;
  return { data, count };
}
