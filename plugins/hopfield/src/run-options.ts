/** Run options shared by the Hopfield models (one state layer, so no layer names). */
import type { RunOptions, TensorInput } from '@engram/core';

/**
 * Options of a model's `run`: the core engine's {@link RunOptions} with the
 * single state given directly. `clamp` is a mask broadcastable to [batch, dim]
 * (1 = hold the entry at its initial value, for pattern completion).
 */
export interface HopfieldRunOptions extends Omit<RunOptions, 'initial' | 'clamp'> {
  /** Initial states (cues), [batch, dim] or one [dim] vector. */
  initial: TensorInput;
  /** Clamp mask, [dim], [1, dim] or [batch, dim]: 1 holds the entry. */
  clamp?: TensorInput;
}

/** Name of the state layer in the engine's State records and snapshots. */
export const STATE_LAYER = 'x';
