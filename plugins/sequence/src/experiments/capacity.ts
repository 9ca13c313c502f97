/**
 * Sequence capacity: the theory of Chaudhry et al. (2023) and the paper's
 * measurement protocol (start above the theoretical capacity, lower P by 1%
 * until every one of S random sequences is recalled without a single error).
 */
import { errors } from '@engram/core';
import { randomPatterns } from '../internal/patterns.js';
import type { SequenceSeparationSpec } from '../internal/separation.js';
import { DenseNet } from '../models/dense.js';
import { recallSequence } from './recall.js';

/** (2d - 1)!! = 1 * 3 * 5 * ... * (2d - 1). */
export function doubleFactorialOdd(d: number): number {
  let r = 1;
  for (let k = 3; k <= 2 * d - 1; k += 2) r *= k;
  return r;
}

/** Theoretical transition capacity of the polynomial DenseNet: P_T ~ N^d / (2 (2d-1)!! ln N). */
export function theoryTransitionCapacity(size: number, degree: number): number {
  return size ** degree / (2 * doubleFactorialOdd(degree) * Math.log(size));
}

/** Theoretical sequence capacity of the polynomial DenseNet: P_S ~ N^d / (2 (d+1) (2d-1)!! ln N). */
export function theorySequenceCapacity(size: number, degree: number): number {
  return size ** degree / (2 * (degree + 1) * doubleFactorialOdd(degree) * Math.log(size));
}

/** Theoretical sequence capacity of the exponential DenseNet: P_S ~ beta^(N-1) / (2 ln(beta) N), beta = e^2 / cosh 2. */
export function theoryExponentialSequenceCapacity(size: number): number {
  const beta = Math.exp(2) / Math.cosh(2);
  return beta ** (size - 1) / (2 * Math.log(beta) * size);
}

/** Options of {@link measureSequenceCapacity}. */
export interface CapacityOptions {
  /** N. */
  size: number;
  /** F of the DenseNet: `{ kind: 'power', n }` or `{ kind: 'exp' }` (beta = N - 1). */
  separation: SequenceSeparationSpec;
  /** Random sequences that must all be recalled (default 100, as in the paper). */
  sequences?: number;
  /** First P tried (default: round(startFactor * theory), at least 2). */
  startP?: number;
  /** Multiple of the theoretical capacity to start from (default 2, as the reference code). */
  startFactor?: number;
  /** Seed of the random sequences (each tried P draws fresh ones). */
  seed?: number;
  /** Called after each tried P. */
  onTry?: (p: number, successes: number, ms: number) => void;
}

/** Outcome of {@link measureSequenceCapacity}. */
export interface CapacityResult {
  /** Largest P tried at which all sequences were recalled. */
  capacity: number;
  /** P values tried, in order. */
  tried: number[];
  /** Theory at this N (power: the P_S formula; exp with beta = N - 1: its formula; NaN otherwise). */
  theory: number;
  elapsedMs: number;
}

/**
 * Measures the sequence capacity of a DenseNet at one N: starting above the
 * theory, P is lowered by 1% (at least 1) until S fresh random sequences of
 * length P are all recalled through one full period with no wrong step.
 * The S sequences run as one batch, and a try stops at its first failure.
 */
export async function measureSequenceCapacity(options: CapacityOptions): Promise<CapacityResult> {
  const n = options.size;
  if (!Number.isInteger(n) || n < 3) throw errors.invalidArgument('size', 'an integer >= 3', n);
  const s = options.sequences ?? 100;
  if (!Number.isInteger(s) || s < 1) throw errors.invalidArgument('sequences', 'an integer >= 1', s);
  const sep = options.separation;
  const theory =
    sep.kind === 'power' ? theorySequenceCapacity(n, sep.n ?? 2) : sep.kind === 'exp' && (sep.beta === undefined || sep.beta === n - 1) ? theoryExponentialSequenceCapacity(n) : NaN;
  if (options.startP === undefined && !Number.isFinite(theory)) throw errors.invalidArgument('startP', 'given (no theory for this separation to start from)', undefined);
  let p = options.startP ?? Math.max(2, Math.round((options.startFactor ?? 2) * theory));
  if (!Number.isInteger(p) || p < 1) throw errors.invalidArgument('startP', 'an integer >= 1', p);
  let seed = options.seed ?? 0;
  const tried: number[] = [];
  const t0 = Date.now();
  for (;;) {
    tried.push(p);
    const t1 = Date.now();
    const patterns = randomPatterns({ size: n, length: p, sequences: s, seed: seed++, bias: 0.5 });
    let net: DenseNet;
    try {
      net = DenseNet.fromPatterns(patterns, { separation: sep });
    } finally {
      patterns.dispose();
    }
    let ok: boolean;
    let successes: number;
    try {
      const r = await recallSequence(net, { stop: 'first-failure', keepOverlaps: false, yieldEvery: 16 });
      successes = r.successes;
      ok = successes === s;
    } finally {
      net.dispose();
    }
    options.onTry?.(p, successes, Date.now() - t1);
    if (ok || p === 1) return { capacity: ok ? p : 0, tried, theory, elapsedMs: Date.now() - t0 };
    p = Math.max(1, Math.min(p - 1, Math.floor(0.99 * p)));
  }
}
