/** Small argument checks shared by the plugin (all throw EngramError INVALID_ARGUMENT / SHAPE_MISMATCH). */
import * as tf from '@tensorflow/tfjs';
import { errors, toTensor, type TensorInput } from '@engram/core';

/** A positive integer or throws. */
export function posInt(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw errors.invalidArgument(name, 'a positive integer', v);
  return v;
}

/** A positive finite number or throws. */
export function posNum(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw errors.invalidArgument(name, 'a positive finite number', v);
  return v;
}

/** A finite number in [lo, hi] or throws. */
export function numIn(name: string, v: unknown, lo: number, hi: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi) throw errors.invalidArgument(name, `a number in [${lo}, ${hi}]`, v);
  return v;
}

/** A [n, dim] float tensor from any input, checked finite; the caller owns the result. */
export function matrixInput(name: string, v: TensorInput, dim?: number): tf.Tensor2D {
  let t: tf.Tensor;
  try {
    t = toTensor(v);
  } catch (err) {
    throw errors.invalidArgument(name, 'a tensor or nested array [n, dim]', typeof v);
  }
  const owned = t === v ? t.clone() : t;
  if (owned.rank !== 2) {
    const shape = owned.shape;
    owned.dispose();
    throw errors.shapeMismatch(name, ['n', dim ?? 'dim'], shape);
  }
  if (dim !== undefined && owned.shape[1] !== dim) {
    const shape = owned.shape;
    owned.dispose();
    throw errors.shapeMismatch(name, ['n', dim], shape);
  }
  const f = owned.dtype === 'float32' ? owned : owned.toFloat();
  if (f !== owned) owned.dispose();
  const finite = tf.tidy(() => tf.sum(tf.sub(f, f)).dataSync()[0]);
  if (!Number.isFinite(finite)) {
    f.dispose();
    throw errors.nonFiniteInput(name);
  }
  return f as tf.Tensor2D;
}
