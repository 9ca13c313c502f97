/**
 * Seeded points on a linear manifold: a d-dimensional subspace of R^D whose
 * latent coordinates come in blocks of different variances. This is the data
 * of the "geometric memorization" experiment on diffusion models, where the
 * subspace directions of small variance are the first to be lost as the
 * number of training points shrinks (default: D = 32, a 4-dimensional block of
 * variance 1 and a 4-dimensional block of variance 0.1).
 *
 * x = z B + noise, with z_i ~ N(0, variance of its block), B a [d, D] matrix
 * with orthonormal rows and noise ~ N(0, noiseStd^2) in all D directions.
 */
import { errors } from '@engram/core';
import type { Patterns } from './generators.js';
import type { HostArray } from './host-array.js';
import { allocatePatterns } from './internal/allocate.js';
import { checkFinite, checkInt } from './internal/validate.js';
import { createRng, type Rng } from './rng.js';

/** A block of latent dimensions sharing one variance. */
export interface ManifoldBlock {
  /** Number of latent dimensions in the block. */
  size: number;
  /** Variance of each latent coordinate in the block. */
  variance: number;
}

/** Options for {@link linearManifoldPoints}. */
export interface LinearManifoldOptions {
  /** Number of points. */
  count: number;
  /** Ambient dimension D (default 32). */
  size?: number;
  /** Latent blocks (default `[{ size: 4, variance: 1 }, { size: 4, variance: 0.1 }]`); total latent size <= D. */
  blocks?: readonly ManifoldBlock[];
  /** 'axis' (default): block coordinates are the first ambient axes, in order; 'random': a random orthonormal basis. */
  embedding?: 'axis' | 'random';
  /** Standard deviation of isotropic ambient noise added to every coordinate (default 0: points exactly on the manifold). */
  noiseStd?: number;
  /** Seed of the generator (default 0). */
  seed?: number;
}

/** Points on a linear manifold with the latent description that made them. */
export interface LinearManifoldPoints extends Patterns {
  /** Latent coordinates z, shape `[count, d]` with d the total block size. */
  readonly latent: HostArray;
  /** Orthonormal basis B of the manifold, one row per latent dimension, shape `[d, D]`. */
  readonly basis: HostArray;
  /** Block index of each latent dimension (length d). */
  readonly blockOf: Int32Array;
  /** Variance of each latent dimension (length d). */
  readonly variances: Float32Array;
}

/** The default blocks of the geometric-memorization experiment. */
export const DEFAULT_MANIFOLD_BLOCKS: readonly ManifoldBlock[] = [
  { size: 4, variance: 1 },
  { size: 4, variance: 0.1 },
];

/** Gram-Schmidt on Gaussian rows: d orthonormal rows in R^D (d <= D), in float64 for accuracy. */
function randomOrthonormalRows(d: number, D: number, rng: Rng): Float64Array {
  const rows = new Float64Array(d * D);
  for (let i = 0; i < d; i++) {
    // Redraw on (astronomically unlikely) near-dependence, so the rows are always orthonormal.
    for (;;) {
      const row = rows.subarray(i * D, (i + 1) * D);
      for (let j = 0; j < D; j++) row[j] = rng.normal();
      for (let pass = 0; pass < 2; pass++) {
        for (let k = 0; k < i; k++) {
          const prev = rows.subarray(k * D, (k + 1) * D);
          let dot = 0;
          for (let j = 0; j < D; j++) dot += row[j]! * prev[j]!;
          for (let j = 0; j < D; j++) row[j] -= dot * prev[j]!;
        }
      }
      let norm = 0;
      for (let j = 0; j < D; j++) norm += row[j]! * row[j]!;
      norm = Math.sqrt(norm);
      if (norm > 1e-6) {
        for (let j = 0; j < D; j++) row[j] /= norm;
        break;
      }
    }
  }
  return rows;
}

/**
 * Generates `count` points on a linear manifold with block variances.
 *
 * @example
 * const m = linearManifoldPoints({ count: 256, seed: 7 }); // D = 32, blocks 4 x var 1 and 4 x var 0.1
 * m.shape; // [256, 32]
 */
export function linearManifoldPoints(options: LinearManifoldOptions): LinearManifoldPoints {
  const blocks = options.blocks ?? DEFAULT_MANIFOLD_BLOCKS;
  const { data, count, size: D, seed } = allocatePatterns({ count: options.count, size: options.size ?? 32, seed: options.seed });
  if (!Array.isArray(blocks) || blocks.length === 0) throw errors.invalidArgument('blocks', 'a non-empty array of { size, variance }', blocks);
  const blockOfList: number[] = [];
  const varianceList: number[] = [];
  blocks.forEach((b, i) => {
    const n = checkInt(`blocks[${i}].size`, b.size);
    const v = checkFinite(`blocks[${i}].variance`, b.variance, true);
    for (let j = 0; j < n; j++) {
      blockOfList.push(i);
      varianceList.push(v);
    }
  });
  const d = blockOfList.length;
  if (d > D) throw errors.invalidArgument('blocks', `a total latent size <= the ambient size ${D}`, d);
  const embedding = options.embedding ?? 'axis';
  if (embedding !== 'axis' && embedding !== 'random') throw errors.invalidArgument('embedding', "'axis' or 'random'", embedding);
  const noiseStd = checkFinite('noiseStd', options.noiseStd ?? 0, true);

  const rng = createRng(seed);
  let basis64: Float64Array;
  if (embedding === 'random') {
    basis64 = randomOrthonormalRows(d, D, rng);
  } else {
    basis64 = new Float64Array(d * D);
    for (let i = 0; i < d; i++) basis64[i * D + i] = 1;
  }
  const latent = new Float32Array(count * d);
  const z = new Float64Array(d);
  for (let n = 0; n < count; n++) {
    for (let i = 0; i < d; i++) {
      z[i] = rng.normal(0, Math.sqrt(varianceList[i]!));
      latent[n * d + i] = z[i]!;
    }
    for (let j = 0; j < D; j++) {
      let x = noiseStd > 0 ? rng.normal(0, noiseStd) : 0;
      for (let i = 0; i < d; i++) x += z[i]! * basis64[i * D + j]!;
      data[n * D + j] = x;
    }
  }
  return {
    data,
    shape: [count, D],
    latent: { data: latent, shape: [count, d] },
    basis: { data: Float32Array.from(basis64), shape: [d, D] },
    blockOf: Int32Array.from(blockOfList),
    variances: Float32Array.from(varianceList),
  };
}
