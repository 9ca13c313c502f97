/**
 * The study's outputs: the tables (markdown, also printed), results.json
 * (settings, summary and every run record), and the plots: accuracy against
 * parameters per task, one PCA plot of the digit embeddings per model, the
 * embedding scores and the ablation reliance per task.
 */
import { barChartSvg, htmlReport, linePlotSvg, type ReportSection } from '@engram/viz';
import { labelledScatterSvg } from '../internal/scatter-svg.js';
import type { RunRecord } from './run-one.js';
import type { StudySettings } from './study-settings.js';
import type { StudySummary } from './summary.js';

const f2 = (v: number | null | undefined): string => (v === null || v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(2));
const thr = (v: number | null): string => (v === null ? 'not learned' : String(Math.round(v)));

/** The summary as markdown tables. */
export function summaryMarkdown(summary: StudySummary, s: StudySettings): string {
  const lines: string[] = [];
  lines.push(`Criterion: learned = test accuracy >= ${s.criterion} (greedy decoding of the ${s.format === 'cot' ? 'chain of thought' : 'answer'}). Seeds ${s.seeds.join(', ')}.`, '');
  lines.push('### Test accuracy of the target operator (per seed) against width and parameters', '');
  lines.push(`| task | ${s.widths.map((w, i) => `d=${w} (${summary.tasks[0]?.rows[i]?.params ?? '?'})`).join(' | ')} |`);
  lines.push(`|---|${s.widths.map(() => '---').join('|')}|`);
  for (const t of summary.tasks) lines.push(`| ${t.task} | ${t.rows.map((r) => r.accuracies.map((a) => f2(a)).join(' / ')).join(' | ')} |`);
  if (summary.operators.length > 0) {
    lines.push('', '### Every operator of the multi-operator tasks (test accuracy, mean over seeds)', '');
    lines.push(`| task | operator | ${s.widths.map((w) => `d=${w}`).join(' | ')} |`, `|---|---|${s.widths.map(() => '---').join('|')}|`);
    for (const o of summary.operators) lines.push(`| ${o.task} | ${o.op} | ${o.means.map((m) => f2(m)).join(' | ')} |`);
  }
  lines.push('', '### Learning thresholds (parameters; per seed, median)', '');
  const crits = summary.tasks[0]?.thresholds.map((x) => x.criterion) ?? [];
  lines.push(`| task | ${crits.map((c) => `acc >= ${c}: per seed | median`).join(' | ')} |`);
  lines.push(`|---|${crits.map(() => '---|---').join('|')}|`);
  for (const t of summary.tasks) lines.push(`| ${t.task} | ${t.thresholds.map((x) => `${x.perSeed.map(thr).join(', ')} | ${thr(x.median)}`).join(' | ')} |`);
  lines.push('', '### The paper\'s claims', '');
  lines.push('| claim | reproduced | numbers |', '|---|---|---|');
  for (const f of summary.findings) lines.push(`| ${f.claim} | ${f.reproduced === null ? 'undecided' : f.reproduced ? 'yes' : 'NO'} | ${f.detail} |`);
  lines.push('', `### Embeddings and ablations (mean over the models that learned their task; chance: number line ${f2(summary.chance.numberLine)}, parity ${f2(summary.chance.parity)}, neighbours ${f2(summary.chance.neighbours)})`, '');
  lines.push('| task | models | number line | parity | neighbours | attention reliance | feed-forward reliance | attention share of output norm |', '|---|---|---|---|---|---|---|---|');
  for (const a of summary.analysis) lines.push(`| ${a.task} | ${a.models} | ${f2(a.numberLine)} | ${f2(a.parity)} | ${f2(a.neighbours)} | ${f2(a.attentionReliance)} | ${f2(a.ffnReliance)} | ${f2(a.attentionShare)} |`);
  lines.push('', `${summary.runs} runs, ${summary.trainingMinutes.toFixed(1)} minutes of training and analysis in total.`);
  return lines.join('\n');
}

/** The PCA plot of one model's digit embeddings. */
export function pcaPlotSvg(r: RunRecord): string {
  const e = r.embedding;
  return labelledScatterSvg(
    e.pcs.map(([x, y], d) => ({ x, y, label: String(d), color: d % 2 === 0 ? '#1f77b4' : '#d62728' })),
    {
      title: `${r.task} d=${r.width} seed ${r.seed}: acc ${r.accuracy.toFixed(2)}, line ${e.numberLine.toFixed(2)}, parity ${e.parity.toFixed(2)}`,
      xLabel: `PC1 (${(100 * e.explained[0]!).toFixed(0)}%)`,
      yLabel: `PC2 (${(100 * e.explained[1]!).toFixed(0)}%)`,
      width: 420,
    },
  );
}

