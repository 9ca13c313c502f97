/** The printed tables. */
import type { CaseResult } from './harness.js';
import type { MemoryResult } from './memory.js';
import { fastestTorchMs, type ScalingResult } from './scaling.js';

function fmt(x: number | undefined, digits = 1): string {
  if (x === undefined || !Number.isFinite(x)) return '-';
  return x >= 100 ? x.toFixed(0) : x.toFixed(digits);
}

const ratio = (x: number | undefined): string => (x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(2));

/** A fixed-width markdown table. */
function grid(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ') + ' |';
  return [line(head), '|' + widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') + '|', ...rows.map(line)].join('\n');
}

/**
 * One row per case: engram, torch pinned (1 torch thread, 1 OpenBLAS thread)
 * and torch at its best (setting named), with the paired ratios to each.
 */
export function table(results: CaseResult[]): string {
  const head = ['case', 'median ms', 'GFLOP/s', 'torch 1x1 ms', 'x torch 1x1', 'torch best ms', 'best', 'x torch best', 'peak tensors', 'growth', 'left'];
  const rows = results.map((r) =>
    r.skipped
      ? [r.name, 'skipped', '', '', '', '', '', '', '', '', '']
      : [
          r.name,
          fmt(r.median_ms),
          fmt(r.gflops),
          fmt(r.torch_median_ms),
          ratio(r.ratio_vs_torch),
          fmt(r.torch_best_median_ms),
          r.torch_best_setting ?? '-',
          ratio(r.ratio_vs_torch_best),
          String(r.peak_tensors),
          String(r.tensor_growth),
          String(r.tensors_left),
        ],
  );
  return grid(head, rows);
}

/** --breakdown: per case, the time inside kernels and outside them, and the top kernels. */
export function breakdownTable(results: CaseResult[]): string {
  const head = ['case', 'wall ms', 'in kernels ms', 'outside ms', 'kernels/run', 'us outside per kernel', 'top kernels (ms per run)'];
  const rows = results
    .filter((r) => r.breakdown)
    .map((r) => {
      const b = r.breakdown!;
      return [b.self_timed ? `${r.name} *` : r.name, fmt(b.wall_ms), fmt(b.kernel_ms), fmt(b.outside_ms), fmt(b.kernels_per_run), fmt((b.outside_ms / Math.max(1, b.kernels_per_run)) * 1000), b.top.map((t) => `${t.kernel} ${fmt(t.ms)}`).join(', ')];
    });
  const note = results.some((r) => r.breakdown?.self_timed) ? '\n* times itself: its run also builds what its own time leaves out (model, data), so wall and outside are not its reported time' : '';
  return grid(head, rows) + note;
}

/** Scaling families: per point engram and every torch setting, then the fitted exponents. */
export function scalingTable(scaling: ScalingResult[]): string {
  const out: string[] = [];
  for (const s of scaling) {
    const settings = [...new Set(s.points.flatMap((p) => Object.keys(p.torch_ms)))];
    const head = [s.name, 'engram ms', ...settings.map((x) => `torch ${x} ms`), 'torch best ms', ...settings.map((x) => `x ${x}`)];
    const rows = s.points.map((p) => [`${s.param}=${p.value}`, p.skipped ? 'skipped' : fmt(p.engram_ms), ...settings.map((x) => fmt(p.torch_ms[x])), fmt(fastestTorchMs(p)), ...settings.map((x) => ratio(p.ratio[x]))]);
    const exp = (e: ScalingResult['exponent']) => [fmt(e.engram, 2), ...settings.map((x) => fmt(e.torch[x], 2)), fmt(e.torch_best, 2), ...settings.map(() => '')];
    rows.push([`exponent (${s.param}>=${s.fit_from})`, ...exp(s.exponent)]);
    rows.push(['exponent (all)', ...exp(s.exponent_all)]);
    out.push(grid(head, rows));
  }
  return out.join('\n\n');
}

/** Peak memory per case: engram max RSS and wasm heap, torch max RSS, the ratio. */
export function memoryTable(memory: MemoryResult[]): string {
  const head = ['memory case', 'engram max RSS MiB', 'wasm heap MiB', 'engram base MiB', 'torch max RSS MiB', 'torch base MiB', 'engram/torch RSS', 'engram ms', 'torch ms'];
  const rows = memory.map((m) => [
    m.name,
    m.engram.ok ? fmt(m.engram.max_rss_mib) : `failed: ${(m.engram.error ?? '').slice(0, 40)}`,
    fmt(m.engram.wasm_heap_mib),
    fmt(m.engram.baseline_rss_mib),
    m.torch ? (m.torch.ok ? fmt(m.torch.max_rss_mib) : `failed: ${(m.torch.error ?? '').slice(0, 40)}`) : '-',
    fmt(m.torch?.baseline_rss_mib),
    ratio(m.rss_ratio),
    fmt(m.engram.ms),
    fmt(m.torch?.ms),
  ]);
  return grid(head, rows);
}
