/**
 * The Euclidean Silhouette Coefficient (Rousseeuw, 1987), as scikit-learn's
 * silhouette_score computes it: for each sample, a = mean distance to the
 * other members of its cluster, b = the smallest mean distance to another
 * cluster, s = (b - a) / max(a, b), and s = 0 for a sample alone in its
 * cluster; the score is the mean of s over all samples.
 *
 * Exact in float64 on the host for small problems; for large ones (n^2 d
 * above `hostLimit`) the distance sums come from float32 matrix products on
 * the tfjs backend, a block of rows at a time.
 */
import * as tf from '@tensorflow/tfjs';
import { errors } from '@engram/core';
import { readLabels, type HostMatrix } from '../internal/host-matrix.js';
import { compactLabels } from './compact-labels.js';

/** Options of {@link silhouetteScore}. */
export interface SilhouetteOptions {
  /** Largest n^2 d computed on the host in float64 (default 2e9); above it, tfjs float32 blocks. */
  hostLimit?: number;
  /** Rows per block of the tfjs path (default 512). */
  blockRows?: number;
}

/** Sum of the distances of each sample to the members of each cluster, [n * c], float64 on the host. */
function hostDistanceSums(x: HostMatrix, ids: Int32Array, c: number): Float64Array {
  const { n, d, data } = x;
  const sums = new Float64Array(n * c);
  for (let i = 0; i < n; i++) {
    const io = i * d;
    for (let j = i + 1; j < n; j++) {
      const jo = j * d;
      let s = 0;
      for (let t = 0; t < d; t++) {
        const u = data[io + t]! - data[jo + t]!;
        s += u * u;
      }
      const dist = Math.sqrt(s);
      sums[i * c + ids[j]!]! += dist;
      sums[j * c + ids[i]!]! += dist;
    }
  }
  return sums;
}

/** The same sums from blocks of float32 distance matrices (||a||^2 + ||b||^2 - 2 a.b, clipped at 0). */
function tfDistanceSums(x: HostMatrix, ids: Int32Array, c: number, blockRows: number): Float64Array {
  const sums = new Float64Array(x.n * c);
  const all = tf.tensor2d(Float32Array.from(x.data), [x.n, x.d]);
  const oneHot = tf.oneHot(tf.tensor1d(ids, 'int32'), c).toFloat();
  const norms = tf.sum(tf.square(all), 1);
  try {
    for (let start = 0; start < x.n; start += blockRows) {
      const rows = Math.min(blockRows, x.n - start);
      const block = tf.tidy(() => {
        const a = tf.slice(all, [start, 0], [rows, x.d]);
        const an = tf.slice(norms, [start], [rows]).reshape([rows, 1]);
        const sq = tf.relu(tf.sub(tf.add(an, norms.reshape([1, x.n])), tf.mul(tf.matMul(a, all, false, true), 2)));
        // Zero the self-distances exactly (round-off leaves small positives there).
        const self = tf.oneHot(tf.range(start, start + rows, 1, 'int32'), x.n).toFloat();
        return tf.matMul(tf.mul(tf.sqrt(sq), tf.sub(1, self)), oneHot);
      });
      sums.set(block.dataSync(), start * c);
      block.dispose();
    }
  } finally {
    tf.dispose([all, oneHot, norms]);
  }
  return sums;
}

/** Per-sample silhouette values s_i (see the module comment). */
export function silhouetteSamples(x: HostMatrix, labels: ArrayLike<number>, options: SilhouetteOptions = {}): Float64Array {
  readLabels(labels, x.n);
  const { ids, count: c } = compactLabels(labels);
  if (c < 2 || c > x.n - 1) {
    throw errors.invalidArgument('labels', `between 2 and n - 1 = ${x.n - 1} distinct clusters for a Silhouette`, `${c} clusters`);
  }
  const sizes = new Float64Array(c);
  for (const id of ids) sizes[id]! += 1;
  const work = x.n * x.n * x.d;
  const sums = work <= (options.hostLimit ?? 2e9) ? hostDistanceSums(x, ids, c) : tfDistanceSums(x, ids, c, options.blockRows ?? 512);
  const s = new Float64Array(x.n);
  for (let i = 0; i < x.n; i++) {
    const own = ids[i]!;
    if (sizes[own]! <= 1) continue;
    const a = sums[i * c + own]! / (sizes[own]! - 1);
    let b = Infinity;
    for (let k = 0; k < c; k++) if (k !== own) b = Math.min(b, sums[i * c + k]! / sizes[k]!);
    const m = Math.max(a, b);
    s[i] = m > 0 ? (b - a) / m : 0;
  }
  return s;
}

/** The mean Silhouette Coefficient of a clustering (Euclidean). */
export function silhouetteScore(x: HostMatrix, labels: ArrayLike<number>, options: SilhouetteOptions = {}): number {
  const s = silhouetteSamples(x, labels, options);
  let total = 0;
  for (const v of s) total += v;
  return total / s.length;
}
