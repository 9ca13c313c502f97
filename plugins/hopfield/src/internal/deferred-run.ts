/**
 * Starts a core dynamics run whose input tensors are made at subscription time
 * and freed when the run ends or is cancelled, so a cold Observable that is
 * never subscribed holds no tensors, and one subscribed twice runs twice.
 */
import * as tf from '@tensorflow/tfjs';
import { defer, finalize, type Observable } from 'rxjs';
import { runDynamics, type DynamicsStep, type DynamicsSystem, type RunOptions } from '@engram/core';
import { STATE_LAYER } from '../run-options.js';

/** A host copy of a [rows, cols] matrix. */
export interface HostMatrix {
  data: Float32Array;
  shape: [number, number];
}

/** Host copy of a tensor (the caller keeps the tensor). */
export function hostMatrix(t: tf.Tensor2D): HostMatrix {
  return { data: Float32Array.from(t.dataSync() as Float32Array), shape: [t.shape[0], t.shape[1]] };
}

/**
 * Runs `system` from the host state `initial` (one layer, {@link STATE_LAYER})
 * with an optional host clamp mask, forwarding the other engine options.
 */
export function deferredRun(
  system: DynamicsSystem,
  initial: HostMatrix,
  clamp: HostMatrix | undefined,
  rest: Omit<RunOptions, 'initial' | 'clamp'>,
): Observable<DynamicsStep> {
  return defer(() => {
    const x0 = tf.tensor2d(initial.data, initial.shape);
    const mask = clamp ? tf.tensor2d(clamp.data, clamp.shape) : undefined;
    const opts: RunOptions = { ...rest, initial: { [STATE_LAYER]: x0 } };
    if (mask) opts.clamp = { [STATE_LAYER]: mask };
    // runDynamics copies its inputs when it starts (synchronously on subscribe).
    return runDynamics(system, opts).pipe(
      finalize(() => {
        x0.dispose();
        mask?.dispose();
      }),
    );
  });
}
