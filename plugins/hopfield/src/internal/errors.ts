/** Errors the Hopfield models share. */
import { errors, type EngramError } from '@engram/core';

/** A run or energy of a memory that stores nothing yet. */
export function noPatterns(kind: string): EngramError {
  return errors.invalidArgument(`stored patterns of ${kind}`, 'at least one: call store(patterns) first, or create the model with memories > 0', 0);
}
