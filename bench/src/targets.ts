/** The targets, checked on the results of one run. */
import type { CaseResult } from './harness.js';

/** One target: met (true), missed (false) or not measurable in this run (null). */
export interface TargetCheck {
  target: string;
  measured: string;
  ok: boolean | null;
}

/** Evaluates every target the selected cases allow. */
export function targets(results: CaseResult[]): TargetCheck[] {
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
  const bare = by('stream-bare');
  const sub = by('stream-subscribed');
  if (bare && sub) {
    const over = sub.median_ms / bare.median_ms - 1;
    out.push({ target: 'stream-subscribed <= 5% over stream-bare', measured: `${(100 * over).toFixed(1)}%`, ok: over <= 0.05 });
  } else na('stream-subscribed <= 5% over stream-bare', 'needs both cases');
  const ad = by('descent-autodiff');
  const cf = by('descent-closed-form');
  if (ad && cf) out.push({ target: 'descent-autodiff / descent-closed-form (report only)', measured: (ad.median_ms / cf.median_ms).toFixed(2), ok: null });
  const growing = results.filter((r) => !r.skipped && (r.tensor_growth > 0 || r.tensors_left > 0));
  out.push({
    target: 'no case grows the tensor count',
    measured: growing.length ? growing.map((r) => `${r.name} (+${r.tensor_growth} between runs, ${r.tensors_left} left)`).join(', ') : 'none grows',
    ok: growing.length === 0,
  });
  return out;
}
