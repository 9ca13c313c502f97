/**
 * Soft k-means (MacKay, Information Theory, Inference and Learning
 * Algorithms, ch. 20): responsibilities r_ik proportional to
 * exp(-stiffness ||x_i - m_k||^2), centres the responsibility-weighted means,
 * iterated to a fixed point from k-means++ seeds; the clustering is each
 * sample's most responsible centre. Large stiffness tends to k-means, small
 * stiffness pulls every centre to the data mean.
 */
import { errors } from '@engram/core';
import { assertClusters, squaredDistance, type HostMatrix } from '../internal/host-matrix.js';
import { kmeansPlusPlusCenters } from '../internal/kmeanspp.js';
import { inertiaOf } from '../metrics/inertia.js';
import type { CentroidClustering } from './kmeans.js';

/** Options of {@link softKMeans}. */
export interface SoftKMeansOptions {
  /** beta of the responsibilities (required, > 0). */
  stiffness: number;
  /** Seed of the k-means++ start (default 0). */
  seed?: number;
  /** Most iterations (default 300). */
  maxIterations?: number;
  /** Stop when no centre moves by more than this (squared distance, default 1e-10). */
  tolerance?: number;
}

/** One soft k-means run of `x` into `k` clusters. */
export function softKMeans(x: HostMatrix, k: number, options: SoftKMeansOptions): CentroidClustering & { iterations: number } {
  assertClusters(k, x.n);
  const beta = options.stiffness;
  if (!(beta > 0) || !Number.isFinite(beta)) throw errors.invalidArgument('stiffness', 'a positive finite number', beta);
  const { n, d } = x;
  let centers = kmeansPlusPlusCenters(x, k, options.seed ?? 0);
  const r = new Float64Array(n * k);
  const tol = options.tolerance ?? 1e-10;
  let iterations = 0;
  for (; iterations < (options.maxIterations ?? 300); iterations++) {
    for (let i = 0; i < n; i++) {
      let min = Infinity;
      for (let c = 0; c < k; c++) {
        const e = beta * squaredDistance(x, i, centers, c);
        r[i * k + c] = e;
        min = Math.min(min, e);
      }
      let z = 0;
      for (let c = 0; c < k; c++) {
        const w = Math.exp(min - r[i * k + c]!);
        r[i * k + c] = w;
        z += w;
      }
      for (let c = 0; c < k; c++) r[i * k + c]! /= z;
    }
    const next = new Float64Array(k * d);
    const mass = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < k; c++) {
        const w = r[i * k + c]!;
        mass[c]! += w;
        for (let t = 0; t < d; t++) next[c * d + t]! += w * x.data[i * d + t]!;
      }
    }
    let moved = 0;
    for (let c = 0; c < k; c++) {
      for (let t = 0; t < d; t++) next[c * d + t] = mass[c]! > 0 ? next[c * d + t]! / mass[c]! : centers.data[c * d + t]!;
      let s = 0;
      for (let t = 0; t < d; t++) s += (next[c * d + t]! - centers.data[c * d + t]!) ** 2;
      moved = Math.max(moved, s);
    }
    centers = { n: k, d, data: next };
    if (moved <= tol) {
      iterations++;
      break;
    }
  }
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    for (let c = 0; c < k; c++) {
      const dist = squaredDistance(x, i, centers, c);
      if (dist < best) {
        best = dist;
        labels[i] = c;
      }
    }
  }
  return { labels, centers, inertia: inertiaOf(x, labels, centers), iterations };
}
