/**
 * The runs of a session: the live one and the finished ones, each with its
 * energy curve; the plot overlays the runs ticked for comparison (real axes,
 * from @engram/viz's line plot), the table compares them.
 */
import { linePlotSvg } from '@engram/viz';
import { el } from './dom.js';

/** One run's record. */
export interface RunRecord {
  id: number;
  label: string;
  kind: string;
  runner: string;
  steps: number[];
  energies: number[];
  /** max |dx| per step: what the plot shows for kinds without an energy. */
  deltas: number[];
  status: string;
  startedAt: number;
  endedAt?: number;
  compare: boolean;
  lastTree: Record<string, number>;
}

const hasEnergy = (r: RunRecord): boolean => r.energies.length > 0 && r.energies.every(Number.isFinite);

/**
 * The energy curves of the compared runs (and the live one) as an SVG string;
 * when the live run's kind has no energy (asymmetric sequence models), the
 * curves of max |dx| per step of the runs without an energy instead.
 */
export function energyPlot(runs: readonly RunRecord[], live: RunRecord | undefined): string {
  const byEnergy = live === undefined || hasEnergy(live);
  const shown = runs.filter((r) => (r.compare || r === live) && r.steps.length > 1 && hasEnergy(r) === byEnergy);
  if (shown.length === 0) return '<svg viewBox="0 0 640 300" width="100%"><text x="320" y="150" text-anchor="middle" fill="#777">no energy yet: start a run</text></svg>';
  return linePlotSvg({
    series: shown.map((r) => ({ name: `#${r.id} ${r.kind}`, x: r.steps, y: byEnergy ? r.energies : r.deltas, dashed: r !== live })),
    xLabel: 'step',
    yLabel: byEnergy ? 'energy' : 'max |dx| (this kind has no energy)',
    width: 720,
    height: 320,
    legend: 'auto',
  });
}

/** The comparison table: one row per run, a tick box to overlay it. */
export function runsTable(runs: readonly RunRecord[], onToggle: (r: RunRecord) => void): HTMLElement {
  const table = el('table', { class: 'runs' }, el('tr', {}, ...['compare', '#', 'model', 'where', 'steps', 'first energy', 'last energy', 'status', 'time'].map((h) => el('th', { text: h }))));
  for (const r of runs) {
    const box = el('input', { type: 'checkbox', checked: r.compare, 'data-run': r.id });
    box.addEventListener('change', () => onToggle(r));
    const time = ((r.endedAt ?? Date.now()) - r.startedAt) / 1000;
    const fmt = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '-' : Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-2 && x !== 0) ? x.toExponential(3) : x.toFixed(4));
    table.append(
      el(
        'tr',
        {},
        el('td', {}, box),
        el('td', { text: r.id }),
        el('td', { text: r.label }),
        el('td', { text: r.runner }),
        el('td', { text: r.steps.at(-1) ?? 0 }),
        el('td', { text: fmt(r.energies[0]) }),
        el('td', { text: fmt(r.energies.at(-1)) }),
        el('td', { text: r.status }),
        el('td', { text: `${time.toFixed(1)} s` }),
      ),
    );
  }
  return table;
}

/** The energy tree of a step: each term's share, as bars. */
export function energyTree(tree: Record<string, number>): HTMLElement {
  const entries = Object.entries(tree);
  const box = el('div', { class: 'tree' });
  if (entries.length === 0) {
    box.append(el('p', { class: 'muted', text: 'this model reports no energy terms' }));
    return box;
  }
  const max = Math.max(...entries.map(([, v]) => Math.abs(v)), 1e-12);
  for (const [name, v] of entries) {
    const bar = el('div', { class: `bar ${v < 0 ? 'neg' : 'pos'}`, style: `width:${(100 * Math.abs(v)) / max}%` });
    box.append(el('div', { class: 'term' }, el('span', { class: 'name', text: name }), el('span', { class: 'track' }, bar), el('span', { class: 'value', text: v.toPrecision(5) })));
  }
  return box;
}
