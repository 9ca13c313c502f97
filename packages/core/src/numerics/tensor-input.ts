import * as tf from '@tensorflow/tfjs';
import { errors } from '../errors/index.js';

/** Anything engram accepts where a tensor is expected. */
export type TensorInput = tf.Tensor | tf.TensorLike;

/** A JSON value, for specs and hyper-parameters. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** A JSON object, for specs and hyper-parameters. */
export type JsonObject = { [key: string]: JsonValue };

/** What {@link toTensor} checks. */
export interface ToTensorOptions {
  /** Allowed rank(s), after `batch` has added its axis. */
  rank?: number | readonly number[];
  /** Required shape; `null` (or a string label such as 'batch') matches any size on that axis. Implies the rank. */
  shape?: readonly (number | string | null)[];
  /** When the input has one axis fewer than `shape`, add a leading batch axis of size 1 (one sample given alone). */
  batch?: boolean;
  /** Reject NaN and infinite entries (ENGRAM_ERR_NON_FINITE); costs one small device-to-host read. */
  finite?: boolean;
  /** Result dtype (default 'float32'). */
  dtype?: 'float32' | 'int32';
}

/** True for a tensor, a (typed) array or a number: what tf.tensor accepts. */
export function isTensorInput(x: unknown): x is TensorInput {
  return x instanceof tf.Tensor || Array.isArray(x) || ArrayBuffer.isView(x) || typeof x === 'number';
}

/**
 * Converts an input to a tensor the CALLER OWNS (a tensor is cloned, which
 * shares its data), checking it on the way: rank, shape, finiteness. The one
 * input normaliser of engram: every model reads its inputs through it, so bad
 * input fails the same way everywhere (ENGRAM_ERR_INVALID_ARGUMENT for a
 * non-numeric value, ENGRAM_ERR_SHAPE_MISMATCH, ENGRAM_ERR_NON_FINITE).
 *
 * @param name - how the input is named in error messages, e.g. 'initial' or 'patterns'
 */
export function toTensor(x: TensorInput, name = 'input', options: ToTensorOptions = {}): tf.Tensor {
  const dtype = options.dtype ?? 'float32';
  let t: tf.Tensor;
  if (x instanceof tf.Tensor) {
    if (x.isDisposed) throw errors.disposed(`tensor '${name}'`);
    t = x.dtype === dtype ? x.clone() : tf.cast(x, dtype);
  } else {
    if (!isTensorInput(x)) throw errors.invalidArgument(name, 'a tensor or a numeric (nested) array', x);
    try {
      t = tf.tensor(x as tf.TensorLike, undefined, dtype);
    } catch (err) {
      throw errors.invalidArgument(name, `a tensor or a rectangular numeric array (${(err as Error).message})`, Array.isArray(x) ? `an array of length ${x.length}` : x);
    }
  }
  try {
    const want = options.shape;
    if (want && options.batch && t.rank === want.length - 1) {
      const b = t.expandDims(0);
      t.dispose();
      t = b;
    }
    if (want) {
      const ok = t.rank === want.length && want.every((d, i) => typeof d !== 'number' || d === t.shape[i]);
      if (!ok) throw errors.shapeMismatch(name, want.map((d) => (d === null ? '*' : d)), t.shape);
    }
    if (options.rank !== undefined) {
      const ranks = typeof options.rank === 'number' ? [options.rank] : options.rank;
      if (!ranks.includes(t.rank)) {
        throw errors.invalidArgument(`${name} (shape [${t.shape.join(', ')}])`, `a tensor of rank ${ranks.join(' or ')}`, t.rank);
      }
    }
    if (options.finite && t.size > 0) {
      const check = tf.tidy(() => tf.sum(tf.sub(t, t)).dataSync()[0]!);
      if (!Number.isFinite(check)) throw errors.nonFiniteInput(name);
    }
  } catch (err) {
    t.dispose();
    throw err;
  }
  return t;
}
