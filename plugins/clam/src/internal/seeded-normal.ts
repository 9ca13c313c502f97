/**
 * Seeded normal variates on the host. Not tf.randomNormal: tfjs treats a
 * seed of 0 as "no seed" (Math.random), so seed 0 — engram's default — would
 * not be reproducible there.
 */
import { seededRandom } from '@engram/core';

/** A standard normal variate from a uniform generator (Box-Muller). */
export function normalVariate(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  const v = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** `count` normal(mean, std) values, the same for the same seed (any integer, 0 included). */
export function seededNormal(count: number, mean: number, std: number, seed: number): Float32Array {
  const rand = seededRandom(((seed * 2654435761) ^ 0x5bd1e995) >>> 0);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = mean + std * normalVariate(rand);
  return out;
}
