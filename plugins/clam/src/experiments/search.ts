/**
 * The paper's hyper-parameter search (amc_t.py): one ClAM fit per grid point
 * (beta x learning rate x fill rule; the authors' grid is 4 x 3 x 3 = 36),
 * each scored by the Euclidean Silhouette of its clustering of the training
 * data, the best kept. A fit that puts everything in one cluster scores -1, as
 * in the authors' code. By default the grid trains as one batched bank
 * (grid-bank.ts), which gives the same prototypes as one fit per point.
 */
import * as tf from '@tensorflow/tfjs';
import { errors, parseConfig } from '@engram/core';
import { Clam } from '../clusterer/clam.js';
import { clamOptionsSchema, type ClamOptions, type ResolvedClamOptions } from '../clusterer/clam-options.js';
import { assertClusters, toTensor2d, type HostMatrix } from '../internal/host-matrix.js';
import { ClamModel } from '../models/clam-model.js';
import { trainBank, type BankConfig } from './grid-bank.js';
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
  /** Training seconds (batched: the bank's time divided by the number of points). */
  seconds: number;
}

/** The search's outcome: every trial, and the best one with its labels and prototypes. */
export interface SearchResult {
  trials: SearchTrial[];
  best: SearchTrial & { labels: Int32Array; prototypes: number[][] };
  /** False when no fit used the clusters {@link SearchOptions.minClusterFraction} asks for (best is then the best of all). */
  minClustersMet: boolean;
}

/** Options shared by every fit of the search (everything but k and the grid's keys). */
export type SearchBase = Omit<ClamOptions, 'k' | 'beta' | 'lr' | 'fill'>;

/** Silhouette of a clustering, or -1 when it has fewer than two clusters (the authors' convention). */
export function silhouetteOrMinusOne(x: HostMatrix, labels: Int32Array): number {
  const c = compactLabels(labels).count;
  return c < 2 || c > x.n - 1 ? -1 : silhouetteScore(x, labels);
}

/** Above this many features the batched bank is no faster than separate fits (tfjs wasm, measured on Yale's 1,024). */
export const BANK_MAX_FEATURES = 256;

/** How the grid is trained. */
export interface SearchOptions {
  /** All points at once (see grid-bank.ts), or one `Clam` fit after another; default: batched up to {@link BANK_MAX_FEATURES} features. */
  batched?: boolean;
  /**
   * Keep as best only fits whose assignment uses at least this fraction of the
   * k clusters (1: all k). Default 0: any fit, as the authors (the Silhouette
   * alone then often picks a fit that merged most clusters). When no fit
   * qualifies, the best of all is kept and `minClustersMet` is false.
   */
  minClusterFraction?: number;
  onTrial?: (t: SearchTrial) => void;
}

/** Scores one trained grid point: the assignment of `x` by a model with these prototypes. */
function scoreTrial(x: HostMatrix, k: number, o: ResolvedClamOptions, cfg: BankConfig, prototypes: Float32Array, losses: number[], seconds: number) {
  const model = new ClamModel({ size: x.d, memories: k, beta: cfg.beta, dt: o.dt, ...(o.steps !== undefined ? { steps: o.steps } : {}) }, tf.tensor2d(prototypes, [k, x.d]));
  const t = toTensor2d(x);
  try {
    const labels = model.assign(t);
    const trial: SearchTrial = {
      // Only the grid point: the bank's outcome also carries prototypes and the loss curve,
      // which spread into every trial of results.json (256 KB per data set).
      beta: cfg.beta,
      lr: cfg.lr,
      fill: cfg.fill,
      silhouette: silhouetteOrMinusOne(x, labels),
      clusters: compactLabels(labels).count,
      loss: Math.min(...losses),
      epochs: losses.length,
      seconds,
    };
    const rows: number[][] = Array.from({ length: k }, (_, c) => Array.from(prototypes.subarray(c * x.d, (c + 1) * x.d)));
    return { trial, labels, prototypes: rows };
  } finally {
    t.dispose();
    model.dispose();
  }
}

/** Runs the grid on `x` with `k` clusters; `onTrial` hears each trial as it is scored. */
export async function searchClam(x: HostMatrix, k: number, grid: SearchGrid, base: SearchBase = {}, options: SearchOptions = {}): Promise<SearchResult> {
  const o = parseConfig(clamOptionsSchema, { ...base, k }, 'searchClam', 'options');
  assertClusters(k, x.n);
  const configs: BankConfig[] = grid.fills.flatMap((fill) => grid.lrs.flatMap((lr) => grid.betas.map((beta) => ({ beta, lr, fill }))));
  if (configs.length === 0) throw errors.invalidArgument('grid', 'at least one beta, learning rate and fill rule', grid);
  const fraction = options.minClusterFraction ?? 0;
  if (!(fraction >= 0 && fraction <= 1)) throw errors.invalidArgument('minClusterFraction', 'a number in [0, 1]', fraction);
  const required = Math.ceil(fraction * k);
  const trials: SearchTrial[] = [];
  let best: SearchResult['best'] | undefined;
  let bestQualified: SearchResult['best'] | undefined;
  const keep = (r: ReturnType<typeof scoreTrial>): void => {
    trials.push(r.trial);
    options.onTrial?.(r.trial);
    const entry = { ...r.trial, labels: r.labels, prototypes: r.prototypes };
    if (!best || entry.silhouette > best.silhouette) best = entry;
    if (entry.clusters >= required && (!bestQualified || entry.silhouette > bestQualified.silhouette)) bestQualified = entry;
  };
  if (options.batched ?? x.d <= BANK_MAX_FEATURES) {
    const start = Date.now();
    const outcomes = await trainBank(x, k, configs, o);
    const seconds = (Date.now() - start) / 1000 / configs.length;
    for (const out of outcomes) keep(scoreTrial(x, k, o, out, out.prototypes, out.losses, seconds));
  } else {
    for (const cfg of configs) {
      const start = Date.now();
      const clam = new Clam({ ...base, k, ...cfg });
      try {
        await clam.fit(x);
        const p = Float32Array.from(clam.prototypes().flat());
        keep(scoreTrial(x, k, o, cfg, p, clam.history.map((h) => h.loss), (Date.now() - start) / 1000));
      } finally {
        clam.dispose();
      }
    }
  }
  return { trials, best: bestQualified ?? best!, minClustersMet: bestQualified !== undefined };
}
