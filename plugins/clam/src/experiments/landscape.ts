/**
 * The 2-D picture of ClAM: a fit on seeded Gaussian blobs with the
 * prototypes recorded after every epoch (their trajectories), and the energy
 * E(x) on a grid over the data (the landscape whose basins are the clusters).
 */
import * as tf from '@tensorflow/tfjs';
import { Clam } from '../clusterer/clam.js';
import type { ClamOptions } from '../clusterer/clam-options.js';
import { gaussianBlobs } from '../datasets/blobs.js';
import { standardize } from '../datasets/standardize.js';
import type { HostMatrix } from '../internal/host-matrix.js';
import { adjustedRandIndex } from '../metrics/adjusted-rand.js';
import { silhouetteScore } from '../metrics/silhouette.js';

/** Options of {@link landscape2d}. */
export interface LandscapeOptions {
  /** Points (default 500). */
  count?: number;
  /** Blobs = clusters (default 5). */
  clusters?: number;
  /** Grid cells per axis of the energy (default 60). */
  resolution?: number;
  seed?: number;
  /** ClAM options (k is the number of blobs). */
  clam?: Omit<ClamOptions, 'k' | 'record'>;
}

/** The fit, its trajectories and its energy grid. */
export interface Landscape {
  points: HostMatrix;
  truth: Int32Array;
  labels: Int32Array;
  /** Prototypes [k * 2] per epoch, epoch 0 first. */
  trajectory: Float32Array[];
  /** Final prototypes. */
  prototypes: number[][];
  /** Energy on the grid, row-major, rows from y max (top) to y min. */
  energy: Float32Array;
  resolution: number;
  xRange: [number, number];
  yRange: [number, number];
  silhouette: number;
  ari: number;
  beta: number;
}

/** Fits ClAM on 2-D blobs and evaluates its energy landscape. */
export async function landscape2d(options: LandscapeOptions = {}): Promise<Landscape> {
  const k = options.clusters ?? 5;
  const blobs = gaussianBlobs({ count: options.count ?? 500, size: 2, clusters: k, seed: options.seed ?? 0, spread: 0.8 });
  const points = standardize({ n: blobs.labels.length, d: 2, data: Float64Array.from(blobs.data) });
  const clam = new Clam({ beta: 2.4, lr: 0.05, epochs: 30, ...options.clam, k, record: true, seed: options.seed ?? 0 });
  try {
    await clam.fit(points);
    const labels = clam.labels;
    const res = options.resolution ?? 60;
    let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
    for (let i = 0; i < points.n; i++) {
      x0 = Math.min(x0, points.data[2 * i]!);
      x1 = Math.max(x1, points.data[2 * i]!);
      y0 = Math.min(y0, points.data[2 * i + 1]!);
      y1 = Math.max(y1, points.data[2 * i + 1]!);
    }
    const pad = 0.1 * Math.max(x1 - x0, y1 - y0);
    [x0, x1, y0, y1] = [x0 - pad, x1 + pad, y0 - pad, y1 + pad];
    const grid = new Float32Array(res * res * 2);
    for (let r = 0; r < res; r++) {
      for (let c = 0; c < res; c++) {
        grid[(r * res + c) * 2] = x0 + ((c + 0.5) / res) * (x1 - x0);
        grid[(r * res + c) * 2 + 1] = y1 - ((r + 0.5) / res) * (y1 - y0);
      }
    }
    const g = tf.tensor2d(grid, [res * res, 2]);
    const e = clam.model.energy(g);
    const energy = Float32Array.from(e.total.dataSync());
    tf.dispose([g, e.total, ...Object.values(e.terms ?? {})]);
    return {
      points,
      truth: blobs.labels,
      labels,
      trajectory: [...clam.trajectory],
      prototypes: clam.prototypes(),
      energy,
      resolution: res,
      xRange: [x0, x1],
      yRange: [y0, y1],
      silhouette: silhouetteScore(points, labels),
      ari: adjustedRandIndex(blobs.labels, labels),
      beta: clam.options.beta,
    };
  } finally {
    clam.dispose();
  }
}
