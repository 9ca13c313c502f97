import * as tf from '@tensorflow/tfjs';
import { errors } from '../errors/index.js';
import type { State } from '../state.js';
import { toTensor, type TensorInput } from '../numerics/tensor-input.js';

/**
 * Clamp masks per layer: 1 holds an entry at its initial value (pattern
 * completion), 0 lets it evolve; `true` holds the whole layer. A mask broadcasts
 * against [batch, ...shape] (e.g. shape [1, ...shape] for one mask for all samples).
 */
export type ClampSpec = Record<string, TensorInput | true>;

/** Prepared clamp: per clamped layer, its mask and the values it is held at. */
export interface PreparedClamp {
  masks: State;
  anchors: State;
}

/** Checks the clamp spec against the initial state and copies what it needs (the caller owns the result). */
export function prepareClamp(spec: ClampSpec | undefined, initial: State): PreparedClamp | undefined {
  if (!spec || Object.keys(spec).length === 0) return undefined;
  const masks: State = {};
  const anchors: State = {};
  try {
    for (const [name, m] of Object.entries(spec)) {
      const x = initial[name];
      if (!x) throw errors.unknownKind('clamped layer', name, Object.keys(initial));
      const mask = m === true ? tf.onesLike(x) : toTensor(m, `clamp mask of layer '${name}'`, { finite: true });
      masks[name] = mask;
      try {
        tf.broadcastTo(mask, x.shape).dispose();
      } catch {
        throw errors.shapeMismatch(`clamp mask of layer '${name}'`, x.shape, mask.shape);
      }
      anchors[name] = x.clone();
    }
  } catch (err) {
    for (const t of [...Object.values(masks), ...Object.values(anchors)]) t.dispose();
    throw err;
  }
  return { masks, anchors };
}

/** Holds clamped entries of `next` at their anchors; returns new tensors for clamped layers, the same ones otherwise. */
export function applyClamp(next: State, clamp: PreparedClamp | undefined): State {
  if (!clamp) return next;
  const out: State = { ...next };
  for (const [name, mask] of Object.entries(clamp.masks)) {
    const x = next[name]!;
    out[name] = tf.tidy(() => tf.add(tf.mul(mask, clamp.anchors[name]!), tf.mul(tf.sub(1, mask), x)));
  }
  return out;
}

/** Disposes a prepared clamp. */
export function disposeClamp(clamp: PreparedClamp | undefined): void {
  if (!clamp) return;
  for (const t of [...Object.values(clamp.masks), ...Object.values(clamp.anchors)]) t.dispose();
}
