/**
 * Learning thresholds: the smallest model that learns a task. For one task
 * and seed, the threshold is the smallest parameter count in the sweep from
 * which on every larger model reaches the criterion (so one lucky small model
 * does not count); over seeds, the median of the seeds' thresholds (a seed
 * that never learns counts as infinite).
 */

/** One measured point: a model size and its test accuracy on the task's target operator. */
export interface AccuracyPoint {
  readonly params: number;
  readonly accuracy: number;
}

/** The threshold of one seed's points, or null when the largest model does not learn. */
export function seedThreshold(points: readonly AccuracyPoint[], criterion: number): number | null {
  const sorted = [...points].sort((a, b) => a.params - b.params);
  let threshold: number | null = null;
  for (let i = sorted.length - 1; i >= 0; i--) {
    if (sorted[i]!.accuracy >= criterion) threshold = sorted[i]!.params;
    else break;
  }
  return threshold;
}

/** Median of seed thresholds (null = never learned = +infinity); null when the median itself is infinite. */
export function medianThreshold(thresholds: readonly (number | null)[]): number | null {
  if (thresholds.length === 0) return null;
  const xs = thresholds.map((t) => t ?? Infinity).sort((a, b) => a - b);
  const mid = xs.length >> 1;
  const m = xs.length % 2 === 1 ? xs[mid]! : (xs[mid - 1]! + xs[mid]!) / 2;
  return Number.isFinite(m) ? m : null;
}
