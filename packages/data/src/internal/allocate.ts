/** Allocation shared by the pattern generators. */
import { checkInt } from './validate.js';

/** The size and seed fields every generator accepts (see PatternOptions). */
export interface SizeAndSeed {
  count: number;
  dim: number;
  seed?: number;
}

/** Validates count/dim/seed and allocates the output. */
export function allocatePatterns(options: SizeAndSeed): { data: Float32Array; count: number; dim: number; seed: number } {
  const count = checkInt('count', options.count);
  const dim = checkInt('dim', options.dim);
  const seed = options.seed ?? 0;
  return { data: new Float32Array(count * dim), count, dim, seed };
}
