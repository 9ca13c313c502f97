/**
 * Seeded visiting orders for asynchronous updates. The order of sweep k is a
 * pure function of (seed, k), so re-subscribing to a run replays it exactly.
 */
import { createRng } from '@engram/data';

/** A permutation of 0..n-1 for sweep `step` of a run seeded with `seed`. */
export function sweepOrder(n: number, seed: number, step: number): Int32Array {
  // Mix seed and step into one safe integer; distinct (seed, step) give distinct streams.
  const mixed = (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(step + 1, 0x85ebca6b)) >>> 0;
  return createRng(mixed).permutation(n);
}
