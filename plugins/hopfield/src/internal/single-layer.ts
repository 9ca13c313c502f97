/** The single-layer models' state layer, and running their stream to its end for the final state. */
import type * as tf from '@tensorflow/tfjs';
import { lastValueFrom, type Observable } from 'rxjs';
import { EngramError, ErrorCodes, disposeState, type DynamicsStep, type State } from '@engram/core';

/** Name of the state layer of the single-layer Hopfield models. */
export const STATE_LAYER = 'x';

/**
 * Subscribes to `start(onFinal)` until it completes and resolves with the final
 * value of `layer` (the caller owns it). Rejects with the run's error.
 */
export async function finalState(start: (onFinal: (s: State) => void) => Observable<DynamicsStep>, layer: string): Promise<tf.Tensor> {
  let final: State | undefined;
  await lastValueFrom(start((s) => (final = s)));
  const state = final as State | undefined;
  if (!state) throw new EngramError(ErrorCodes.INVALID_ARGUMENT, 'the run ended without a final state (it was cancelled)', {});
  const out = state[layer]!;
  const rest: State = { ...state };
  delete rest[layer];
  disposeState(rest);
  return out;
}
