import type { SchedulerLike } from 'rxjs';
import type { State } from '../state.js';
import type { TensorInput } from '../numerics/tensor-input.js';
import type { ClampSpec } from './clamp.js';

/** How a run steps, stops and reports: the options shared by every model and by the engine. */
export interface RunSettings {
  /** Maximum number of updates (default 100). */
  maxSteps?: number;
  /** Step size of descent updates (default 0.1); explicit rules receive it in their context. */
  dt?: number;
  /** Stop when the update size max|dx| falls below this (default 0: never). */
  tolerance?: number;
  /** Stop when |E_k - E_(k-1)| (batch total) falls below this (default 0: never). */
  energyTolerance?: number;
  /** Emit every k-th step (and the last; default 1: every step). Skipped steps cost no host read of the state. */
  every?: number;
  /**
   * Copy states to the emitted events (a device-to-host copy): true for every
   * layer, a list of layer names, or `{ layers?, every? }` to copy only every
   * k-th emitted step (and the last). Default false.
   */
  snapshot?: boolean | readonly string[] | SnapshotOptions;
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

/** Which states to copy to the events, and how often. */
export interface SnapshotOptions {
  /** Layer names (default every layer). */
  layers?: readonly string[];
  /** Copy every k-th step (and the last; default 1). */
  every?: number;
}

/** Options of the engine ({@link runDynamics}): the settings, the initial state by layer name, and clamp masks. */
export interface DynamicsOptions extends RunSettings {
  /** Initial state per layer, [batch, ...shape]. Copied: the caller keeps ownership. */
  initial: Readonly<Record<string, TensorInput>>;
  /** Entries held at their initial values (pattern completion): 1 = held. */
  clamp?: ClampSpec;
}
