/** ROC-AUC: the probability that a random positive scores above a random negative (ties count 1/2). */
import { errors } from '@engram/core';

/** ROC-AUC of `scores` for binary `labels` (1 = positive), by the rank-sum (Mann-Whitney U) formula with average ranks for ties. */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  if (labels.length !== n) throw errors.invalidArgument('labels', `${n} labels (one per score)`, labels.length);
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let pos = 0;
  let rankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[idx[j + 1]!] === scores[idx[i]!]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (labels[idx[k]!]) {
        pos++;
        rankSum += avgRank;
      }
    }
    i = j + 1;
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) throw errors.invalidArgument('labels', 'both positives and negatives', `${pos} positives, ${neg} negatives`);
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}
