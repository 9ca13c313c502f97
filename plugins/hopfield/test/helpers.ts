/** Test helpers: seeded patterns, bit flips, leak checks. */
import * as tf from '@tensorflow/tfjs';
import { isEngramError } from '@engram/core';
import { binaryPatterns, createRng } from '@engram/data';

/** ±1 patterns [count, dim] as a host array. */
export function patterns(count: number, dim: number, seed: number): Float32Array {
  return binaryPatterns({ count, dim, seed }).data as Float32Array;
}

/** Copies `x` ([rows, dim]) with exactly round(fraction * dim) entries of each row sign-flipped (seeded). */
export function flipBits(x: Float32Array, dim: number, fraction: number, seed: number): Float32Array {
  const out = Float32Array.from(x);
  const rng = createRng(seed);
  const k = Math.round(fraction * dim);
  for (let r = 0; r < x.length / dim; r++) {
    const perm = rng.permutation(dim);
    for (let i = 0; i < k; i++) out[r * dim + perm[i]!]! *= -1;
  }
  return out;
}

/** Runs `fn` and returns how many tensors it left behind. */
export async function leaked(fn: () => Promise<void> | void): Promise<number> {
  const before = tf.memory().numTensors;
  await fn();
  return tf.memory().numTensors - before;
}

/** The EngramError code `f` throws, 'other' for any other error, 'none' when it does not throw. */
export function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return isEngramError(e) ? e.code : 'other';
  }
  return 'none';
}
