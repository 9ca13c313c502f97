/**
 * One row of the paper's comparison (Table 2 of Saha et al.): a data set,
 * standardised, clustered into k = its number of classes by ClAM (the grid
 * search) and by the three baselines; Silhouette on the standardised data and
 * ARI against the classes for each.
 */
import type { HostMatrix } from '../internal/host-matrix.js';
import { adjustedRandIndex } from '../metrics/adjusted-rand.js';
import { agglomerativeBaseline, kmeansBaseline, softKmeansBaseline } from './baseline-suite.js';
import { searchClam, type SearchBase, type SearchGrid, type SearchTrial } from './search.js';

/** Settings of {@link benchmarkDataset}. */
export interface BenchmarkSettings {
  grid: SearchGrid;
  /** Options of every ClAM fit (epochs, batch size, seed, ...). */
  clam: SearchBase;
  /** k-means++ restarts. */
  restarts: number;
  /** Starts per soft k-means stiffness. */
  softSeeds: number;
  /** Run agglomerative clustering (O(n^2) memory). */
  agglomerative: boolean;
  seed: number;
  /** Train the grid as one batched bank (default: up to 256 features). */
  batched?: boolean;
  /** Keep only fits that use this fraction of the k clusters (searchClam's option of that name). */
  minClusterFraction?: number;
  onTrial?: (t: SearchTrial) => void;
}

/** Scores of one method. */
export interface MethodScore {
  silhouette: number;
  ari: number;
  setting: string;
  seconds: number;
}

/** One row of the comparison. */
export interface BenchmarkRow {
  id: string;
  name: string;
  n: number;
  d: number;
  k: number;
  /** `init`: the initial prototypes of the best fit, set when rows of runs with different inits are merged (scripts/merge-results.ts --best). */
  clam: MethodScore & { beta: number; lr: number; fill: string; init?: string; trials: SearchTrial[]; prototypes: number[][] };
  kmeans: MethodScore & { inertia: number };
  softKmeans: MethodScore;
  agglomerative: MethodScore | null;
}

/** Runs ClAM and the baselines on standardised `x` with classes `truth`. */
export async function benchmarkDataset(id: string, name: string, x: HostMatrix, truth: Int32Array, k: number, s: BenchmarkSettings): Promise<BenchmarkRow> {
  const start = Date.now();
  const search = await searchClam(x, k, s.grid, { seed: s.seed, ...s.clam }, { ...(s.batched !== undefined ? { batched: s.batched } : {}), ...(s.minClusterFraction !== undefined ? { minClusterFraction: s.minClusterFraction } : {}), ...(s.onTrial ? { onTrial: s.onTrial } : {}) });
  const clamSeconds = (Date.now() - start) / 1000;
  const km = kmeansBaseline(x, k, s.restarts, s.seed);
  const soft = softKmeansBaseline(x, k, s.softSeeds, s.seed);
  const agg = s.agglomerative ? agglomerativeBaseline(x, k) : null;
  const score = (o: { silhouette: number; labels: Int32Array; setting: string; seconds: number }): MethodScore => ({
    silhouette: o.silhouette,
    ari: adjustedRandIndex(truth, o.labels),
    setting: o.setting,
    seconds: o.seconds,
  });
  const b = search.best;
  return {
    id,
    name,
    n: x.n,
    d: x.d,
    k,
    clam: {
      silhouette: b.silhouette,
      ari: adjustedRandIndex(truth, b.labels),
      setting: `beta=${b.beta}, lr=${b.lr}, fill=${b.fill}`,
      seconds: clamSeconds,
      beta: b.beta,
      lr: b.lr,
      fill: b.fill,
      trials: search.trials,
      prototypes: b.prototypes,
    },
    kmeans: { ...score(km), inertia: km.inertia },
    softKmeans: score(soft),
    agglomerative: agg ? score(agg) : null,
  };
}
