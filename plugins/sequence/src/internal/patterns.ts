/**
 * The stored sequences of every sequence model: S independent sequences of P
 * patterns of N ±1 neurons, as one [S, P, N] tensor. Their config keys (the
 * sizes and the seeded generator), reading a given tensor, and the ±1 check.
 */
import * as tf from '@tensorflow/tfjs';
import { errors, toTensor, z, type TensorInput } from '@engram/core';
import { binaryPatterns } from '@engram/data';

/** Most stored entries S x P x N a config may ask for (256 MB of float32), so a typo cannot exhaust memory. */
export const MAX_STORED_ENTRIES = 2 ** 26;

/** The config keys that size and generate the stored patterns (shared by all five kinds). */
export const patternConfigShape = {
  size: z.number().int().min(2).describe('N: neurons per pattern'),
  length: z.number().int().min(1).describe('P: patterns per sequence (periodic: the last leads back to the first)'),
  sequences: z.number().int().min(1).default(1).describe('S: independent sequences; S > 1 runs take one state per sequence (batch S)'),
  seed: z.number().int().min(0).default(0).describe('seed of the random ±1 patterns (replaced by the weights when a saved model loads)'),
  bias: z.number().min(0).max(1).default(0.5).describe('probability of +1 in the random patterns (0.5: unbiased; larger: correlated patterns)'),
};

/** The keys of {@link patternConfigShape}. */
export type PatternKey = keyof typeof patternConfigShape;

/** The parsed pattern keys. */
export interface PatternConfig {
  size: number;
  length: number;
  sequences: number;
  seed: number;
  bias: number;
}

/** zod refinement: the stored tensor must stay below {@link MAX_STORED_ENTRIES}. */
export function checkStoredSize(c: { size: number; length: number; sequences?: number }, ctx: z.RefinementCtx): void {
  const entries = c.size * c.length * (c.sequences ?? 1);
  if (entries > MAX_STORED_ENTRIES) {
    ctx.addIssue({
      code: 'custom',
      path: ['size'],
      message: `such that size x length x sequences <= ${MAX_STORED_ENTRIES} stored entries (asked for ${entries})`,
    });
  }
}

/** Seeded random ±1 patterns [S, P, N] (caller owns). Same generator and seeds as before the migration, so the numbers are comparable. */
export function randomPatterns(c: PatternConfig): tf.Tensor3D {
  const xi = binaryPatterns({ count: c.sequences * c.length, size: c.size, seed: c.seed, bias: c.bias });
  return tf.tensor3d(xi.data, [c.sequences, c.length, c.size]);
}

/** Throws ENGRAM_ERR_INVALID_ARGUMENT unless every entry of `x` is -1 or +1. */
export function checkBinary(x: tf.Tensor, name: string, what = 'entries in {-1, +1}'): void {
  const bad = tf.tidy(() => tf.sum(tf.cast(tf.notEqual(tf.abs(x), 1), 'int32')).dataSync()[0]!);
  if (bad > 0) throw errors.invalidArgument(name, what, `${bad} other entr${bad === 1 ? 'y' : 'ies'}`);
}

/**
 * Given patterns as [S, P, N] float32 (caller owns): [P, N] is one sequence;
 * entries must be ±1 and N at least 2. Coded errors otherwise.
 */
export function readPatterns(input: TensorInput, owner: string): tf.Tensor3D {
  const t = toTensor(input, `${owner} patterns`, { rank: [2, 3], finite: true });
  const x = (t.rank === 2 ? t.expandDims(0) : t) as tf.Tensor3D;
  if (x !== t) t.dispose();
  try {
    const [s, p, n] = x.shape;
    if (s < 1 || p < 1 || n < 2) throw errors.shapeMismatch(`${owner} patterns`, ['S >= 1', 'P >= 1', 'N >= 2'], x.shape);
    if (s * p * n > MAX_STORED_ENTRIES) throw errors.invalidArgument(`${owner} patterns`, `at most ${MAX_STORED_ENTRIES} entries`, s * p * n);
    checkBinary(x, `${owner} patterns`);
  } catch (err) {
    x.dispose();
    throw err;
  }
  return x;
}

/** Patterns rolled by one along each sequence: T[mu] = xi[mu + 1 mod P] (the targets of the asymmetric transitions). */
export function nextPatterns(patterns: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => {
    const p = patterns.shape[1];
    if (p === 1) return patterns.clone();
    return tf.concat([patterns.slice([0, 1, 0], [-1, p - 1, -1]), patterns.slice([0, 0, 0], [-1, 1, -1])], 1);
  });
}

/** Tensors made by {@link readPatterns} (already checked), so a model built from them does not check them twice. */
const checked = new WeakSet<tf.Tensor>();

/**
 * The stored patterns of a model [S, P, N] (caller owns): `given` (±1, [P, N]
 * or [S, P, N], its shape must match the config's sizes), else seeded random ones.
 */
export function storedPatterns(c: PatternConfig, given: TensorInput | undefined, owner: string): tf.Tensor3D {
  if (given === undefined) return randomPatterns(c);
  const x = given instanceof tf.Tensor && checked.has(given) && !given.isDisposed ? (given.clone() as tf.Tensor3D) : readPatterns(given, owner);
  if (!tf.util.arraysEqual(x.shape, [c.sequences, c.length, c.size])) {
    x.dispose();
    throw errors.shapeMismatch(`${owner} patterns (config sequences x length x size)`, [c.sequences, c.length, c.size], x.shape);
  }
  return x;
}

/**
 * Builds a model from given patterns with the sizes their shape implies:
 * `make(sizes, patterns)` receives the checked [S, P, N] tensor (freed after).
 */
export function withPatterns<M>(given: TensorInput, owner: string, make: (sizes: { size: number; length: number; sequences: number }, patterns: tf.Tensor3D) => M): M {
  const x = readPatterns(given, owner);
  checked.add(x);
  try {
    const [sequences, length, size] = x.shape;
    return make({ size, length, sequences }, x);
  } finally {
    x.dispose();
  }
}
