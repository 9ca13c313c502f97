/**
 * A seeded node-anomaly benchmark graph in the style of PyGOD's injection
 * protocol (Liu et al., BOND, NeurIPS 2022):
 *
 * - the base graph is a degree-corrected stochastic block model (communities,
 *   heavy-tailed node propensities, so degree alone is a weak anomaly signal),
 *   with features drawn around a per-community mean;
 * - structural anomalies: `cliques` groups of `cliqueSize` random nodes made
 *   fully connected (gen_structural_outlier);
 * - contextual anomalies: `contextual` random nodes whose features are replaced
 *   by those of the farthest (Euclidean) of `candidates` random nodes
 *   (gen_contextual_outlier).
 */
import { errors } from '@engram/core';
import { createRng } from '@engram/data';

/** Options of {@link anomalyGraph}. */
export interface AnomalyGraphOptions {
  nodes?: number;
  communities?: number;
  features?: number;
  /** Mean degree of the base graph (default 8). */
  meanDegree?: number;
  /** Fraction of a node's edges that stay inside its community (default 0.8). */
  homophily?: number;
  /** Injected cliques (default: one per 200 nodes, at least 1). */
  cliques?: number;
  /** Nodes per clique (default nodes / 20, within [3, 10]). */
  cliqueSize?: number;
  /** Contextual outliers (default 5% of the nodes, at least 1). */
  contextual?: number;
  candidates?: number;
  /** Pareto exponent of the degree propensities (default 1.8; larger = more uniform degrees). */
  degreeTail?: number;
  seed?: number;
}

/** The benchmark graph. */
export interface AnomalyGraph {
  n: number;
  /** Symmetric 0/1 adjacency, row-major n x n, no self-loops. */
  adjacency: Uint8Array;
  /** Node features, row-major [n, features]. */
  features: Float32Array;
  featureDim: number;
  /** 1 for anomalous nodes. */
  labels: Uint8Array;
  /** 0 normal, 1 structural, 2 contextual (both: 3). */
  kind: Uint8Array;
  community: Int32Array;
}

/**
 * The default anomaly counts for `nodes` nodes: the experiment's 5% structural
 * (3 cliques of 10 at 600 nodes) and 5% contextual outliers, scaled down for
 * small graphs.
 */
export function defaultAnomalies(nodes: number): { cliques: number; cliqueSize: number; contextual: number } {
  return {
    cliques: Math.max(1, Math.round(nodes / 200)),
    cliqueSize: Math.max(3, Math.min(10, Math.round(nodes / 20))),
    contextual: Math.max(1, Math.round(nodes / 20)),
  };
}

/** Builds the seeded benchmark graph (see the module comment). */
export function anomalyGraph(o: AnomalyGraphOptions = {}): AnomalyGraph {
  const n = o.nodes ?? 600;
  const C = o.communities ?? 6;
  const F = o.features ?? 16;
  const meanDegree = o.meanDegree ?? 8;
  const homophily = o.homophily ?? 0.8;
  const anomalies = defaultAnomalies(n);
  const cliques = o.cliques ?? anomalies.cliques;
  const cliqueSize = o.cliqueSize ?? anomalies.cliqueSize;
  const contextual = o.contextual ?? anomalies.contextual;
  const candidates = o.candidates ?? 50;
  const tail = o.degreeTail ?? 1.8;
  if (!Number.isInteger(n) || n < 10) throw errors.invalidArgument('nodes', 'an integer >= 10', n);
  if (cliques * cliqueSize + contextual > n / 2) throw errors.invalidArgument('anomalies (cliques x cliqueSize + contextual)', `at most half of the ${n} nodes`, cliques * cliqueSize + contextual);
  if (!Number.isInteger(F) || F < 1) throw errors.invalidArgument('features', 'a positive integer', F);
  if (!Number.isInteger(C) || C < 1 || C > n) throw errors.invalidArgument('communities', `an integer in [1, ${n}]`, C);
  const rng = createRng(o.seed ?? 0);
  const community = new Int32Array(n);
  for (let i = 0; i < n; i++) community[i] = i % C;
  // Heavy-tailed propensities (Pareto), normalised to mean 1: hubs make raw degree a weak anomaly signal.
  const theta = new Float64Array(n);
  let tsum = 0;
  for (let i = 0; i < n; i++) {
    theta[i] = Math.min(Math.pow(1 - rng.uniform(), -1 / tail), 30);
    tsum += theta[i]!;
  }
  for (let i = 0; i < n; i++) theta[i] = (theta[i]! * n) / tsum;
  const A = new Uint8Array(n * n);
  const inSize = n / C;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const same = community[i] === community[j];
      const base = same ? (meanDegree * homophily) / inSize : (meanDegree * (1 - homophily)) / (n - inSize);
      if (rng.uniform() < Math.min(1, theta[i]! * theta[j]! * base)) {
        A[i * n + j] = 1;
        A[j * n + i] = 1;
      }
    }
  }
  const means: number[][] = [];
  for (let c = 0; c < C; c++) means.push(Array.from({ length: F }, () => rng.normal(0, 1)));
  const X = new Float32Array(n * F);
  for (let i = 0; i < n; i++) for (let f = 0; f < F; f++) X[i * F + f] = means[community[i]!]![f]! + rng.normal(0, 0.6);
  const kind = new Uint8Array(n);
  const perm = rng.permutation(n);
  let next = 0;
  for (let q = 0; q < cliques; q++) {
    const members = Array.from(perm.subarray(next, next + cliqueSize));
    next += cliqueSize;
    for (const a of members) {
      kind[a] = 1;
      for (const b of members) if (a !== b) A[a * n + b] = 1;
    }
  }
  const original = Float32Array.from(X);
  for (let q = 0; q < contextual; q++) {
    const i = perm[next++]!;
    let best = -1;
    let bestDist = -1;
    for (let c = 0; c < candidates; c++) {
      const j = rng.int(0, n);
      let dist = 0;
      for (let f = 0; f < F; f++) dist += (original[i * F + f]! - original[j * F + f]!) ** 2;
      if (dist > bestDist) {
        bestDist = dist;
        best = j;
      }
    }
    for (let f = 0; f < F; f++) X[i * F + f] = original[best * F + f]!;
    kind[i] = kind[i]! | 2;
  }
  // Isolated nodes get one edge to a random node so every node has a neighbourhood.
  for (let i = 0; i < n; i++) {
    let d = 0;
    for (let j = 0; j < n; j++) d += A[i * n + j]!;
    if (d === 0) {
      let j = rng.int(0, n);
      if (j === i) j = (i + 1) % n;
      A[i * n + j] = 1;
      A[j * n + i] = 1;
    }
  }
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) labels[i] = kind[i]! > 0 ? 1 : 0;
  return { n, adjacency: A, features: X, featureDim: F, labels, kind, community };
}

/** Node degrees of a 0/1 adjacency. */
export function degrees(adjacency: ArrayLike<number>, n: number): Float64Array {
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) d[i]! += adjacency[i * n + j]!;
  return d;
}
