import * as tf from '@tensorflow/tfjs';

/** The state of a model: one tensor [batch, ...layerShape] per layer name. */
export type State = Record<string, tf.Tensor>;

/** Disposes every tensor of a state (ignores missing entries). */
export function disposeState(state: State | undefined): void {
  if (!state) return;
  for (const t of Object.values(state)) if (!t.isDisposed) t.dispose();
}

/** Keeps every tensor of a state out of the enclosing tf.tidy. */
export function keepState(state: State): State {
  for (const t of Object.values(state)) tf.keep(t);
  return state;
}

/** Copies a state into plain arrays (a device-to-host copy). */
export function snapshotState(state: State): Record<string, { shape: number[]; data: Float32Array }> {
  const out: Record<string, { shape: number[]; data: Float32Array }> = {};
  for (const [k, t] of Object.entries(state)) out[k] = { shape: [...t.shape], data: Float32Array.from(t.dataSync() as Float32Array) };
  return out;
}
