import type { SchedulerLike } from 'rxjs';
import type { State } from '../graph/state.js';
import type { TensorInput } from '../numerics/tensor-input.js';
import type { ClampSpec } from './clamp.js';

/** Options of a dynamics run. */
export interface RunOptions {
  /** Initial state per layer, [batch, ...shape]. Copied: the caller keeps ownership. */
  initial: Record<string, TensorInput>;
  /** Maximum number of updates (default 100). */
  maxSteps?: number;
  /** Step size (default 0.1); explicit rules receive it in their context. */
  dt?: number;
  /** Stop when the update size max|dx| falls below this (default 0: never). */
  tolerance?: number;
  /** Stop when |E_k - E_(k-1)| (batch total) falls below this (default 0: never). */
  energyTolerance?: number;
  /** Entries held at their initial values (pattern completion). */
  clamp?: ClampSpec;
  /** Copy states to the events: true for every layer, or a list of layer names (default false). */
  snapshot?: boolean | readonly string[];
  /** With `snapshot`, copy only every k-th step (and the last; default 1). */
  snapshotEvery?: number;
  /** Compute the energy tree's terms (default true). */
  energyTree?: boolean;
  /** Yield to the event loop every k steps (default 1) so timers, IO and UIs stay live. */
  yieldEvery?: number;
  /** Yield through this RxJS scheduler instead of setImmediate. */
  scheduler?: SchedulerLike;
  /**
   * Receives the final state when the run ends by itself (converged or out of
   * steps); ownership passes to the callback, which must dispose it. Not called
   * when the subscriber cancels or on error.
   */
  onFinal?: (state: State) => void;
}
