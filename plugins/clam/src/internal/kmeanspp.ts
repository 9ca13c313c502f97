/**
 * k-means++ seeding (Arthur & Vassilvitskii, 2007): the first centre uniform,
 * each next one drawn with probability proportional to the squared distance
 * to the nearest centre chosen so far. Seeded. Used to start soft k-means and,
 * optionally, ClAM's prototypes.
 */
import { seededRandom } from '@engram/core';
import { squaredDistance, type HostMatrix } from './host-matrix.js';

/** Indices of k seeds drawn by k-means++ from the rows of `x`. */
export function kmeansPlusPlusSeeds(x: HostMatrix, k: number, seed: number): number[] {
  const rand = seededRandom((seed * 2654435761 + 97) >>> 0);
  const chosen = [Math.floor(rand() * x.n)];
  const best = new Float64Array(x.n);
  for (let i = 0; i < x.n; i++) best[i] = squaredDistance(x, i, x, chosen[0]!);
  while (chosen.length < k) {
    let total = 0;
    for (let i = 0; i < x.n; i++) total += best[i]!;
    let next: number;
    if (total <= 0) {
      // Every point sits on a centre already (duplicates): take an unchosen one.
      next = Array.from({ length: x.n }, (_, i) => i).find((i) => !chosen.includes(i)) ?? 0;
    } else {
      let r = rand() * total;
      next = x.n - 1;
      for (let i = 0; i < x.n; i++) {
        r -= best[i]!;
        if (r < 0) {
          next = i;
          break;
        }
      }
    }
    chosen.push(next);
    for (let i = 0; i < x.n; i++) best[i] = Math.min(best[i]!, squaredDistance(x, i, x, next));
  }
  return chosen;
}

/** The seed rows as a [k, d] matrix. */
export function kmeansPlusPlusCenters(x: HostMatrix, k: number, seed: number): HostMatrix {
  const idx = kmeansPlusPlusSeeds(x, k, seed);
  const data = new Float64Array(k * x.d);
  idx.forEach((r, c) => data.set(x.data.subarray(r * x.d, (r + 1) * x.d), c * x.d));
  return { n: k, d: x.d, data };
}
