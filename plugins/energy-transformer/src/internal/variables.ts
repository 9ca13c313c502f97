/**
 * Variable initialisers of the plugin's parts: seeded normal weights (or given
 * values, checked against the shape) and constants, as trainable tf.Variables.
 */
import * as tf from '@tensorflow/tfjs';
import { errors, toTensor, type TensorInput } from '@engram/core';

/**
 * A trainable variable of `shape`: `values` when given (any layout of the right
 * size is taken in `shape`'s row-major order after a shape check), else seeded
 * N(0, std^2).
 */
export function normalVariable(what: string, shape: number[], std: number, seed: number, values?: TensorInput): tf.Variable {
  return tf.tidy(() => {
    if (values === undefined) return tf.variable(tf.randomNormal(shape, 0, std, 'float32', seed), true);
    const t = toTensor(values, what, { finite: true });
    if (t.rank !== shape.length || t.shape.some((d, i) => d !== shape[i])) throw errors.shapeMismatch(what, shape, t.shape);
    return tf.variable(t, true);
  });
}

/**
 * A trainable [rows..., D]-layout variable whose seeded initial values are
 * drawn as the transposed [D, rows] matrix (the layout of the plugin's first
 * releases) and stored transposed: a seed gives the same weights as before, in
 * the layout the energy uses. Given `values` are taken as they are (new layout).
 */
export function normalVariableDrawnTransposed(what: string, shape: number[], std: number, seed: number, values?: TensorInput): tf.Variable {
  if (values !== undefined) return normalVariable(what, shape, std, seed, values);
  const last = shape[shape.length - 1]!;
  const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
  return tf.tidy(() => tf.variable(tf.reshape(tf.transpose(tf.randomNormal([last, rows], 0, std, 'float32', seed)), shape), true));
}

/** A trainable variable filled with `value`. */
export function constantVariable(shape: number[], value: number): tf.Variable {
  return tf.tidy(() => tf.variable(tf.fill(shape, value), true));
}

/** Number of entries in a record of variables. */
export function parameterCount(variables: Readonly<Record<string, tf.Variable>>): number {
  return Object.values(variables).reduce((s, v) => s + v.size, 0);
}
