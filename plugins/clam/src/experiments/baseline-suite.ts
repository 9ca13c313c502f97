/**
 * The baselines of the paper's table, each tuned the way the authors tune
 * theirs (baselines.py): k-means++ with many restarts (one setting, the
 * lowest inertia), soft k-means over a stiffness grid and agglomerative
 * clustering over linkages, each keeping its best Silhouette.
 */
import { agglomerative, type Linkage } from '../baselines/agglomerative.js';
import { kMeans } from '../baselines/kmeans.js';
import { softKMeans } from '../baselines/soft-kmeans.js';
import type { HostMatrix } from '../internal/host-matrix.js';
import { silhouetteOrMinusOne } from './search.js';

/** One baseline's best clustering. */
export interface BaselineOutcome {
  silhouette: number;
  labels: Int32Array;
  /** The setting that won (e.g. 'restarts=100', 'stiffness=0.5', 'ward'). */
  setting: string;
  seconds: number;
}

/** Stiffness of soft k-means as multiples of 1/d (standardised data: mean squared distance to the mean is d). */
export const SOFT_KMEANS_STIFFNESS = [0.5, 1, 2, 4, 8, 16, 32];
/** Linkages tried (single linkage chains into one giant cluster on every data set here). */
export const LINKAGES: readonly Linkage[] = ['ward', 'average', 'complete'];

const timed = <T>(f: () => T): [T, number] => {
  const t = Date.now();
  const v = f();
  return [v, (Date.now() - t) / 1000];
};

/** k-means++ / Lloyd, best inertia of `restarts` runs. */
export function kmeansBaseline(x: HostMatrix, k: number, restarts: number, seed: number): BaselineOutcome & { inertia: number } {
  const [r, s] = timed(() => kMeans(x, k, { restarts, seed }));
  return { silhouette: silhouetteOrMinusOne(x, r.labels), labels: r.labels, setting: `restarts=${restarts}`, seconds: s, inertia: r.inertia };
}

/** Soft k-means: stiffness grid x `seeds` starts, best Silhouette. */
export function softKmeansBaseline(x: HostMatrix, k: number, seeds: number, seed: number, stiffness = SOFT_KMEANS_STIFFNESS): BaselineOutcome {
  const start = Date.now();
  let best: BaselineOutcome | undefined;
  for (const c of stiffness) {
    for (let r = 0; r < seeds; r++) {
      const run = softKMeans(x, k, { stiffness: c / x.d, seed: seed + r });
      const sil = silhouetteOrMinusOne(x, run.labels);
      if (!best || sil > best.silhouette) best = { silhouette: sil, labels: run.labels, setting: `stiffness=${c}/d`, seconds: 0 };
    }
  }
  return { ...best!, seconds: (Date.now() - start) / 1000 };
}

/** Agglomerative clustering: best Silhouette over `linkages`. */
export function agglomerativeBaseline(x: HostMatrix, k: number, linkages: readonly Linkage[] = LINKAGES): BaselineOutcome {
  const start = Date.now();
  let best: BaselineOutcome | undefined;
  for (const linkage of linkages) {
    const labels = agglomerative(x, k, linkage);
    const sil = silhouetteOrMinusOne(x, labels);
    if (!best || sil > best.silhouette) best = { silhouette: sil, labels, setting: linkage, seconds: 0 };
  }
  return { ...best!, seconds: (Date.now() - start) / 1000 };
}
