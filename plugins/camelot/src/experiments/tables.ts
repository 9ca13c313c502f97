/** Markdown tables of the experiments' results. */
import type { LongContextResult } from './long-context.js';
import type { IclScore } from './icl-probe.js';
import type { PlantedRepeatResult } from './planted-repeat.js';

const pct = (x: number): string => (Number.isFinite(x) ? `${(100 * x).toFixed(1)} %` : '-');

/** The per-method table: perplexity, change against window-only, share of the unbounded gain (and each method's planted repeat, if given). */
export function formatMethodTable(r: LongContextResult, planted: Record<string, PlantedRepeatResult> = {}): string {
  const rows = r.methods.map((m) => {
    const s = m.stats;
    const mergeShare = s && s.written ? pct(s.merges / s.written) : '-';
    const p = planted[m.name];
    return `| ${m.name} | ${m.bitsPerToken.toFixed(4)} | ${Number.isFinite(m.bitsPerChar) ? m.bitsPerChar.toFixed(4) : '-'} | ${m.perplexity.toFixed(4)} | ${pct(m.vsWindow)} | ${pct(m.shareOfUnbounded)} | ${p ? pct(-p.reduction) : '-'} | ${mergeShare} | ${s ? s.evictions : '-'} | ${m.seconds.toFixed(0)} | ${m.note} |`;
  });
  return [
    `Held-out Brown, ${r.documents} documents x ${r.tokensPerDocument} tokens, window ${r.window} tokens`,
    '',
    '| method | bits/token | bits/char | perplexity (per token) | vs window | share of unbounded gain | planted repeat | merged | evictions | s | what |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/** The ICL table. */
export function formatIclTable(scores: readonly IclScore[]): string {
  return [
    `In-context learning probe (value tokens of the last demonstrations; ${pct(scores[0]?.outsideWindow ?? NaN)} of them last shown more than a window earlier)`,
    '',
    '| method | token accuracy | exact values | loss (nats) |',
    '|---|---|---|---|',
    ...scores.map((s) => `| ${s.name} | ${pct(s.accuracy)} | ${pct(s.exact)} | ${s.loss.toFixed(3)} |`),
  ].join('\n');
}
