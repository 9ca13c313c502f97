/**
 * Scoring a recall: run a model from a stored pattern through the core engine
 * and check, at every step, that the state IS the expected element of the
 * sequence (its overlap with that pattern is 1).
 */
import { disposeState, errors, type DynamicsStep, type State } from '@engram/core';
import type { Subscription } from 'rxjs';
import { MixedNet } from '../models/mixed.js';
import type { SequenceMemory } from '../models/index.js';

/** When {@link recallSequence} stops early. */
export type RecallStop = 'never' | 'all-failed' | 'first-failure';

/** Options of {@link recallSequence}. */
export interface RecallOptions {
  /** Index of the pattern the recall starts from (default 0). */
  start?: number;
  /** Number of transitions (default P * hold: one full period). */
  steps?: number;
  /** Steps each element should be held (default 1; the MixedNet's delay for timed recall). */
  hold?: number;
  /**
   * MixedNet only: fill the filter window with the pattern before `start`
   * (default true, as in the paper's simulations); false starts with an empty past.
   */
  withPast?: boolean;
  /** Stop early (default 'all-failed': counts stay exact, later overlaps are not recorded). */
  stop?: RecallStop;
  /** Keep the overlaps of every step (default true). */
  keepOverlaps?: boolean;
  /** Yield to the event loop every k steps (default 1). */
  yieldEvery?: number;
}

/** Outcome of {@link recallSequence}. */
export interface RecallResult {
  /** Per batch element (per sequence when S > 1): true when every step was right. */
  success: boolean[];
  /** Number of successful batch elements. */
  successes: number;
  /** Per batch element: first wrong step (1-based transition index), or -1. */
  firstError: number[];
  /** Steps actually run (fewer than asked when stopped early). */
  stepsRun: number;
  /** Overlaps [B, P] (row-major) of steps 0..stepsRun, when kept. */
  overlaps: Float32Array[];
  /** Per step: the smallest overlap with the expected pattern over the batch. */
  minExpectedOverlap: number[];
}

/**
 * Recalls the stored sequence(s) from pattern `start` and scores each step:
 * the state at step t must equal pattern start + floor(t / hold) (mod P).
 * Runs through `model.run` (the core engine), so it streams like any run.
 * Bad options reject the promise with a coded EngramError.
 */
export async function recallSequence(model: SequenceMemory, options: RecallOptions = {}): Promise<RecallResult> {
  const p = model.length;
  const n = model.size;
  const start = options.start ?? 0;
  const hold = options.hold ?? 1;
  if (!Number.isInteger(start)) throw errors.invalidArgument('start', 'an integer', start);
  if (!Number.isInteger(hold) || hold < 1) throw errors.invalidArgument('hold', 'an integer >= 1', hold);
  const steps = options.steps ?? p * hold;
  if (!Number.isInteger(steps) || steps < 0) throw errors.invalidArgument('steps', 'an integer >= 0', steps);
  const stop = options.stop ?? 'all-failed';
  if (!['never', 'all-failed', 'first-failure'].includes(stop)) throw errors.invalidArgument('stop', "'never', 'all-failed' or 'first-failure'", stop);
  const keep = options.keepOverlaps ?? true;
  const initial = startState(model, start, options.withPast ?? true);
  const batch = initial['v']!.shape[0]!;
  const success = new Array<boolean>(batch).fill(true);
  const firstError = new Array<number>(batch).fill(-1);
  const overlaps: Float32Array[] = [];
  const minExpected: number[] = [];
  const threshold = 1 - 0.5 / n; // overlaps are multiples of 1/N: 1 means the state is the pattern
  let stepsRun = 0;
  return new Promise<RecallResult>((resolve, reject) => {
    let sub: Subscription | undefined;
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      sub?.unsubscribe();
      resolve({ success, successes: success.filter(Boolean).length, firstError, stepsRun, overlaps, minExpectedOverlap: minExpected });
    };
    const onStep = (e: DynamicsStep): void => {
      const o = e.states!['overlaps']!.data;
      const expected = (((start + Math.floor(e.step / hold)) % p) + p) % p;
      let min = Infinity;
      for (let b = 0; b < batch; b++) {
        const m = o[b * p + expected]!;
        if (m < min) min = m;
        if (m < threshold && success[b]) {
          success[b] = false;
          firstError[b] = e.step;
        }
      }
      minExpected.push(min);
      if (keep) overlaps.push(o);
      stepsRun = e.step;
      const failed = success.filter((x) => !x).length;
      if ((stop === 'first-failure' && failed > 0) || (stop === 'all-failed' && failed === batch)) finish();
    };
    // The run copies `initial` when subscribed, so it is freed right after.
    sub = model.run({ initial, maxSteps: steps, snapshot: ['overlaps'], yieldEvery: options.yieldEvery ?? 1 }).subscribe({
      next: (e) => {
        if (!finished) onStep(e);
      },
      error: (err: unknown) => {
        finished = true;
        reject(err);
      },
      complete: finish,
    });
    disposeState(initial);
    if (finished) sub.unsubscribe();
  });
}

/** The state a recall starts from: pattern `start`, and for the MixedNet the window on the pattern before it (`withPast`). */
function startState(model: SequenceMemory, start: number, withPast: boolean): State {
  const cue = model.patternAt(start);
  try {
    if (!(model instanceof MixedNet) || !withPast) return model.initialState(cue);
    const prev = model.patternAt(start - 1);
    try {
      return model.initialStateWithPast(cue, prev);
    } finally {
      prev.dispose();
    }
  } finally {
    cue.dispose();
  }
}
