/**
 * Data on the host as one row-major float64 array: what the metrics, the
 * baselines and the data-set loaders share. Every way a user can hand over
 * data (nested arrays, a 2-D tensor, an ArrayDataset, a flat array with its
 * shape) is read and checked here once, so every entry point gives the same
 * coded errors for empty data, ragged rows and NaN rows.
 */
import * as tf from '@tensorflow/tfjs';
import { errors, isArrayDataset, type ArrayDataset } from '@engram/core';

/** `n` samples of `d` features, row-major. */
export interface HostMatrix {
  readonly n: number;
  readonly d: number;
  readonly data: Float64Array;
}

/** A flat array and its `[n, d]` shape. */
export interface FlatData {
  readonly data: ArrayLike<number>;
  readonly shape: readonly [number, number];
}

/** What the clustering API accepts as data: rows, a 2-D tensor, a flat array with its shape, or a data set. */
export type DataInput = readonly (readonly number[])[] | tf.Tensor | FlatData | ArrayDataset | HostMatrix;

const isFlat = (v: unknown): v is FlatData =>
  typeof v === 'object' && v !== null && 'data' in v && 'shape' in v && Array.isArray((v as FlatData).shape) && !isArrayDataset(v);

const isHost = (v: unknown): v is HostMatrix =>
  typeof v === 'object' && v !== null && (v as HostMatrix).data instanceof Float64Array && Number.isInteger((v as HostMatrix).n) && Number.isInteger((v as HostMatrix).d);

/** Reads and checks data: at least one sample, at least one feature, every entry finite (a copy, except for a HostMatrix, returned as is). */
export function readMatrix(input: DataInput, what = 'data'): HostMatrix {
  let n: number;
  let d: number;
  let data: Float64Array;
  if (isHost(input)) {
    ({ n, d, data } = input);
    if (data.length !== n * d) throw errors.shapeMismatch(`${what}.data (flat length)`, [n * d], [data.length]);
  } else if (input instanceof tf.Tensor) {
    if (input.rank !== 2) throw errors.shapeMismatch(`${what} (a tensor of samples)`, ['n', 'd'], input.shape);
    [n, d] = input.shape as [number, number];
    data = Float64Array.from(input.dataSync());
  } else if (isArrayDataset(input)) {
    n = input.count;
    d = input.shape.reduce((a, b) => a * b, 1);
    data = Float64Array.from(input.data);
  } else if (isFlat(input)) {
    [n, d] = input.shape;
    if (!Number.isInteger(n) || !Number.isInteger(d) || n < 0 || d < 0) throw errors.invalidArgument(`${what}.shape`, 'two non-negative integers [n, d]', input.shape);
    if (input.data.length !== n * d) throw errors.shapeMismatch(`${what}.data (flat length)`, [n * d], [input.data.length]);
    data = Float64Array.from(input.data);
  } else if (Array.isArray(input)) {
    const rows = input as readonly (readonly number[])[];
    n = rows.length;
    d = n > 0 && Array.isArray(rows[0]) ? rows[0]!.length : 0;
    data = new Float64Array(n * d);
    rows.forEach((row, i) => {
      if (!Array.isArray(row)) throw errors.invalidArgument(`${what}[${i}]`, 'an array of numbers (one row per sample)', row);
      if (row.length !== d) throw errors.shapeMismatch(`${what}[${i}] (row length)`, [d], [row.length]);
      for (let j = 0; j < d; j++) data[i * d + j] = typeof row[j] === 'number' ? row[j]! : NaN;
    });
  } else {
    throw errors.invalidArgument(what, 'rows of numbers, a 2-D tensor, { data, shape: [n, d] } or an ArrayDataset', input);
  }
  if (n === 0) throw errors.invalidArgument(`${what}`, 'at least one sample (it is empty)', `${n} samples`);
  if (d === 0) throw errors.invalidArgument(`${what}`, 'at least one feature per sample', `${d} features`);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      if (!Number.isFinite(data[i * d + j]!)) throw errors.nonFiniteInput(`${what} row ${i} (feature ${j})`);
    }
  }
  return { n, d, data };
}

/** Checks that `x` has `d` features (e.g. predict after fit). */
export function assertFeatures(x: HostMatrix, d: number, what: string): void {
  if (x.d !== d) throw errors.shapeMismatch(`${what} (features per sample)`, ['n', d], [x.n, x.d]);
}

/** Checks a number of clusters against the number of samples. */
export function assertClusters(k: number, n: number, what = 'k'): void {
  if (!Number.isInteger(k) || k < 2) throw errors.invalidArgument(what, 'an integer >= 2 (one cluster is no clustering)', k);
  if (k > n) throw errors.invalidArgument(what, `at most the number of samples (${n})`, k);
}

/** Checks integer labels: one per sample, each in [0, k). */
export function readLabels(labels: ArrayLike<number>, n: number, what = 'labels'): Int32Array {
  if (labels.length !== n) throw errors.shapeMismatch(`${what} (one per sample)`, [n], [labels.length]);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = labels[i]!;
    if (!Number.isInteger(v) || v < 0) throw errors.invalidArgument(`${what}[${i}]`, 'a non-negative integer cluster index', v);
    out[i] = v;
  }
  return out;
}

/** The rows as nested arrays (what ml-kmeans takes). */
export function toRows(x: HostMatrix): number[][] {
  return Array.from({ length: x.n }, (_, i) => Array.from(x.data.subarray(i * x.d, (i + 1) * x.d)));
}

/** A float32 tensor [n, d] of the matrix (caller owns it). */
export function toTensor2d(x: HostMatrix): tf.Tensor2D {
  return tf.tensor2d(Float32Array.from(x.data), [x.n, x.d]);
}

/** Squared Euclidean distance between row i of `a` and row j of `b`. */
export function squaredDistance(a: HostMatrix, i: number, b: HostMatrix, j: number): number {
  let s = 0;
  const d = a.d;
  const ao = i * d;
  const bo = j * d;
  for (let t = 0; t < d; t++) {
    const u = a.data[ao + t]! - b.data[bo + t]!;
    s += u * u;
  }
  return s;
}

/** Index of the nearest row of `centers` to each row of `x` (ties: the lower index). */
export function nearestRows(x: HostMatrix, centers: HostMatrix): Int32Array {
  const out = new Int32Array(x.n);
  for (let i = 0; i < x.n; i++) {
    let best = Infinity;
    let arg = 0;
    for (let c = 0; c < centers.n; c++) {
      const dist = squaredDistance(x, i, centers, c);
      if (dist < best) {
        best = dist;
        arg = c;
      }
    }
    out[i] = arg;
  }
  return out;
}
