/**
 * Geometric memorization (Achilli et al., "Losing dimensions"): the dimension of
 * the data manifold a denoiser keeps around a point, read from the spectrum of
 * its score vectors at a small noise level (as in Stanczuk et al.'s estimator).
 *
 * Around x0, draw x_i = x0 + sigma n_i and score s_i = (D(x_i, sigma) - x_i)/sigma^2.
 * In a direction normal to what the model keeps, D projects the noise out and
 * s ~ -n/sigma, so sigma^2 Var(s) ~ 1; along a kept direction of data variance v
 * the score barely moves (sigma^2 Var(s) ~ sigma^4/(v + sigma^2)^2 << 1). The
 * eigenvalues of sigma^2 Cov(s) therefore split into ~1 (normal) and ~0
 * (tangent); the number below `threshold` (default 0.5) is the kept dimension,
 * and projecting the tangent eigenvectors onto known blocks of axes tells which
 * block kept how many dimensions.
 */
import * as tf from '@tensorflow/tfjs';
import { errors, linalg, parseConfig, z } from '@engram/core';
import { normalSeed } from '../internal/seeds.js';
import type { Denoiser } from '../models/denoiser.js';

/** Options of {@link scoreSpectrum}. */
export const scoreSpectrumSchema = z.strictObject({
  sigma: z.number().positive().default(0.05).describe('noise level'),
  samples: z
    .number()
    .int()
    .min(2)
    .default(1024)
    .describe('perturbed points; use at least ~16 x size: with m samples the unit eigenvalues of normal directions spread down to (1 - sqrt(size/m))^2, which must stay above the threshold'),
  threshold: z.number().min(0).default(0.5).describe('eigenvalues of sigma^2 Cov(score) below this count as tangent'),
  seed: z.number().int().default(0).describe('seed of the perturbations'),
});
/** Options of {@link scoreSpectrum}, as given. */
export type ScoreSpectrumOptions = z.input<typeof scoreSpectrumSchema>;

/** Result of {@link scoreSpectrum}. */
export interface ScoreSpectrum {
  /** Eigenvalues of sigma^2 Cov(score), descending. */
  values: Float64Array;
  /** Unit eigenvectors as the COLUMNS of a row-major [size, size] matrix (core linalg layout), matching `values`. */
  vectors: Float64Array;
  /** Number of tangent (kept) directions. */
  dimension: number;
  /** Diagonal of the projector onto the tangent directions (how much of each axis is kept), length size. */
  keptPerAxis: Float64Array;
}

/** The score spectrum of a denoiser around `point` (length size). */
export function scoreSpectrum(denoiser: Denoiser, point: ArrayLike<number>, options: ScoreSpectrumOptions = {}): ScoreSpectrum {
  const { sigma, samples: m, threshold, seed } = parseConfig(scoreSpectrumSchema, options, 'scoreSpectrum', 'options');
  const d = denoiser.size;
  if (point.length !== d) throw errors.shapeMismatch('point', [d], [point.length]);
  const scores = tf.tidy(() => {
    const x0 = tf.tensor2d(Float32Array.from(point), [1, d]);
    const x = tf.add(x0, tf.randomNormal([m, d], 0, sigma, 'float32', normalSeed(seed))) as tf.Tensor2D;
    // sigma * score = (D - x) / sigma: its covariance is sigma^2 Cov(score).
    return tf.div(tf.sub(denoiser.denoise(x, sigma), x), sigma);
  });
  const s = scores.dataSync() as Float32Array;
  scores.dispose();
  const mean = new Float64Array(d);
  for (let i = 0; i < m; i++) for (let j = 0; j < d; j++) mean[j] += s[i * d + j]! / m;
  const cov = new Float64Array(d * d);
  for (let i = 0; i < m; i++) {
    for (let a = 0; a < d; a++) {
      const ca = s[i * d + a]! - mean[a]!;
      for (let b = a; b < d; b++) cov[a * d + b] += (ca * (s[i * d + b]! - mean[b]!)) / (m - 1);
    }
  }
  for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) cov[a * d + b] = cov[b * d + a]!;
  // 1e-8: the covariance is symmetric by construction (mirrored), only float64 rounding differs.
  const { values, vectors } = linalg.symmetricEigen(cov, d, { order: 'descending', symmetryTolerance: 1e-8 });
  const keptPerAxis = new Float64Array(d);
  let dimension = 0;
  for (let r = 0; r < d; r++) {
    if (values[r]! >= threshold) continue;
    dimension++;
    for (let j = 0; j < d; j++) keptPerAxis[j] += vectors[j * d + r]! ** 2; // eigenvector r is column r
  }
  return { values, vectors, dimension, keptPerAxis };
}

/** Sums `keptPerAxis` over axis blocks given as [start, length] pairs (e.g. [[0, 4], [4, 4]]). */
export function keptPerBlock(keptPerAxis: ArrayLike<number>, blocks: readonly (readonly [number, number])[]): number[] {
  return blocks.map(([start, len]) => {
    if (start < 0 || len < 0 || start + len > keptPerAxis.length) throw errors.invalidArgument('blocks', `ranges inside 0..${keptPerAxis.length}`, [start, len]);
    let s = 0;
    for (let j = start; j < start + len; j++) s += keptPerAxis[j]!;
    return s;
  });
}
