/**
 * Seeded random tensors that are seeded for EVERY seed: tfjs' randomNormal
 * treats seed 0 as "no seed" (`seed ? seed : Math.random()`), so a seed-0 run
 * would draw fresh numbers each time. Seeds are mapped one to one (s >= 0 to
 * s + 1, negative seeds unchanged), so 0 is never passed on.
 */
import * as tf from '@tensorflow/tfjs';

/** The seed handed to tfjs for a user's seed (one to one, never 0). */
export function tfSeed(seed: number): number {
  return seed >= 0 ? seed + 1 : seed;
}

/** normal(mean, std) of `shape`, reproducible for every seed, 0 included. */
export function randomNormal(shape: readonly number[], mean: number, std: number, seed: number): tf.Tensor {
  return tf.randomNormal([...shape], mean, std, 'float32', tfSeed(seed));
}

/** uniform[min, max) of `shape`, reproducible for every seed. */
export function randomUniform(shape: readonly number[], min: number, max: number, seed: number): tf.Tensor {
  return tf.randomUniform([...shape], min, max, 'float32', tfSeed(seed));
}
