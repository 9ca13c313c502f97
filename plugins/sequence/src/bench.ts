/**
 * Benchmark case 'sequence-transition': DenseNet transitions at N = 1000
 * through the core engine (no snapshots), for `npm run bench`. Not part of the
 * public index: import it from `@engram/sequence/bench`.
 */
import { lastValueFrom } from 'rxjs';
import * as tf from '@tensorflow/tfjs';
import { errors } from '@engram/core';
import type { SequenceSeparationSpec } from './internal/separation.js';
import { DenseNet } from './models/dense.js';

/** Options of {@link benchSequenceTransition}. */
export interface SequenceTransitionBenchOptions {
  /** N (default 1000). */
  size?: number;
  /** P (default 1000). */
  length?: number;
  /** States advanced together (default 1). */
  batch?: number;
  /** F (default `{ kind: 'power', n: 2 }`). */
  separation?: SequenceSeparationSpec;
  /** Timed transitions (default 50). */
  steps?: number;
  /** Untimed warm-up transitions (default 3). */
  warmup?: number;
  /** Seed of the patterns (default 0). */
  seed?: number;
}

/** Result of {@link benchSequenceTransition}. */
export interface SequenceTransitionBenchResult {
  name: 'sequence-transition';
  size: number;
  length: number;
  batch: number;
  steps: number;
  /** Wall time per transition of the whole batch, ms (engine overhead included). */
  msPerStep: number;
  /** Batch transitions per second. */
  transitionsPerSecond: number;
  /** Floating-point operations per transition, counted as 4 products of [B, N] by [N, P] (overlaps in, two field terms, overlaps out) as before the migration, so numbers compare. */
  flopsPerStep: number;
  /** True when the final state is the expected pattern (the timed run recalled correctly). */
  recalled: boolean;
}

/** Times DenseNet transitions (default N = P = 1000, d = 2) run through the core engine. */
export async function benchSequenceTransition(options: SequenceTransitionBenchOptions = {}): Promise<SequenceTransitionBenchResult> {
  const n = options.size ?? 1000;
  const p = options.length ?? 1000;
  const b = options.batch ?? 1;
  const steps = options.steps ?? 50;
  const warmup = options.warmup ?? 3;
  for (const [k, v] of Object.entries({ batch: b, steps, warmup: warmup + 1 })) {
    if (!Number.isInteger(v) || v < 1) throw errors.invalidArgument(k, 'a positive integer', v);
  }
  const net = new DenseNet({ size: n, length: p, separation: options.separation ?? { kind: 'power', n: 2 }, seed: options.seed ?? 0 });
  try {
    const cue = tf.tidy(() => tf.tile(net.patternAt(0), [b, 1]));
    let recalled = false;
    try {
      await lastValueFrom(net.run({ initial: cue, maxSteps: warmup, yieldEvery: 1000 }));
      const t0 = performance.now();
      await lastValueFrom(
        net.run({
          initial: cue,
          maxSteps: steps,
          yieldEvery: 1000,
          onFinal: (s) => {
            const m = s['overlaps']!.dataSync();
            recalled = m[steps % p]! > 1 - 0.5 / n;
            for (const t of Object.values(s)) t.dispose();
          },
        }),
      );
      const ms = (performance.now() - t0) / steps;
      return {
        name: 'sequence-transition',
        size: n,
        length: p,
        batch: b,
        steps,
        msPerStep: ms,
        transitionsPerSecond: 1000 / ms,
        flopsPerStep: 2 * 4 * b * p * n,
        recalled,
      };
    } finally {
      cue.dispose();
    }
  } finally {
    net.dispose();
  }
}
