/**
 * The adjusted Rand index (Hubert & Arabie, 1985) between two labelings, as
 * scikit-learn's adjusted_rand_score: (RI - E[RI]) / (max RI - E[RI]) from
 * the contingency table; 1 for identical partitions up to renaming, about 0
 * for independent ones.
 */
import { errors } from '@engram/core';
import { compactLabels } from './compact-labels.js';

const pairs = (m: number): number => (m * (m - 1)) / 2;

/** ARI between `truth` and `predicted` (same length). */
export function adjustedRandIndex(truth: ArrayLike<number>, predicted: ArrayLike<number>): number {
  if (truth.length !== predicted.length) throw errors.shapeMismatch('predicted labels (one per sample)', [truth.length], [predicted.length]);
  const n = truth.length;
  if (n === 0) throw errors.invalidArgument('labels', 'at least one sample', 0);
  const a = compactLabels(truth);
  const b = compactLabels(predicted);
  const table = new Float64Array(a.count * b.count);
  for (let i = 0; i < n; i++) table[a.ids[i]! * b.count + b.ids[i]!]! += 1;
  const rows = new Float64Array(a.count);
  const cols = new Float64Array(b.count);
  let index = 0;
  for (let r = 0; r < a.count; r++) {
    for (let c = 0; c < b.count; c++) {
      const v = table[r * b.count + c]!;
      rows[r]! += v;
      cols[c]! += v;
      index += pairs(v);
    }
  }
  const sumRows = rows.reduce((s, v) => s + pairs(v), 0);
  const sumCols = cols.reduce((s, v) => s + pairs(v), 0);
  const expected = (sumRows * sumCols) / pairs(n);
  const max = (sumRows + sumCols) / 2;
  // Both partitions trivial (one cluster each, or all singletons): identical, as scikit-learn returns 1.
  if (max === expected) return 1;
  return (index - expected) / (max - expected);
}
