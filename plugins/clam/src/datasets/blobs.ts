/**
 * Seeded Gaussian blobs: `clusters` centres drawn uniformly in a box, and
 * `count` points around them with isotropic normal noise. The synthetic 2-D
 * data of the plots (prototype trajectories, energy landscape) and the
 * default training data of the model kind.
 */
import { seededRandom } from '@engram/core';
import { normalVariate as normal } from '../internal/seeded-normal.js';

/** Options of {@link gaussianBlobs}. */
export interface BlobOptions {
  count: number;
  size: number;
  clusters: number;
  /** Standard deviation of each blob (default 1). */
  spread?: number;
  /** Half-width of the box the centres are drawn in (default 5). */
  box?: number;
  seed?: number;
}

/** Points [count, size] (row-major) and the blob each came from. */
export interface Blobs {
  data: Float32Array;
  labels: Int32Array;
  centers: Float32Array;
}


/** Seeded Gaussian blobs; sample i belongs to blob i mod clusters (balanced). */
export function gaussianBlobs(options: BlobOptions): Blobs {
  const { count, size, clusters } = options;
  const spread = options.spread ?? 1;
  const box = options.box ?? 5;
  const rand = seededRandom(((options.seed ?? 0) * 2246822519 + 3266489917) >>> 0);
  const centers = new Float32Array(clusters * size);
  for (let i = 0; i < centers.length; i++) centers[i] = (2 * rand() - 1) * box;
  const data = new Float32Array(count * size);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const c = i % clusters;
    labels[i] = c;
    for (let j = 0; j < size; j++) data[i * size + j] = centers[c * size + j]! + spread * normal(rand);
  }
  return { data, labels, centers };
}
