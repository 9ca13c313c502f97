/**
 * Agglomerative (hierarchical) clustering cut at k clusters, with Ward,
 * average, complete or single linkage on Euclidean distances (scikit-learn's
 * AgglomerativeClustering). The merges come from the nearest-neighbour chain
 * algorithm (Murtagh, 1983; Müllner, 2011) with Lance-Williams updates, O(n^2)
 * time and memory, which is exact for these four (reducible) linkages; the
 * tree is then cut by applying its n - k lowest merges.
 *
 * We wrote our own: the one maintained npm implementation (mljs' ml-hclust)
 * rebuilds the distance matrix at every merge, O(n^3), minutes for the paper's
 * 2,000-sample data sets.
 */
import { errors } from '@engram/core';
import { assertClusters, squaredDistance, type HostMatrix } from '../internal/host-matrix.js';

/** The linkages. */
export type Linkage = 'ward' | 'average' | 'complete' | 'single';

/** One merge of the tree: two cluster representatives and the height. */
interface Merge {
  a: number;
  b: number;
  height: number;
}

/** Lance-Williams update of the dissimilarity between cluster k and the union of i and j. */
function lanceWilliams(linkage: Linkage, dki: number, dkj: number, dij: number, ni: number, nj: number, nk: number): number {
  switch (linkage) {
    case 'single':
      return Math.min(dki, dkj);
    case 'complete':
      return Math.max(dki, dkj);
    case 'average':
      return (ni * dki + nj * dkj) / (ni + nj);
    case 'ward':
      // On squared distances: the Ward criterion's recurrence.
      return ((ni + nk) * dki + (nj + nk) * dkj - nk * dij) / (ni + nj + nk);
  }
}

/** The n - 1 merges of the full tree, in the order the chain finds them. */
function nnChain(x: HostMatrix, linkage: Linkage): Merge[] {
  const n = x.n;
  const D = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const sq = squaredDistance(x, i, x, j);
      const v = linkage === 'ward' ? sq : Math.sqrt(sq);
      D[i * n + j] = v;
      D[j * n + i] = v;
    }
  }
  const size = new Float64Array(n).fill(1);
  const active = new Uint8Array(n).fill(1);
  const merges: Merge[] = [];
  const chain: number[] = [];
  let remaining = n;
  let scan = 0;
  while (remaining > 1) {
    if (chain.length === 0) {
      while (!active[scan]) scan++;
      chain.push(scan);
    }
    const a = chain[chain.length - 1]!;
    const prev = chain.length >= 2 ? chain[chain.length - 2]! : -1;
    // Nearest active cluster to a; ties go to the previous chain element so the chain ends.
    let b = prev;
    let best = prev >= 0 ? D[a * n + prev]! : Infinity;
    for (let c = 0; c < n; c++) {
      if (!active[c] || c === a) continue;
      const v = D[a * n + c]!;
      if (v < best) {
        best = v;
        b = c;
      }
    }
    if (b === prev) {
      chain.pop();
      chain.pop();
      // Merge a into b (b keeps the union).
      merges.push({ a, b, height: best });
      const na = size[a]!;
      const nb = size[b]!;
      for (let k = 0; k < n; k++) {
        if (!active[k] || k === a || k === b) continue;
        const v = lanceWilliams(linkage, D[k * n + a]!, D[k * n + b]!, best, na, nb, size[k]!);
        D[k * n + b] = v;
        D[b * n + k] = v;
      }
      active[a] = 0;
      size[b] = na + nb;
      remaining--;
    } else {
      chain.push(b);
    }
  }
  return merges;
}

/** Labels 0..k-1 of the agglomerative clustering of `x` cut at `k` clusters. */
export function agglomerative(x: HostMatrix, k: number, linkage: Linkage = 'ward'): Int32Array {
  assertClusters(k, x.n);
  if (!['ward', 'average', 'complete', 'single'].includes(linkage)) throw errors.invalidArgument('linkage', "'ward', 'average', 'complete' or 'single'", linkage);
  // Stable sort by height: the tree's merge order (scipy does the same after NN-chain).
  const merges = nnChain(x, linkage)
    .map((m, i) => ({ ...m, i }))
    .sort((p, q) => p.height - q.height || p.i - q.i);
  const parent = Int32Array.from({ length: x.n }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  for (let m = 0; m < x.n - k; m++) {
    const { a, b } = merges[m]!;
    parent[find(a)] = find(b);
  }
  const ids = new Map<number, number>();
  const labels = new Int32Array(x.n);
  for (let i = 0; i < x.n; i++) {
    const root = find(i);
    if (!ids.has(root)) ids.set(root, ids.size);
    labels[i] = ids.get(root)!;
  }
  return labels;
}
