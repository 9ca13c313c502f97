/**
 * What the study found, from its run records: accuracy against parameters
 * per task, the learning threshold per task (per seed and median) at the
 * criterion and at two others (sensitivity), the paper's comparisons (order
 * of the thresholds, joint training, pretraining, the similar-hard pair), and
 * the embedding and ablation scores of SUM-only against jointly trained models.
 */
import type { RunRecord } from './run-one.js';
import type { StudySettings } from './study-settings.js';
import { medianThreshold, seedThreshold } from './thresholds.js';
import { chanceScores } from './embedding-analysis.js';

/** Accuracy of one task at one width. */
export interface WidthRow {
  width: number;
  params: number;
  /** Per seed, in the order of the settings' seeds (null when not run yet). */
  accuracies: (number | null)[];
  mean: number | null;
}

/** Thresholds of one task at one criterion. */
export interface TaskThreshold {
  criterion: number;
  /** Per seed; null = not learned at any width of the sweep. */
  perSeed: (number | null)[];
  median: number | null;
}

/** One task's results. */
export interface TaskSummary {
  task: string;
  target: string;
  rows: WidthRow[];
  thresholds: TaskThreshold[];
}

/** Mean embedding and ablation scores of the models of one task that learned it. */
export interface AnalysisSummary {
  task: string;
  models: number;
  numberLine: number | null;
  parity: number | null;
  neighbours: number | null;
  attentionReliance: number | null;
  ffnReliance: number | null;
  attentionShare: number | null;
}

/** Mean test accuracy (over seeds) of one operator of a multi-operator task, per width. */
export interface OperatorRow {
  task: string;
  op: string;
  means: (number | null)[];
}

/** The whole summary. */
export interface StudySummary {
  criterion: number;
  tasks: TaskSummary[];
  /** Every operator a multi-operator task is scored on (e.g. MAX and MED of SUM+MAX+MED). */
  operators: OperatorRow[];
  findings: Finding[];
  analysis: AnalysisSummary[];
  chance: { numberLine: number; parity: number; neighbours: number };
  runs: number;
  trainingMinutes: number;
}

/** One of the paper's claims, checked on the data. */
export interface Finding {
  claim: string;
  reproduced: boolean | null;
  detail: string;
}

const SENSITIVITY = [0.8, 0.95];

function mean(xs: readonly number[]): number | null {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
}

const fmt = (t: number | null): string => (t === null ? 'not learned' : `${Math.round(t)}`);

