/**
 * Argument checks shared by the Hopfield models. Each throws a coded
 * EngramError that says what was expected.
 */
import * as tf from '@tensorflow/tfjs';
import { errors, toTensor, type TensorInput } from '@engram/core';

/** A positive integer, or throws INVALID_ARGUMENT. */
export function checkPositiveInt(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw errors.invalidArgument(name, 'a positive integer', v);
  return v;
}

/** A non-negative integer, or throws INVALID_ARGUMENT. */
export function checkNonNegativeInt(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw errors.invalidArgument(name, 'a non-negative integer', v);
  return v;
}

/** A finite number > 0, or throws INVALID_ARGUMENT. */
export function checkPositive(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw errors.invalidArgument(name, 'a positive finite number', v);
  return v;
}

/** A finite number, or throws INVALID_ARGUMENT. */
export function checkFinite(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw errors.invalidArgument(name, 'a finite number', v);
  return v;
}

/** One of the allowed strings, or throws INVALID_ARGUMENT. */
export function checkOneOf<T extends string>(name: string, v: unknown, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw errors.invalidArgument(name, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`, v);
  }
  return v as T;
}

/**
 * Converts input to a new float32 matrix [rows, cols] owned by the caller.
 * A 1-D input of length `cols` becomes one row. Checks the width and finiteness.
 */
export function toMatrix(name: string, x: TensorInput, cols?: number): tf.Tensor2D {
  const t = toTensor(x);
  try {
    if (t.rank !== 1 && t.rank !== 2) throw errors.shapeMismatch(name, ['rows', cols ?? 'cols'], t.shape);
    const m = tf.tidy(() => (t.rank === 1 ? t.reshape([1, t.shape[0]!]) : t).toFloat().clone()) as tf.Tensor2D;
    if (cols !== undefined && m.shape[1] !== cols) {
      m.dispose();
      throw errors.shapeMismatch(name, ['rows', cols], t.shape);
    }
    if (m.shape[0] === 0 || m.shape[1] === 0) {
      m.dispose();
      throw errors.shapeMismatch(name, ['rows >= 1', cols ?? 'cols >= 1'], t.shape);
    }
    const finite = tf.tidy(() => tf.sum(tf.sub(m, m)).dataSync()[0]);
    if (!Number.isFinite(finite)) {
      m.dispose();
      throw errors.nonFiniteInput(name);
    }
    return m;
  } finally {
    if (t !== x) t.dispose();
  }
}

/** Host copy of a matrix input: data, rows and columns (checked like {@link toMatrix}). */
export function toHostMatrix(name: string, x: TensorInput, cols?: number): { data: Float32Array; rows: number; cols: number } {
  const m = toMatrix(name, x, cols);
  const data = Float32Array.from(m.dataSync() as Float32Array);
  const out = { data, rows: m.shape[0], cols: m.shape[1] };
  m.dispose();
  return out;
}

/** Host copy of a ±1 pattern matrix [rows, cols] (checked like {@link toHostMatrix}, then every entry is ±1). */
export function toBinaryHostMatrix(name: string, x: TensorInput, cols: number): { data: Float32Array; rows: number; cols: number } {
  const m = toHostMatrix(name, x, cols);
  if (m.data.some((v) => v !== 1 && v !== -1)) throw errors.invalidArgument(name, 'entries of +1 or -1', 'other values');
  return m;
}

/** Applies `fn` to `x` as a checked float32 matrix [rows, cols], freeing the converted copy afterwards. */
export function withMatrix<T>(name: string, x: TensorInput, cols: number, fn: (m: tf.Tensor2D) => T): T {
  const m = toMatrix(name, x, cols);
  try {
    return fn(m);
  } finally {
    m.dispose();
  }
}

/** Throws DISPOSED when a model is used after dispose(). */
export function checkAlive(disposed: boolean, what: string): void {
  if (disposed) throw errors.disposed(what);
}
