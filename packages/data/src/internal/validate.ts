/** Argument checks shared by the generators, loaders and masks. */
import { errors } from '@engram/core';

/** Throws INVALID_ARGUMENT unless `value` is an integer >= `min` (default 1). */
export function checkInt(name: string, value: unknown, min = 1): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw errors.invalidArgument(name, `an integer >= ${min}`, value);
  }
  return value;
}

/** Throws INVALID_ARGUMENT unless `value` is a number in [lo, hi]. */
export function checkRange(name: string, value: unknown, lo: number, hi: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < lo || value > hi) {
    throw errors.invalidArgument(name, `a number in [${lo}, ${hi}]`, value);
  }
  return value;
}

/** Throws INVALID_ARGUMENT unless `value` is a finite number (>= 0 when `nonNegative`). */
export function checkFinite(name: string, value: unknown, nonNegative = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || (nonNegative && value < 0)) {
    throw errors.invalidArgument(name, nonNegative ? 'a finite number >= 0' : 'a finite number', value);
  }
  return value;
}
