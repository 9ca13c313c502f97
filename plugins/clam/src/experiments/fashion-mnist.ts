/**
 * ClAM and k-means on Fashion-MNIST (10,000 images of Debian's
 * dataset-fashion-mnist, the test split; k = 10): pixels standardised as the
 * paper does, Silhouette on the standardised pixels and ARI against the
 * labels. The paper clusters the 60,000 training images; 10,000 keep the run
 * (and the O(n^2) Silhouette) within reach of two shared cores.
 *
 * On a set in memory (any platform); `@engram/clam/node`'s
 * `fashionMnistExperiment` reads Debian's set from disk first.
 */
import type { FashionMnistSet } from '@engram/data';
import { kMeans } from '../baselines/kmeans.js';
import { Clam } from '../clusterer/clam.js';
import type { ClamOptions } from '../clusterer/clam-options.js';
import { standardize } from '../datasets/standardize.js';
import type { HostMatrix } from '../internal/host-matrix.js';
import { adjustedRandIndex } from '../metrics/adjusted-rand.js';
import { silhouetteOrMinusOne } from './search.js';

/** Options of {@link fashionMnistExperimentOn}. */
export interface FashionMnistOptions {
  /** Images (default 10,000, the whole test split; at most the set's). */
  count?: number;
  /** ClAM settings (k is 10). */
  clam?: Omit<ClamOptions, 'k'>;
  /** k-means++ restarts (default 10). */
  restarts?: number;
  seed?: number;
  /** Progress lines. */
  log?: (line: string) => void;
}

/** Scores of one method on Fashion-MNIST. */
export interface FashionMnistScore {
  silhouette: number;
  ari: number;
  seconds: number;
  setting: string;
}

/** The Fashion-MNIST comparison. */
export interface FashionMnistResult {
  n: number;
  d: number;
  k: number;
  clam: FashionMnistScore;
  kmeans: FashionMnistScore & { inertia: number };
}

/** Clusters the first `count` images of `set` with ClAM and k-means++ and scores both methods. */
export async function fashionMnistExperimentOn(set: FashionMnistSet, options: FashionMnistOptions = {}): Promise<FashionMnistResult> {
  const n = Math.min(set.count, options.count ?? 10000);
  const labels = set.labels.subarray(0, n);
  const raw: HostMatrix = { n, d: 784, data: Float64Array.from(set.images.subarray(0, n * 784)) };
  const x = standardize(raw);
  const k = 10;
  const seed = options.seed ?? 0;
  const log = options.log ?? (() => {});
  let t = Date.now();
  const clamOptions: ClamOptions = { beta: 1.5, lr: 0.01, epochs: 5, ...options.clam, k, seed };
  const clam = new Clam(clamOptions);
  let clamScore: FashionMnistScore;
  try {
    await clam.fit(x, { onEvent: (e) => e.type === 'epoch' && log(`fashion-mnist ClAM epoch ${e.epoch + 1}/${e.epochs} loss ${(e.loss * e.batch).toFixed(3)}`) });
    const found = clam.labels;
    const fitSeconds = (Date.now() - t) / 1000;
    clamScore = {
      silhouette: silhouetteOrMinusOne(x, found),
      ari: adjustedRandIndex(labels, found),
      seconds: fitSeconds,
      setting: `beta=${clam.options.beta}, lr=${clam.options.lr}, epochs=${clam.history.length}, batch=${clam.options.batchSize}`,
    };
  } finally {
    clam.dispose();
  }
  log(`fashion-mnist ClAM silhouette ${clamScore.silhouette.toFixed(4)} ARI ${clamScore.ari.toFixed(4)}`);
  t = Date.now();
  const restarts = options.restarts ?? 10;
  const km = kMeans(x, k, { restarts, seed });
  const kmSeconds = (Date.now() - t) / 1000;
  const kmScore = { silhouette: silhouetteOrMinusOne(x, km.labels), ari: adjustedRandIndex(labels, km.labels), seconds: kmSeconds, setting: `restarts=${restarts}`, inertia: km.inertia };
  log(`fashion-mnist k-means silhouette ${kmScore.silhouette.toFixed(4)} ARI ${kmScore.ari.toFixed(4)}`);
  return { n: x.n, d: x.d, k, clam: clamScore, kmeans: kmScore };
}
