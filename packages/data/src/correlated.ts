/**
 * Seeded correlated patterns: the regime where classical Hopfield networks
 * fail and dense/modern ones are meant to cope.
 *
 * Two structures:
 * - 'parent-child' (hierarchical, ultrametric): `parents` random patterns;
 *   pattern k descends from parent k mod `parents`. Child-parent correlation
 *   is `correlation`, siblings correlate with `correlation`^2.
 * - 'shared': every pattern mixes one common component with its own noise so
 *   that any two patterns correlate with `correlation` (their correlation with
 *   the shared component is sqrt(correlation)).
 *
 * "Correlation" means the expected normalized overlap (1/size) <x, y> for
 * binary ±1 values, and the Pearson correlation of entries for Gaussian values
 * (each entry is N(0, 1) in both structures).
 */
import { errors } from '@engram/core';
import { allocatePatterns } from './internal/allocate.js';
import { checkInt, checkRange } from './internal/validate.js';
import type { PatternOptions, Patterns } from './generators.js';
import { createRng, type Rng } from './rng.js';

/** How the patterns are correlated; see the module description. */
export type CorrelationStructure = 'parent-child' | 'shared';

/** Options for {@link correlatedPatterns}. */
export interface CorrelatedPatternOptions extends PatternOptions {
  /** Target correlation in [0, 1] (child-parent for 'parent-child', pairwise for 'shared'). */
  correlation: number;
  /** Correlation structure (default 'parent-child'). */
  structure?: CorrelationStructure;
  /** Entry values: ±1 ('binary', default) or standard Gaussian ('gaussian'). */
  values?: 'binary' | 'gaussian';
  /** Number of parents for 'parent-child' (default 1); 'shared' always has one shared component. */
  parents?: number;
}

/** Correlated patterns plus the hidden patterns they were derived from. */
export interface CorrelatedPatterns extends Patterns {
  /** The parents ('parent-child') or the single shared component ('shared'), shape `[parents, size]`. */
  readonly parents: Patterns;
  /** Index of each pattern's parent row in `parents` (length `count`). */
  readonly parentOf: Int32Array;
}

const draw = (rng: Rng, binary: boolean): number => (binary ? (rng.uniform() < 0.5 ? 1 : -1) : rng.normal());

/**
 * Generates correlated patterns (see the module description for the exact statistics).
 *
 * @example
 * // 4 categories of 25 exemplars each, exemplar-prototype overlap 0.6
 * const p = correlatedPatterns({ count: 100, size: 400, correlation: 0.6, parents: 4, seed: 3 });
 */
export function correlatedPatterns(options: CorrelatedPatternOptions): CorrelatedPatterns {
  const { data, count, size, seed } = allocatePatterns(options);
  const c = checkRange('correlation', options.correlation, 0, 1);
  const structure = options.structure ?? 'parent-child';
  if (structure !== 'parent-child' && structure !== 'shared') {
    throw errors.invalidArgument('structure', "'parent-child' or 'shared'", structure);
  }
  const values = options.values ?? 'binary';
  if (values !== 'binary' && values !== 'gaussian') throw errors.invalidArgument('values', "'binary' or 'gaussian'", values);
  const binary = values === 'binary';
  const nParents = structure === 'shared' ? 1 : checkInt('parents', options.parents ?? 1);

  const rng = createRng(seed);
  const parentData = new Float32Array(nParents * size);
  for (let i = 0; i < parentData.length; i++) parentData[i] = draw(rng, binary);

  // Weight of the parent in each child entry: m for binary (entry kept with
  // probability (1 + m) / 2, so E[x p] = m), m and sqrt(1 - m^2) for Gaussian.
  const m = structure === 'shared' ? Math.sqrt(c) : c;
  const noiseWeight = Math.sqrt(1 - m * m);
  const parentOf = new Int32Array(count);
  for (let k = 0; k < count; k++) {
    const parent = k % nParents;
    parentOf[k] = parent;
    for (let j = 0; j < size; j++) {
      const pv = parentData[parent * size + j]!;
      data[k * size + j] = binary ? (rng.uniform() < (1 + m) / 2 ? pv : -pv) : m * pv + noiseWeight * rng.normal();
    }
  }
  return { data, shape: [count, size], parents: { data: parentData, shape: [nParents, size] }, parentOf };
}
