/**
 * The paper's hyper-parameter search (amc_t.py): one ClAM fit per grid point
 * (beta x learning rate x fill rule; the authors' grid is 4 x 3 x 3 = 36),
 * each scored by the Euclidean Silhouette of its clustering of the training
 * data, the best kept. A fit that puts everything in one cluster scores -1, as
 * in the authors' code.
 */
import { Clam } from '../clusterer/clam.js';
import type { ClamOptions } from '../clusterer/clam-options.js';
import type { HostMatrix } from '../internal/host-matrix.js';
import { compactLabels } from '../metrics/compact-labels.js';
import { silhouetteScore } from '../metrics/silhouette.js';
import type { FillRule } from '../models/clam-schema.js';

/** The grid searched. */
export interface SearchGrid {
  betas: readonly number[];
  lrs: readonly number[];
  fills: readonly FillRule[];
}

/** The authors' grid (hyper_params.py). */
export const PAPER_GRID: SearchGrid = { betas: [1.1, 1.5, 1.9, 2.4], lrs: [0.001, 0.01, 0.1], fills: ['mean', 'max', 'min'] };

/** One grid point's outcome. */
export interface SearchTrial {
  beta: number;
  lr: number;
  fill: FillRule;
  silhouette: number;
  /** Distinct clusters in the assignment. */
  clusters: number;
  /** Lowest epoch loss (sum of batch losses). */
  loss: number;
  /** Epochs run (the plateau schedule may stop early). */
  epochs: number;
  seconds: number;
}

/** The search's outcome: every trial, and the best one with its labels and prototypes. */
export interface SearchResult {
  trials: SearchTrial[];
  best: SearchTrial & { labels: Int32Array; prototypes: number[][] };
}

/** Options shared by every fit of the search (everything but k and the grid's keys). */
export type SearchBase = Omit<ClamOptions, 'k' | 'beta' | 'lr' | 'fill'>;

/** Silhouette of a clustering, or -1 when it has fewer than two clusters (the authors' convention). */
export function silhouetteOrMinusOne(x: HostMatrix, labels: Int32Array): number {
  const c = compactLabels(labels).count;
  return c < 2 || c > x.n - 1 ? -1 : silhouetteScore(x, labels);
}

/** Runs the grid on `x` with `k` clusters; `onTrial` hears each trial as it ends. */
export async function searchClam(
  x: HostMatrix,
  k: number,
  grid: SearchGrid,
  base: SearchBase = {},
  onTrial?: (t: SearchTrial) => void,
): Promise<SearchResult> {
  const trials: SearchTrial[] = [];
  let best: SearchResult['best'] | undefined;
  for (const fill of grid.fills) {
    for (const lr of grid.lrs) {
      for (const beta of grid.betas) {
        const start = Date.now();
        const clam = new Clam({ ...base, k, beta, lr, fill });
        try {
          await clam.fit(x);
          const labels = clam.labels;
          const trial: SearchTrial = {
            beta,
            lr,
            fill,
            silhouette: silhouetteOrMinusOne(x, labels),
            clusters: compactLabels(labels).count,
            loss: Math.min(...clam.history.map((h) => h.loss)),
            epochs: clam.history.length,
            seconds: (Date.now() - start) / 1000,
          };
          trials.push(trial);
          onTrial?.(trial);
          if (!best || trial.silhouette > best.silhouette) best = { ...trial, labels, prototypes: clam.prototypes() };
        } finally {
          clam.dispose();
        }
      }
    }
  }
  if (!best) throw new Error('unreachable: empty search grid');
  return { trials, best };
}
