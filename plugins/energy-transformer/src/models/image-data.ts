/**
 * The image ET's default data: Fashion-MNIST images (through the registered
 * data set 'data/fashion-mnist') in seeded shuffled batches, each with seeded
 * hidden patches.
 */
import * as tf from '@tensorflow/tfjs';
import { errors, type Engram, type TrainingData } from '@engram/core';
import { createRng, type FashionMnistSource } from '@engram/data';
import { randomHiddenPatches, type PatchGeometry } from './patches.js';

/** A training batch: images [b, S*S] and their hidden patches [b, N] (1 = hidden). */
export interface HiddenPatchBatch {
  images: tf.Tensor2D;
  hidden: tf.Tensor2D;
}

/** Images as a flat host array. */
export interface HostImages {
  count: number;
  images: Float32Array;
}

/** Fashion-MNIST images of a split, through the registry (load @engram/data's plugin). */
export async function fashionMnistImages(engram: Engram, split: 'train' | 'test', limit: number, source: FashionMnistSource): Promise<HostImages> {
  const set = await engram.dataset('data/fashion-mnist', { split, source, limit });
  return { count: set.count, images: set.data };
}

/**
 * Batches of `batchSize` images per epoch (the remainder dropped, as in the
 * first release: every batch has the same size), shuffled and masked with a
 * generator seeded by (seed, epoch), so that a run is reproducible.
 */
export function hiddenPatchBatches(data: HostImages, geo: PatchGeometry, o: { batchSize: number; hiddenRatio: number; seed: number }): TrainingData<HiddenPatchBatch> {
  const pixels = geo.imageSize * geo.imageSize;
  if (data.images.length !== data.count * pixels) throw errors.shapeMismatch('training images', [data.count, pixels], [data.count, data.images.length / Math.max(data.count, 1)]);
  if (data.count < 1) throw errors.invalidArgument('training images', 'at least one image', 0);
  const batchSize = Math.min(o.batchSize, data.count);
  const perEpoch = Math.floor(data.count / batchSize);
  return {
    batchesPerEpoch: perEpoch,
    *batches(epoch: number) {
      const rng = createRng(o.seed * 1000 + epoch);
      const order = rng.permutation(data.count);
      for (let b = 0; b < perEpoch; b++) {
        const images = new Float32Array(batchSize * pixels);
        for (let r = 0; r < batchSize; r++) {
          const k = order[b * batchSize + r]!;
          images.set(data.images.subarray(k * pixels, (k + 1) * pixels), r * pixels);
        }
        const hidden = randomHiddenPatches(batchSize, geo.patches, o.hiddenRatio, () => rng.uniform());
        yield { images: tf.tensor2d(images, [batchSize, pixels]), hidden: tf.tensor2d(hidden, [batchSize, geo.patches]) };
      }
    },
  };
}
