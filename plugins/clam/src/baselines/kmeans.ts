/**
 * Lloyd's k-means with k-means++ seeding and many restarts (the paper's
 * baseline: scikit-learn's KMeans(init='k-means++', n_init=...)), on mljs'
 * ml-kmeans for each run: the restart with the lowest inertia wins. Restart r
 * uses seed `seed + r`.
 */
import { kmeans } from 'ml-kmeans';
import { assertClusters, nearestRows, toRows, type HostMatrix } from '../internal/host-matrix.js';
import { inertiaOf } from '../metrics/inertia.js';

/** Options of {@link kMeans}. */
export interface KMeansOptions {
  /** Independent k-means++ runs (default 100). */
  restarts?: number;
  /** Seed of the first run (default 0). */
  seed?: number;
  /** Lloyd iterations per run (default 300, as scikit-learn). */
  maxIterations?: number;
  /** Stop when no centre moves by more than this squared distance (default 1e-8). */
  tolerance?: number;
}

/** A clustering with centres. */
export interface CentroidClustering {
  labels: Int32Array;
  centers: HostMatrix;
  inertia: number;
}

/** The result of {@link kMeans}: the best run, and how the restarts went. */
export interface KMeansResult extends CentroidClustering {
  restarts: number;
  /** Inertia of every restart. */
  inertias: number[];
}

/** Best-of-`restarts` k-means++ / Lloyd clustering of `x` into `k` clusters. */
export function kMeans(x: HostMatrix, k: number, options: KMeansOptions = {}): KMeansResult {
  assertClusters(k, x.n);
  const restarts = options.restarts ?? 100;
  const rows = toRows(x);
  let best: CentroidClustering | undefined;
  const inertias: number[] = [];
  for (let r = 0; r < restarts; r++) {
    const run = kmeans(rows, k, {
      initialization: 'kmeans++',
      seed: (options.seed ?? 0) + r,
      maxIterations: options.maxIterations ?? 300,
      tolerance: options.tolerance ?? 1e-8,
    });
    const centers: HostMatrix = { n: k, d: x.d, data: Float64Array.from(run.centroids.flat()) };
    // Labels from the final centres (ml-kmeans reports those of the last assignment step).
    const labels = nearestRows(x, centers);
    const inertia = inertiaOf(x, labels, centers);
    inertias.push(inertia);
    if (!best || inertia < best.inertia) best = { labels, centers, inertia };
  }
  return { ...best!, restarts, inertias };
}
