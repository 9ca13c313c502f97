/** The issues' targets, checked on the results of one run (issue 9's, then issue 15's). */
import type { CaseResult } from './harness.js';
import type { MemoryResult } from './memory.js';
import type { PairedResult } from './paired.js';
import type { ScalingResult } from './scaling.js';

/** One target: met (true), missed (false) or not measurable in this run (null). */
export interface TargetCheck {
  target: string;
  measured: string;
  ok: boolean | null;
}

/**
 * variant / baseline time: the median of interleaved per-round ratios when the
 * two were measured as a pair, else the ratio of the two medians.
 */
function pairRatio(results: CaseResult[], paired: PairedResult[], baseline: string, variant: string): { ratio: number; how: string; iqr?: [number, number] } | undefined {
  const p = paired.find((g) => g.baseline === baseline)?.variants.find((v) => v.name === variant);
  if (p) return { ratio: p.median_ratio, how: `median of ${p.ratios.length} interleaved rounds`, iqr: p.iqr };
  const b = results.find((r) => r.name === baseline && !r.skipped);
  const v = results.find((r) => r.name === variant && !r.skipped);
  if (!b || !v) return undefined;
  return { ratio: v.median_ms / b.median_ms, how: 'ratio of medians, not paired' };
}

/** Cases whose engram / torch-at-its-best ratio must be <= 1 (issue 15). */
export const BEST_RATIO_CASES = ['matmul-peak', 'dense-am-retrieval', 'et-inference', 'et-train-step', 'descent-closed-form', 'descent-autodiff'];

