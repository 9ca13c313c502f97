/**
 * Seeded generators of independent random patterns, the usual stored
 * memories of Hopfield-type capacity experiments.
 */
import { type HostArray, hostArrayToTensor } from './host-array.js';
import { allocatePatterns } from './internal/allocate.js';
import { checkFinite, checkRange } from './internal/validate.js';
import { createRng } from './rng.js';
import type * as tf from '@tensorflow/tfjs';

/** A set of `count` patterns of length `size`, row-major, shape `[count, size]`. */
export interface Patterns extends HostArray {
  readonly shape: readonly [number, number];
}

/** Size and seed shared by every pattern generator. */
export interface PatternOptions {
  /** Number of patterns (rows). */
  count: number;
  /** Length of each pattern (columns). */
  size: number;
  /** Seed of the generator (default 0); equal seeds give equal patterns. */
  seed?: number;
}

/** Options for {@link binaryPatterns}. */
export interface BinaryPatternOptions extends PatternOptions {
  /** Probability of +1 for each entry (default 0.5); the mean entry is 2*bias - 1. */
  bias?: number;
}

/** Options for {@link zeroOnePatterns}. */
export interface ZeroOnePatternOptions extends PatternOptions {
  /** Probability of 1 for each entry (default 0.5), i.e. the sparsity/activity level. */
  p?: number;
}

/** Options for {@link gaussianPatterns}. */
export interface GaussianPatternOptions extends PatternOptions {
  /** Mean of each entry (default 0). */
  mean?: number;
  /** Standard deviation of each entry (default 1). */
  std?: number;
}

/**
 * Random ±1 patterns, each entry +1 with probability `bias`, independently.
 *
 * @example
 * const xi = binaryPatterns({ count: 10, size: 100, seed: 1 }); // xi.shape = [10, 100]
 */
export function binaryPatterns(options: BinaryPatternOptions): Patterns {
  const { data, count, size, seed } = allocatePatterns(options);
  const bias = checkRange('bias', options.bias ?? 0.5, 0, 1);
  const rng = createRng(seed);
  for (let i = 0; i < data.length; i++) data[i] = rng.uniform() < bias ? 1 : -1;
  return { data, shape: [count, size] };
}

/** Random {0, 1} patterns, each entry 1 with probability `p`, independently. */
export function zeroOnePatterns(options: ZeroOnePatternOptions): Patterns {
  const { data, count, size, seed } = allocatePatterns(options);
  const p = checkRange('p', options.p ?? 0.5, 0, 1);
  const rng = createRng(seed);
  for (let i = 0; i < data.length; i++) data[i] = rng.uniform() < p ? 1 : 0;
  return { data, shape: [count, size] };
}

/** Continuous patterns with i.i.d. Gaussian entries N(mean, std^2). */
export function gaussianPatterns(options: GaussianPatternOptions): Patterns {
  const { data, count, size, seed } = allocatePatterns(options);
  const mean = checkFinite('mean', options.mean ?? 0);
  const std = checkFinite('std', options.std ?? 1, true);
  const rng = createRng(seed);
  for (let i = 0; i < data.length; i++) data[i] = rng.normal(mean, std);
  return { data, shape: [count, size] };
}

/** Copies patterns into a new `[count, size]` float32 tensor, owned by the caller. */
export function patternsToTensor(patterns: Patterns): tf.Tensor2D {
  return hostArrayToTensor(patterns) as tf.Tensor2D;
}
