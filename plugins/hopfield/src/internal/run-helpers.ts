/**
 * Small pieces shared by the models' run methods: binarising cues and
 * collecting the final state of a run as a promise.
 */
import * as tf from '@tensorflow/tfjs';
import { lastValueFrom, type Observable } from 'rxjs';
import type { DynamicsStep, State, TensorInput } from '@engram/core';
import { broadcastMask } from './mask.js';
import { hostMatrix, type HostMatrix } from './deferred-run.js';
import { toMatrix } from './validate.js';

/** ±1 copy of x: entries >= 0 become +1, the others -1 (new tensor). */
export function binarize(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.where(tf.greaterEqual(x, 0), tf.onesLike(x), tf.onesLike(x).neg()));
}

/**
 * Runs a stream to its end and resolves with the final value of `layer`
 * (caller owns it) and the number of updates applied.
 */
export async function finalState(
  start: (onFinal: (s: State) => void) => Observable<DynamicsStep>,
  layer: string,
): Promise<{ state: tf.Tensor; steps: number; energies: Float32Array | null }> {
  let final: State | undefined;
  const last = await lastValueFrom(start((s) => (final = s)));
  if (!final) throw new Error('dynamics ended without a final state');
  const out = final[layer]!;
  for (const [k, t] of Object.entries(final)) if (k !== layer) t.dispose();
  return { state: out, steps: last.step, energies: last.energies };
}

/**
 * Host copies of a binary model's run inputs: the cue binarised to ±1 and the
 * clamp mask broadcast to the cue's shape (both checked; no tensor survives).
 */
export function binaryRunInputs(
  initial: TensorInput,
  clamp: TensorInput | undefined,
  size: number,
): { host: HostMatrix; hostMask: HostMatrix | undefined } {
  const [s0, mask] = tf.tidy(() => {
    const x = binarize(toMatrix('initial', initial, size));
    return [x, clamp === undefined ? undefined : broadcastMask(clamp, x.shape as [number, number])] as const;
  });
  const host = hostMatrix(s0 as tf.Tensor2D);
  const hostMask = mask ? hostMatrix(mask) : undefined;
  s0.dispose();
  mask?.dispose();
  return { host, hostMask };
}