/** Evaluates every target the selected cases allow. */
export function targets(results: CaseResult[], paired: PairedResult[] = [], scaling: ScalingResult[] = [], memory: MemoryResult[] = []): TargetCheck[] {
  const by = (n: string): CaseResult | undefined => results.find((r) => r.name === n && !r.skipped);
  const out: TargetCheck[] = [];
  const na = (target: string, why: string) => out.push({ target, measured: why, ok: null });
  const peak = by('matmul-peak');
  const am = by('dense-am-retrieval');
  if (peak?.gflops && am?.gflops) {
    const f = am.gflops / peak.gflops;
    out.push({ target: 'dense-am-retrieval >= 75% of matmul-peak GFLOP/s', measured: `${(100 * f).toFixed(0)}% (${am.gflops.toFixed(1)} / ${peak.gflops.toFixed(1)})`, ok: f >= 0.75 });
  } else na('dense-am-retrieval >= 75% of matmul-peak GFLOP/s', 'needs both cases');
  // Issue 9's targets, against the pinned torch (1 torch thread, 1 OpenBLAS thread).
  const pinnedRatio = (name: string, limit: number) => {
    const r = by(name);
    const t = `${name} engram/PyTorch <= ${limit} (torch pinned 1x1)`;
    if (r?.ratio_vs_torch === undefined) na(t, 'no PyTorch result');
    else out.push({ target: t, measured: r.ratio_vs_torch.toFixed(2), ok: r.ratio_vs_torch <= limit });
  };
  pinnedRatio('dense-am-retrieval', 6);
  pinnedRatio('et-inference', 4);
  pinnedRatio('et-train-step', 5);
  // Issue 15's: against torch at its best here.
  for (const name of BEST_RATIO_CASES) {
    const r = by(name);
    const t = `${name} engram / torch at its best (same OpenBLAS kernels) <= 1.0`;
    if (r?.ratio_vs_torch_best === undefined) na(t, 'no PyTorch result');
    else {
      const iqr = r.torch_settings?.[r.torch_best_setting!]?.iqr;
      out.push({ target: t, measured: `${r.ratio_vs_torch_best.toFixed(2)} (torch ${r.torch_best_setting}${iqr ? `, IQR ${iqr[0].toFixed(2)}-${iqr[1].toFixed(2)}` : ''}; vs pinned 1x1 ${r.ratio_vs_torch?.toFixed(2) ?? '-'})`, ok: r.ratio_vs_torch_best <= 1 });
    }
  }
  const sgemm = pairRatio(results, paired, 'openblas-sgemm', 'matmul-peak');
  if (sgemm) {
    const eff = 1 / sgemm.ratio;
    out.push({ target: "matmul-peak >= 85% of OpenBLAS's own sgemm rate (same run, same threads)", measured: `${(100 * eff).toFixed(0)}% (${sgemm.how})`, ok: eff >= 0.85 });
  } else na("matmul-peak >= 85% of OpenBLAS's own sgemm rate (same run, same threads)", 'needs matmul-peak and openblas-sgemm (native path)');
  const am2 = scaling.find((s) => s.name === 'dense-am-scaling');
  if (am2) {
    const e = am2.exponent.engram;
    const t = am2.exponent.torch_best;
    // Linear means: engram's time grows no faster than torch's at its best, fitted on each K's fastest
    // torch setting (torch at its best at every size, as the ratio targets read it). One-sided (an
    // exponent below torch's is better scaling, not a miss) and never above 1.1 whatever torch does.
    // Not against the setting with the lowest exponent: a setting whose small-K times sit on a flat
    // floor (torch 2x2 here: 55-62 ms below K = 30k, where 1x2 takes 1.7-10 ms) fits a low exponent
    // without scaling any better.
    const target = "dense AM linear in K up to 1M (exponent <= 1.1 and at most 0.1 above torch's at its best)";
    const each = Object.entries(am2.exponent.torch).filter(([, p]) => Number.isFinite(p));
    if (!Number.isFinite(t)) out.push({ target, measured: `engram ${e.toFixed(2)}, no torch`, ok: null });
    else {
      out.push({
        target,
        measured: `engram ${e.toFixed(2)}, torch at its best ${t.toFixed(2)} (settings: ${each.map(([k, p]) => `${k} ${p.toFixed(2)}`).join(', ')}; K >= ${am2.fit_from})`,
        ok: e <= t + 0.1 && e <= 1.1 && am2.points.every((p) => !p.skipped),
      });
    }
  }
  // Memory: the plain and the checkpointed training step, each against torch's (plain) training step.
  for (const [n, what] of [['et-train-step', 'plain'], ['et-train-step-checkpointed', 'steps checkpointed']] as const) {
    const m = memory.find((x) => x.name === `memory:${n}@N=49`);
    if (m) out.push({ target: `ET train step (${what}) peak memory <= 1.2x torch max RSS at N = 49`, measured: m.rss_ratio !== undefined ? `${m.rss_ratio.toFixed(2)} (${m.engram.max_rss_mib?.toFixed(0)} vs ${m.torch?.max_rss_mib?.toFixed(0)} MiB; wasm heap ${m.engram.wasm_heap_mib?.toFixed(0)} MiB)` : `engram ${m.engram.ok ? 'ran' : `failed: ${m.engram.error}`}, no torch`, ok: m.rss_ratio === undefined ? null : m.engram.ok && m.rss_ratio <= 1.2 });
    const b = memory.find((x) => x.name === `memory:${n}@N=196`);
    if (b) out.push({ target: `ET train step (${what}) at N = 196 trains`, measured: b.engram.ok ? `ran (${b.engram.max_rss_mib?.toFixed(0)} MiB max RSS, wasm heap ${b.engram.wasm_heap_mib?.toFixed(0)} MiB; torch ${b.torch?.max_rss_mib?.toFixed(0) ?? '-'} MiB)` : `failed: ${b.engram.error}`, ok: b.engram.ok });
  }
  const stream = pairRatio(results, paired, 'stream-bare', 'stream-subscribed');
  if (stream) {
    const over = stream.ratio - 1;
    out.push({ target: 'stream-subscribed <= 5% over stream-bare', measured: `${(100 * over).toFixed(1)}% (${stream.how}${stream.iqr ? `, IQR ${(100 * (stream.iqr[0] - 1)).toFixed(1)}..${(100 * (stream.iqr[1] - 1)).toFixed(1)}%` : ''})`, ok: over <= 0.05 });
  } else na('stream-subscribed <= 5% over stream-bare', 'needs both cases');
  const graph = pairRatio(results, paired, 'descent-closed-form', 'descent-graph');
  if (graph) {
    out.push({
      target: 'descent-graph (EnergyModel, closed-form synapse) within 10% of descent-closed-form',
      measured: `${graph.ratio.toFixed(3)} (${graph.how}${graph.iqr ? `, IQR ${graph.iqr[0].toFixed(2)}..${graph.iqr[1].toFixed(2)}` : ''})`,
      ok: graph.ratio <= 1.1,
    });
  } else na('descent-graph (EnergyModel, closed-form synapse) within 10% of descent-closed-form', 'needs both cases');
  const descent = pairRatio(results, paired, 'descent-closed-form', 'descent-autodiff');
  if (descent) out.push({ target: 'descent-autodiff / descent-closed-form (report only)', measured: `${descent.ratio.toFixed(2)} (${descent.how}${descent.iqr ? `, IQR ${descent.iqr[0].toFixed(2)}..${descent.iqr[1].toFixed(2)}` : ''})`, ok: null });
  const growing = results.filter((r) => !r.skipped && (r.tensor_growth > 0 || r.tensors_left > 0));
  out.push({
    target: 'no case grows the tensor count',
    measured: growing.length ? growing.map((r) => `${r.name} (+${r.tensor_growth} between runs, ${r.tensors_left} left)`).join(', ') : 'none grows',
    ok: growing.length === 0,
  });
  return out;
}
