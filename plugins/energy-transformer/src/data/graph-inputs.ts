/**
 * A benchmark graph as the graph ET reads it: standardised node features plus
 * the standardised log-degree (a structural encoding), Laplacian positional
 * encodings, and the adjacency.
 */
import { degrees, type AnomalyGraph } from './anomaly-graph.js';
import { laplacianPositionalEncoding } from './laplacian.js';

/** Host arrays of one graph's model inputs. */
export interface GraphInputArrays {
  nodes: number;
  /** [n, F + 1]: the standardised features, then the standardised log(1 + degree). */
  features: Float32Array;
  featureSize: number;
  /** [n, k]: the k smallest non-trivial Laplacian eigenvectors. */
  encodings: Float32Array;
  encodingSize: number;
  /** [n, n] 0/1 edges (no self-loops). */
  adjacency: Float32Array;
  /** The standardised features alone [n, F] (what the feature-only baselines see). */
  standardized: Float32Array;
}

/** (x - mean) / std of a list (std 1 when constant). */
export function standardize(x: ArrayLike<number>): Float32Array {
  let m = 0;
  for (let i = 0; i < x.length; i++) m += x[i]!;
  m /= x.length;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i]! - m) ** 2;
  s = Math.sqrt(s / x.length) || 1;
  return Float32Array.from({ length: x.length }, (_, i) => (x[i]! - m) / s);
}

/** Per-column standardisation of a row-major [n, F] matrix. */
export function standardizeColumns(x: Float32Array, n: number, F: number): Float32Array {
  const out = new Float32Array(n * F);
  for (let f = 0; f < F; f++) {
    const col = standardize(Float64Array.from({ length: n }, (_, i) => x[i * F + f]!));
    for (let i = 0; i < n; i++) out[i * F + f] = col[i]!;
  }
  return out;
}

/** The model inputs of a benchmark graph with `encodingSize` positional encodings. */
export function anomalyGraphInputs(g: AnomalyGraph, encodingSize: number): GraphInputArrays {
  const { n, featureDim: F } = g;
  const X = standardizeColumns(g.features, n, F);
  const logDeg = standardize(Float64Array.from(degrees(g.adjacency, n), (d) => Math.log1p(d)));
  const features = new Float32Array(n * (F + 1));
  for (let i = 0; i < n; i++) {
    features.set(X.subarray(i * F, (i + 1) * F), i * (F + 1));
    features[i * (F + 1) + F] = logDeg[i]!;
  }
  return {
    nodes: n,
    features,
    featureSize: F + 1,
    encodings: laplacianPositionalEncoding(g.adjacency, n, encodingSize),
    encodingSize,
    adjacency: Float32Array.from(g.adjacency),
    standardized: X,
  };
}
