/**
 * Input checks shared by the plot and image functions. Every check throws an
 * EngramError from @engram/core so callers can branch on `err.code`.
 */
import { errors } from '@engram/core';

/** Copies `values` into a plain array, refusing NaN and infinities (a plot of them would silently lie). */
export function finiteNumbers(what: string, values: ArrayLike<number>): number[] {
  const out = new Array<number>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw errors.nonFiniteInput(`${what} (index ${i})`);
    out[i] = v;
  }
  return out;
}

/** Throws unless `values[offset .. offset + length)` are all finite; does not copy (for large image buffers). */
export function assertFinite(what: string, values: ArrayLike<number>, offset = 0, length = values.length - offset): void {
  for (let i = 0; i < length; i++) {
    if (!Number.isFinite(values[offset + i])) throw errors.nonFiniteInput(`${what} (index ${i})`);
  }
}

/** Throws unless `value` is an integer >= `min`. */
export function assertInt(name: string, value: unknown, min: number): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw errors.invalidArgument(name, `an integer >= ${min}`, value);
  }
}

/** Throws unless `value` is a finite number > 0. */
export function assertPositive(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw errors.invalidArgument(name, 'a finite number > 0', value);
  }
}

/** Checks an optional `[min, max]` pair: both finite and min < max. */
export function checkRange(name: string, range: readonly [number, number]): [number, number] {
  if (
    !Array.isArray(range) ||
    range.length !== 2 ||
    !Number.isFinite(range[0]) ||
    !Number.isFinite(range[1]) ||
    !(range[0] < range[1])
  ) {
    throw errors.invalidArgument(name, '[min, max] with finite min < max', range);
  }
  return [range[0], range[1]];
}
