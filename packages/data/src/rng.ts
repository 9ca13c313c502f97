/**
 * A small seeded pseudo-random generator: xoshiro128** (period 2^128 - 1)
 * seeded through splitmix32. Pure JavaScript, so a seed gives the same stream
 * on every platform and backend, unlike tfjs' random ops.
 */
import { errors } from '@engram/core';

/** A seeded random stream. Every method advances the same stream. */
export interface Rng {
  /** The seed this generator started from. */
  readonly seed: number;
  /** Next raw 32-bit unsigned integer. */
  nextUint32(): number;
  /** Uniform double in [low, high), default [0, 1); 53 random bits. */
  uniform(low?: number, high?: number): number;
  /** Gaussian sample with the given mean and standard deviation (Box-Muller). */
  normal(mean?: number, std?: number): number;
  /** Uniform integer in [low, high); with one argument, in [0, low). */
  int(low: number, high?: number): number;
  /** True with probability p. */
  bernoulli(p?: number): boolean;
  /** Shuffles `array` in place (Fisher-Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: unknown }>(array: T): T;
  /** A random permutation of 0..n-1. */
  permutation(n: number): Int32Array;
  /** A new generator seeded from this stream, for an independent sub-stream. */
  fork(): Rng;
}

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

const rotl = (x: number, k: number): number => (x << k) | (x >>> (32 - k));

/**
 * Creates a seeded generator. The seed is any safe integer (negative allowed);
 * equal seeds give equal streams.
 *
 * @example
 * const rng = createRng(42);
 * rng.normal(); rng.int(10); rng.shuffle([1, 2, 3]);
 */
export function createRng(seed: number): Rng {
  if (!Number.isSafeInteger(seed)) throw errors.invalidArgument('seed', 'a safe integer', seed);
  // Fold both 32-bit halves of the seed in, so seeds differing only above bit 32 differ.
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 0x100000000) >>> 0;
  const mix = splitmix32(lo ^ Math.imul(hi, 0x9e3779b1));
  let a = mix();
  let b = mix();
  let c = mix();
  let d = mix();
  if ((a | b | c | d) === 0) a = 1; // the all-zero state is a fixed point

  let spare: number | undefined;

  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };
  const unit = (): number => ((nextUint32() >>> 5) * 67108864 + (nextUint32() >>> 6)) / 9007199254740992;

  const rng: Rng = {
    seed,
    nextUint32,
    uniform(low = 0, high = 1) {
      return low + (high - low) * unit();
    },
    normal(mean = 0, std = 1) {
      if (spare !== undefined) {
        const z = spare;
        spare = undefined;
        return mean + std * z;
      }
      const u = 1 - unit(); // in (0, 1], so log(u) is finite
      const v = unit();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return mean + std * r * Math.cos(2 * Math.PI * v);
    },
    int(low, high) {
      const [lo2, hi2] = high === undefined ? [0, low] : [low, high];
      if (!Number.isSafeInteger(lo2) || !Number.isSafeInteger(hi2) || hi2 <= lo2) {
        throw errors.invalidArgument('int range', 'integers with low < high', [lo2, hi2]);
      }
      return lo2 + Math.floor(unit() * (hi2 - lo2));
    },
    bernoulli(p = 0.5) {
      return unit() < p;
    },
    shuffle(array) {
      for (let i = array.length - 1; i > 0; i--) {
        const j = Math.floor(unit() * (i + 1));
        const tmp = array[i];
        array[i] = array[j];
        array[j] = tmp;
      }
      return array;
    },
    permutation(n) {
      if (!Number.isSafeInteger(n) || n < 0) throw errors.invalidArgument('n', 'a non-negative integer', n);
      const p = new Int32Array(n);
      for (let i = 0; i < n; i++) p[i] = i;
      return rng.shuffle(p);
    },
    fork() {
      return createRng(nextUint32() * 0x200000 + (nextUint32() >>> 11));
    },
  };
  return rng;
}