/** Summarises records of the settings' runs. */
export function summarize(records: readonly RunRecord[], s: StudySettings): StudySummary {
  const by = new Map(records.map((r) => [`${r.task}|${r.width}|${r.seed}`, r]));
  const tasks: TaskSummary[] = s.tasks.map((task) => {
    const rows: WidthRow[] = s.widths.map((width) => {
      const accs = s.seeds.map((seed) => by.get(`${task}|${width}|${seed}`)?.accuracy ?? null);
      const got = accs.filter((a): a is number => a !== null);
      const params = s.seeds.map((seed) => by.get(`${task}|${width}|${seed}`)?.params).find((p) => p !== undefined) ?? NaN;
      return { width, params, accuracies: accs, mean: mean(got) };
    });
    const thresholds = [s.criterion, ...SENSITIVITY.filter((c) => c !== s.criterion)].map((criterion) => {
      const perSeed = s.seeds.map((_, k) =>
        seedThreshold(
          rows.filter((r) => r.accuracies[k] !== null).map((r) => ({ params: r.params, accuracy: r.accuracies[k]! })),
          criterion,
        ),
      );
      return { criterion, perSeed, median: medianThreshold(perSeed) };
    });
    const target = records.find((r) => r.task === task)?.target ?? task;
    return { task, target, rows, thresholds };
  });
  const thr = (task: string): number | null | undefined => tasks.find((t) => t.task === task)?.thresholds[0]?.median;
  const has = (task: string): boolean => tasks.some((t) => t.task === task);
  const findings: Finding[] = [];
  const inf = (t: number | null | undefined): number => (t === null || t === undefined ? Infinity : t);
  if (has('SUM') && has('MED')) {
    const sum = thr('SUM');
    const med = thr('MED');
    findings.push({ claim: 'SUM needs more parameters than MED', reproduced: (sum ?? null) === null && (med ?? null) === null ? null : inf(sum) > inf(med), detail: `median thresholds: SUM ${fmt(sum ?? null)}, MED ${fmt(med ?? null)}` });
  }
  for (const easy of ['MAX', 'MIN']) {
    if (has('MED') && has(easy)) {
      const med = thr('MED');
      const e = thr(easy);
      findings.push({ claim: `MED needs at least as many parameters as ${easy}`, reproduced: (med ?? null) === null && (e ?? null) === null ? null : inf(med) >= inf(e), detail: `median thresholds: MED ${fmt(med ?? null)}, ${easy} ${fmt(e ?? null)}` });
    }
  }
  const maxParams = Math.max(...tasks.flatMap((t) => t.rows.map((r) => r.params)).filter(Number.isFinite));
  if (has('SUM') && has('SUM+MAX+MED')) {
    const sum = thr('SUM') ?? null;
    const joint = thr('SUM+MAX+MED') ?? null;
    const ratio = sum !== null && joint !== null ? sum / joint : null;
    findings.push({
      claim: 'joint SUM+MAX+MED training learns SUM with at most half the parameters of SUM alone',
      reproduced: joint === null ? (sum === null ? null : false) : sum === null ? true : sum / joint >= 2,
      detail: `median thresholds: SUM ${fmt(sum)}, SUM+MAX+MED ${fmt(joint)}${ratio !== null ? ` (ratio ${ratio.toFixed(2)})` : sum === null && joint !== null ? ` (SUM alone never learned up to ${maxParams} parameters: the ratio is above ${(maxParams / joint).toFixed(2)})` : ''}`,
    });
  }
  if (has('SUM') && has('MAX+MED->SUM')) {
    const sum = thr('SUM') ?? null;
    const pre = tasks.find((t) => t.task === 'MAX+MED->SUM')!;
    // A SUM threshold above the sweep is at least the largest size: "2x below" then means at most half of that.
    const limit = (sum ?? maxParams) / 2;
    const small = pre.rows.filter((r) => r.params <= limit);
    const learned = small.filter((r) => r.accuracies.filter((a) => a !== null && a >= s.criterion).length * 2 > r.accuracies.filter((a) => a !== null).length);
    findings.push({
      claim: 'after MAX+MED pretraining, a model at least 2x below the SUM-only threshold learns SUM',
      reproduced: small.length === 0 ? null : learned.length > 0,
      detail:
        small.length === 0
          ? `no width of the sweep is 2x below the SUM-only threshold (${fmt(sum)})`
          : `SUM-only threshold ${fmt(sum)}; MAX+MED->SUM accuracy per seed at widths with <= ${Math.round(limit)} parameters: ${small.map((r) => `d=${r.width} (${r.params}): ${r.accuracies.map((a) => (a === null ? '-' : a.toFixed(2))).join('/')}`).join('; ')}`,
    });
  }
  if (has('SUM') && has('SUM+NADD')) {
    const sum = thr('SUM') ?? null;
    const pair = thr('SUM+NADD') ?? null;
    findings.push({
      claim: 'pairing SUM with the similar hard NADD brings no gain (threshold not 2x lower than SUM alone)',
      reproduced: pair === null ? (sum === null ? null : true) : sum === null ? false : sum / pair < 2,
      detail: `median thresholds: SUM ${fmt(sum)}, SUM+NADD ${fmt(pair)}`,
    });
  }
  const analysis: AnalysisSummary[] = s.tasks.map((task) => {
    const learned = records.filter((r) => r.task === task && r.accuracy >= s.criterion);
    const pick = (f: (r: RunRecord) => number | null): number | null => mean(learned.map(f).filter((v): v is number => v !== null && Number.isFinite(v)));
    return {
      task,
      models: learned.length,
      numberLine: pick((r) => r.embedding.numberLine),
      parity: pick((r) => r.embedding.parity),
      neighbours: pick((r) => r.embedding.neighbours),
      attentionReliance: pick((r) => r.ablation.attentionReliance),
      ffnReliance: pick((r) => r.ablation.ffnReliance),
      attentionShare: pick((r) => (r.ablation.ffnNorm === null ? null : r.ablation.attentionNorm / (r.ablation.attentionNorm + r.ablation.ffnNorm))),
    };
  });
  // Compare SUM-only and joint models on the same (width, seed) pairs where both learned, so width does not confound.
  const learnedPairs = records.filter((r) => r.task === 'SUM' && r.accuracy >= s.criterion && records.some((j) => j.task === 'SUM+MAX+MED' && j.width === r.width && j.seed === r.seed && j.accuracy >= s.criterion));
  const paired = (task: string): AnalysisSummary => {
    const rs = learnedPairs.map((p) => records.find((r) => r.task === task && r.width === p.width && r.seed === p.seed)!);
    const pick = (f: (r: RunRecord) => number | null): number | null => mean(rs.map(f).filter((v): v is number => v !== null && Number.isFinite(v)));
    return {
      task: `${task} (paired)`,
      models: rs.length,
      numberLine: pick((r) => r.embedding.numberLine),
      parity: pick((r) => r.embedding.parity),
      neighbours: pick((r) => r.embedding.neighbours),
      attentionReliance: pick((r) => r.ablation.attentionReliance),
      ffnReliance: pick((r) => r.ablation.ffnReliance),
      attentionShare: pick((r) => (r.ablation.ffnNorm === null ? null : r.ablation.attentionNorm / (r.ablation.attentionNorm + r.ablation.ffnNorm))),
    };
  };
  if (learnedPairs.length > 0) analysis.push(paired('SUM'), paired('SUM+MAX+MED'));
  const a = (task: string): AnalysisSummary | undefined => analysis.find((x) => x.task === task && x.models > 0);
  const sumA = learnedPairs.length > 0 ? a('SUM (paired)') : a('SUM');
  const jointA = learnedPairs.length > 0 ? a('SUM+MAX+MED (paired)') : a('SUM+MAX+MED');
  if (sumA && jointA) {
    findings.push({
      claim: 'jointly trained models have more number-like digit embeddings (number line) than SUM-only models',
      reproduced: (jointA.numberLine ?? 0) > (sumA.numberLine ?? 0),
      detail: `mean number-line score of models that learned${learnedPairs.length > 0 ? ` (${learnedPairs.length} width/seed pairs where both learned)` : ''}: SUM ${sumA.numberLine?.toFixed(2)}, SUM+MAX+MED ${jointA.numberLine?.toFixed(2)}`,
    });
    findings.push({
      claim: 'jointly trained models separate parity more than SUM-only models',
      reproduced: (jointA.parity ?? 0) > (sumA.parity ?? 0),
      detail: `mean parity score: SUM ${sumA.parity?.toFixed(2)}, SUM+MAX+MED ${jointA.parity?.toFixed(2)}`,
    });
    findings.push({
      claim: 'SUM-only models rely more on feed-forward, joint models more on attention (ablation)',
      reproduced:
        sumA.ffnReliance === null || jointA.ffnReliance === null || sumA.attentionReliance === null || jointA.attentionReliance === null
          ? null
          : sumA.ffnReliance - sumA.attentionReliance > jointA.ffnReliance - jointA.attentionReliance,
      detail: `reliance (attention / feed-forward): SUM ${sumA.attentionReliance?.toFixed(2)} / ${sumA.ffnReliance?.toFixed(2)}, SUM+MAX+MED ${jointA.attentionReliance?.toFixed(2)} / ${jointA.ffnReliance?.toFixed(2)}; attention share of output norm: SUM ${sumA.attentionShare?.toFixed(2)}, joint ${jointA.attentionShare?.toFixed(2)}`,
    });
  }
  const widthForChance = s.widths[Math.floor(s.widths.length / 2)]!;
  const operators: OperatorRow[] = [];
  for (const task of s.tasks) {
    const ops = new Set(records.filter((r) => r.task === task).flatMap((r) => Object.keys(r.accuracies)));
    if (ops.size < 2) continue;
    for (const op of ops)
      operators.push({
        task,
        op,
        means: s.widths.map((width) => mean(records.filter((r) => r.task === task && r.width === width && r.accuracies[op] !== undefined).map((r) => r.accuracies[op]!))),
      });
  }
  return {
    criterion: s.criterion,
    tasks,
    operators,
    findings,
    analysis,
    chance: chanceScores(widthForChance),
    runs: records.length,
    trainingMinutes: records.reduce((t, r) => t + r.elapsedMs, 0) / 60000,
  };
}
