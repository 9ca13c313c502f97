/** The comparison table of `engram clam` as Markdown. */
import type { BenchmarkRow } from './benchmark.js';

const f3 = (v: number) => v.toFixed(3);

/** "data set | k | ClAM silhouette (beta, lr) | k-means | soft k-means | agglomerative | ClAM clusters used", one line per data set. */
export function comparisonTable(rows: readonly BenchmarkRow[]): string {
  const lines = [
    '| data set | k | ClAM silhouette (beta, lr) | k-means | soft k-means | agglomerative | ClAM clusters used |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) =>
      [
        '',
        `${r.name} (${r.n}x${r.d})`,
        String(r.k),
        `${f3(r.clam.silhouette)} (${r.clam.beta}, ${r.clam.lr}${r.clam.init ? `, ${r.clam.init}` : ''})`,
        f3(r.kmeans.silhouette),
        f3(r.softKmeans.silhouette),
        r.agglomerative ? `${f3(r.agglomerative.silhouette)} (${r.agglomerative.setting})` : 'n/a',
        // The Silhouette rewards merging clusters: say how many of the k prototypes the best fit uses.
        String(r.clam.trials.find((t) => t.beta === r.clam.beta && t.lr === r.clam.lr && t.fill === r.clam.fill)?.clusters ?? '?'),
        '',
      ].join(' | ').trim(),
    ),
  ];
  return lines.join('\n') + '\n';
}

/** The acceptance check of the issue: ClAM >= k-means - 0.01 everywhere, and >= 10 % better on at least two. */
export function acceptanceSummary(rows: readonly BenchmarkRow[]): { within: string[]; failing: string[]; better10: string[]; text: string } {
  const within = rows.filter((r) => r.clam.silhouette >= r.kmeans.silhouette - 0.01).map((r) => r.id);
  const failing = rows.filter((r) => r.clam.silhouette < r.kmeans.silhouette - 0.01).map((r) => r.id);
  const better10 = rows.filter((r) => r.clam.silhouette >= r.kmeans.silhouette * 1.1 && r.kmeans.silhouette > 0).map((r) => r.id);
  const text =
    `ClAM >= k-means - 0.01 on ${within.length}/${rows.length} data sets${failing.length ? ` (not on: ${failing.join(', ')})` : ''}; ` +
    `>= 10 % better than k-means on ${better10.length} (${better10.join(', ') || 'none'}).`;
  return { within, failing, better10, text };
}
