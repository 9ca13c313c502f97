/** The issue's targets, checked on the results of one run. */
import type { CaseResult } from './harness.js';
import type { PairedResult } from './paired.js';

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

/** Evaluates every target the selected cases allow (paired: from measurePaired, preferred for the ratios it covers). */
export function targets(results: CaseResult[], paired: PairedResult[] = []): TargetCheck[] {
  const by = (n: string): CaseResult | undefined => results.find((r) => r.name === n && !r.skipped);
  const out: TargetCheck[] = [];
  const peak = by('matmul-peak');
  const am = by('dense-am-retrieval');
  const na = (target: string, why: string) => out.push({ target, measured: why, ok: null });
  if (peak?.gflops && am?.gflops) {
    const f = am.gflops / peak.gflops;
    out.push({ target: 'dense-am-retrieval >= 75% of matmul-peak GFLOP/s', measured: `${(100 * f).toFixed(0)}% (${am.gflops.toFixed(1)} / ${peak.gflops.toFixed(1)})`, ok: f >= 0.75 });
  } else na('dense-am-retrieval >= 75% of matmul-peak GFLOP/s', 'needs both cases');
  const ratio = (name: string, limit: number) => {
    const r = by(name);
    const t = `${name} engram/PyTorch <= ${limit}`;
    if (r?.ratio_vs_torch === undefined) na(t, 'no PyTorch result');
    else out.push({ target: t, measured: r.ratio_vs_torch.toFixed(2), ok: r.ratio_vs_torch <= limit });
  };
  ratio('dense-am-retrieval', 6);
  ratio('et-inference', 4);
  ratio('et-train-step', 5);
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
