/** Allocation shared by the pattern generators. */
import { checkInt } from './validate.js';

/** The size and seed fields every generator accepts (see PatternOptions). */
export interface SizeAndSeed {
  count: number;
  size: number;
  seed?: number;
}

/** Validates count/size/seed and allocates the output. */
export function allocatePatterns(options: SizeAndSeed): { data: Float32Array; count: number; size: number; seed: number } {
  const count = checkInt('count', options.count);
  const size = checkInt('size', options.size);
  const seed = options.seed ?? 0;
  return { data: new Float32Array(count * size), count, size, seed };
}
