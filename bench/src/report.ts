/** The printed table and the JSON report. */
import type { CaseResult } from './harness.js';

function fmt(x: number | undefined, digits = 1): string {
  if (x === undefined || !Number.isFinite(x)) return '-';
  return x >= 100 ? x.toFixed(0) : x.toFixed(digits);
}

/** A fixed-width table: one row per case. */
export function table(results: CaseResult[]): string {
  const head = ['case', 'median ms', 'GFLOP/s', 'torch ms', 'torch GFLOP/s', 'engram/torch', 'peak tensors', 'growth', 'left'];
  const rows = results.map((r) =>
    r.skipped
      ? [r.name, 'skipped', '', '', '', '', '', '', '']
      : [
          r.name,
          fmt(r.median_ms),
          fmt(r.gflops),
          fmt(r.torch_median_ms),
          fmt(r.torch_gflops),
          r.ratio_vs_torch === undefined ? '-' : r.ratio_vs_torch.toFixed(2),
          String(r.peak_tensors),
          String(r.tensor_growth),
          String(r.tensors_left),
        ],
  );
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ') + ' |';
  return [line(head), '|' + widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') + '|', ...rows.map(line)].join('\n');
}
