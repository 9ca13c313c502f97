/**
 * Paired timing: cases whose ratio is the point (stream overhead, autodiff vs
 * closed form) are set up together and their runs interleaved, round by round,
 * so that a burst of load on a shared machine hits every variant
 * of a round alike. The order rotates by one each round (A B C, B C A, C A B;
 * for two cases A B, B A), so every case runs equally often in every position
 * and, with three or more, no case runs twice in a row across a round boundary
 * (plain reversal, A B C, C B A, would favour the ends with warm repeats and
 * never the middle). The ratio reported is the median of the per-round ratios,
 * not the ratio of two medians taken minutes apart.
 */
import * as tf from '@tensorflow/tfjs';
import { median, type BenchCase, type CaseResult, type MeasureOptions, type Workload } from './harness.js';

/** Per-round ratios of one variant to the baseline (the first case of the group). */
export interface PairedVariant {
  name: string;
  /** variant ms / baseline ms, one per round. */
  ratios: number[];
  /** Median of {@link PairedVariant.ratios}. */
  median_ratio: number;
  /** Lower and upper quartile of the ratios: how far one round's ratio moves. */
  iqr: [number, number];
}

/** Linear-interpolated quantile q in [0, 1] of a non-empty list. */
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

/** What {@link measurePaired} reports besides the per-case results. */
export interface PairedResult {
  baseline: string;
  rounds: number;
  /** Run order of each round (rotated by one case per round). */
  order: string[][];
  variants: PairedVariant[];
}

interface Slot {
  c: BenchCase;
  w: Workload;
  /** Live tensors the workload holds: created by setup plus the net of every run so far. */
  own: number;
  runs: number[];
  growth: number;
}

async function runCounted(s: Slot): Promise<number> {
  const before = tf.memory().numTensors;
  const t0 = performance.now();
  const self = await s.w.run();
  const wall = performance.now() - t0;
  const delta = tf.memory().numTensors - before;
  s.own += delta;
  return typeof self === 'number' ? self : wall;
}

/**
 * Measures cases as one interleaved group: setup of all, warm-up of each, then
 * `reps` rounds (options.reps, else the largest case reps, default 5) with the
 * order rotated by one each round, then one profiled run per case, then dispose.
 * Peak tensors and leftovers are attributed per case by counting each run's net
 * tensors, so they mean the same as in {@link measure}.
 */
export async function measurePaired(cases: BenchCase[], options: MeasureOptions = {}): Promise<{ results: CaseResult[]; paired: PairedResult }> {
  if (cases.length < 2) throw new Error('measurePaired needs at least two cases');
  const start = tf.memory().numTensors;
  const slots: Slot[] = [];
  const order: string[][] = [];
  const peaks: number[] = cases.map(() => -1);
  const left: number[] = cases.map(() => 0);
  const extras: Array<Record<string, number | string | boolean> | undefined> = cases.map(() => undefined);
  try {
    for (const c of cases) {
      const before = tf.memory().numTensors;
      const w = await c.setup();
      slots.push({ c, w, own: tf.memory().numTensors - before, runs: [], growth: 0 });
    }
    for (const s of slots) for (let i = 0; i < (s.c.warmup ?? 1); i++) await runCounted(s);
    const reps = options.reps ?? Math.max(...cases.map((c) => c.reps ?? 5));
    for (let r = 0; r < reps; r++) {
      const k = r % slots.length;
      const round = [...slots.slice(k), ...slots.slice(0, k)];
      order.push(round.map((s) => s.c.name));
      for (const s of round) {
        const own0 = s.own;
        s.runs.push(await runCounted(s));
        // Same meaning as measure(): tensors gained from the first timed run on.
        if (r > 0) s.growth += s.own - own0;
      }
    }
    if (!options.noProfile) {
      for (let i = 0; i < slots.length; i++) {
        const s = slots[i]!;
        // Other workloads' live tensors are not this case's peak.
        const others = tf.memory().numTensors - start - s.own;
        const info = await tf.profile(async () => {
          await runCounted(s);
        });
        const base = tf.memory().numTensors;
        peaks[i] = Math.max(base, ...info.kernels.map((k) => k.totalTensorsSnapshot)) - others;
      }
    }
  } finally {
    for (let i = 0; i < slots.length; i++) {
      const s = slots[i]!;
      extras[i] = s.w.extra?.();
      const before = tf.memory().numTensors;
      s.w.dispose();
      left[i] = s.own - (before - tf.memory().numTensors);
    }
  }
  const base = slots[0]!;
  const variants = slots.slice(1).map((s) => {
    const ratios = s.runs.map((t, r) => t / base.runs[r]!);
    return { name: s.c.name, ratios, median_ratio: median(ratios), iqr: [quantile(ratios, 0.25), quantile(ratios, 0.75)] as [number, number] };
  });
  const results = slots.map((s, i): CaseResult => {
    const med = median(s.runs);
    const res: CaseResult = {
      name: s.c.name,
      description: s.c.description,
      median_ms: med,
      min_ms: Math.min(...s.runs),
      runs_ms: s.runs,
      peak_tensors: peaks[i]!,
      tensor_growth: s.growth,
      tensors_left: left[i]!,
    };
    if (s.c.flops) res.gflops = s.c.flops / med / 1e6;
    if (extras[i]) res.extra = extras[i]!;
    return res;
  });
  return { results, paired: { baseline: base.c.name, rounds: base.runs.length, order, variants } };
}
