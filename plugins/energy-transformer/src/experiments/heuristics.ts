/** Hand-made node-anomaly detectors, the reference points of the graph experiment. */
import { degrees } from '../data/anomaly-graph.js';
import { standardize } from '../data/graph-inputs.js';

/** Degree/feature heuristic: z(degree) + z(distance of a node's features to the mean feature vector). */
export function degreeFeatureHeuristic(adjacency: ArrayLike<number>, features: Float32Array, n: number, F: number): Float32Array {
  const deg = degrees(adjacency, n);
  const mean = new Float64Array(F);
  for (let i = 0; i < n; i++) for (let f = 0; f < F; f++) mean[f]! += features[i * F + f]! / n;
  const dist = Float64Array.from({ length: n }, (_, i) => {
    let d = 0;
    for (let f = 0; f < F; f++) d += (features[i * F + f]! - mean[f]!) ** 2;
    return Math.sqrt(d);
  });
  const zd = standardize(deg);
  const zf = standardize(dist);
  return Float32Array.from(zd, (v, i) => v + zf[i]!);
}

/**
 * A stronger, graph-aware hand-made detector, reported for reference: z(degree) +
 * z(distance of a node's features to its neighbours' mean), which matches the
 * two injection mechanisms (cliques raise degree; copied features disagree with
 * the neighbours).
 */
export function neighbourhoodHeuristic(adjacency: ArrayLike<number>, features: Float32Array, n: number, F: number): Float32Array {
  const deg = degrees(adjacency, n);
  const dist = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const mean = new Float64Array(F);
    for (let j = 0; j < n; j++) if (j !== i && adjacency[i * n + j]) for (let f = 0; f < F; f++) mean[f]! += features[j * F + f]!;
    let d = 0;
    for (let f = 0; f < F; f++) d += (features[i * F + f]! - mean[f]! / Math.max(deg[i]!, 1)) ** 2;
    dist[i] = Math.sqrt(d);
  }
  const zd = standardize(deg);
  const zf = standardize(dist);
  return Float32Array.from(zd, (v, i) => v + zf[i]!);
}