/** The study's report as files (relative path -> text): results.json, summary.md and the plots. */
export function studyReportFiles(s: StudySettings, summary: StudySummary, records: readonly RunRecord[]): Record<string, string> {
  const files: Record<string, string> = {};
  const put = (name: string, text: string): void => {
    files[name] = text;
  };
  put('results.json', JSON.stringify({ settings: s, summary, records }, null, 1));
  put('summary.md', `# ListOps study\n\n${summaryMarkdown(summary, s)}\n`);
  const series = summary.tasks
    .map((t) => {
      const rows = t.rows.filter((r) => r.mean !== null && Number.isFinite(r.params));
      return { name: t.task, x: rows.map((r) => r.params), y: rows.map((r) => r.mean!), dashed: t.task.includes('->') };
    })
    .filter((x) => x.y.length > 0);
  if (series.length > 0) {
    put(
      'accuracy-vs-params.svg',
      linePlotSvg({ series, logX: true, yDomain: [0, 1], title: `Test accuracy of the target operator (mean of ${s.seeds.length} seeds)`, xLabel: 'parameters', yLabel: 'test accuracy', markers: true, width: 720, height: 440 }),
    );
  }
  for (const r of records) put(`pca/${r.task.replace('->', '-then-')}_d${r.width}_s${r.seed}.svg`, pcaPlotSvg(r));
  const analysed = summary.analysis.filter((a) => a.models > 0);
  if (analysed.length > 0) {
    put(
      'embedding-scores.svg',
      barChartSvg({
        categories: analysed.map((a) => a.task),
        series: [
          { name: 'number line', values: analysed.map((a) => a.numberLine ?? 0) },
          { name: 'parity', values: analysed.map((a) => a.parity ?? 0) },
          { name: 'neighbours', values: analysed.map((a) => a.neighbours ?? 0) },
        ],
        yDomain: [0, 1],
        title: `Digit-embedding scores (models that learned; chance ${f2(summary.chance.numberLine)} / ${f2(summary.chance.parity)} / ${f2(summary.chance.neighbours)})`,
        yLabel: 'score',
        width: 720,
      }),
    );
    put(
      'ablation.svg',
      barChartSvg({
        categories: analysed.map((a) => a.task),
        series: [
          { name: 'attention reliance', values: analysed.map((a) => a.attentionReliance ?? 0) },
          { name: 'feed-forward reliance', values: analysed.map((a) => a.ffnReliance ?? 0) },
          { name: 'attention share of output norm', values: analysed.map((a) => a.attentionShare ?? 0) },
        ],
        yDomain: [0, 1],
        title: 'Mean ablation: fraction of accuracy above chance lost',
        yLabel: 'reliance',
        width: 720,
      }),
    );
  }
  put('report.html', htmlReport({ title: 'ListOps: task difficulty and the minimum size of small transformers', subtitle: `${records.length} runs; criterion ${s.criterion}`, sections: reportSections(s, summary, records) }));
  return files;
}

/** The HTML report's sections: accuracy plot, PCA plots of SUM-only next to jointly trained models, scores, ablation. */
function reportSections(s: StudySettings, summary: StudySummary, records: readonly RunRecord[]): ReportSection[] {
  const sections: ReportSection[] = [];
  const series = summary.tasks
    .map((t) => {
      const rows = t.rows.filter((r) => r.mean !== null && Number.isFinite(r.params));
      return { name: t.task, x: rows.map((r) => r.params), y: rows.map((r) => r.mean!), dashed: t.task.includes('->') };
    })
    .filter((x) => x.y.length > 0);
  if (series.length > 0) sections.push({ heading: 'Accuracy against parameters', svg: linePlotSvg({ series, logX: true, yDomain: [0, 1], xLabel: 'parameters', yLabel: 'test accuracy', markers: true, width: 720, height: 440 }) });
  const compare = ['SUM', 'SUM+MAX+MED', 'MAX+MED->SUM'];
  for (const width of s.widths) {
    const models = compare.flatMap((task) => records.filter((r) => r.task === task && r.width === width).sort((a, b) => a.seed - b.seed).slice(0, 1));
    if (models.length > 1) sections.push({ heading: `Digit embeddings at d=${width}: ${models.map((m) => m.task).join(' vs ')}`, text: 'PCA of the ten digit embeddings (even digits blue, odd red).', svg: models.map(pcaPlotSvg) });
  }
  sections.push({ heading: 'Tables', code: summaryMarkdown(summary, s) });
  return sections;
}
