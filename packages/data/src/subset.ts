/** Seeded, class-balanced selection of examples from a labelled set. */
import { errors } from '@engram/core';
import { checkInt } from './internal/validate.js';
import { createRng } from './rng.js';

/**
 * Picks `perClass` example indices of each class 0..numClasses-1, uniformly at
 * random with `seed`, and returns them sorted ascending (so the subset keeps
 * the original order of the examples). Deterministic for a given input and seed.
 * Throws INVALID_ARGUMENT if a class has fewer than `perClass` examples.
 */
export function balancedSubsetIndices(
  labels: ArrayLike<number>,
  perClass: number,
  seed: number,
  numClasses?: number,
): Int32Array {
  checkInt('perClass', perClass);
  let k = 0;
  for (let i = 0; i < labels.length; i++) k = Math.max(k, labels[i]! + 1);
  const classes = numClasses === undefined ? k : checkInt('numClasses', numClasses);
  const byClass: number[][] = Array.from({ length: classes }, () => []);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i]!;
    if (!Number.isInteger(c) || c < 0 || c >= classes) throw errors.invalidArgument(`labels[${i}]`, `an integer in [0, ${classes})`, c);
    byClass[c]!.push(i);
  }
  const rng = createRng(seed);
  const chosen: number[] = [];
  byClass.forEach((members, c) => {
    if (members.length < perClass) {
      throw errors.invalidArgument(`perClass (class ${c} has ${members.length} examples)`, `at most ${members.length}`, perClass);
    }
    chosen.push(...rng.shuffle(members).slice(0, perClass));
  });
  return Int32Array.from(chosen.sort((a, b) => a - b));
}
