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
import { waitForIdle, type QuiesceOptions } from './quiesce.js';

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
  /** Runs that started without an idle window (the wait timed out), when quiescing. */
  notIdle?: number;
}

interface Slot {
  c: BenchCase;
  w: Workload;
  /** Live tensors the workload holds: created by setup plus the net of every run so far. */
  own: number;
  runs: number[];
  growth: number;
}

/**
 * A participant outside this process (a PyTorch twin in a torch server): it
 * takes its turn in the rounds like an engram case; its runs are compared
 * with the engram case `of`, round by round.
 */
export interface External {
  /** Unique name, e.g. 'torch 1x2: et-inference'. */
  name: string;
  /** The engram case it is the twin of. */
  of: string;
  /** The torch setting, e.g. '1x2'. */
  setting: string;
  setup(): Promise<void>;
  /** One timed run, ms (measured on its side: no IPC in it). */
  run(): Promise<number>;
  dispose(): Promise<void>;
}

/** An external participant's runs and its per-round ratios to its engram case. */
export interface ExternalResult {
  name: string;
  of: string;
  setting: string;
  runs_ms: number[];
  median_ms: number;
  /** engram ms / twin ms, one per round (the engram run of the same round). */
  ratios: number[];
  median_ratio: number;
  iqr: [number, number];
}

/** Options of {@link measurePaired}. */
export interface PairedOptions extends MeasureOptions {
  /** Twins taking turns with the engram cases (default none). */
  externals?: External[];
  /** Pause between two runs (ms, default 0): lets one side's BLAS threads stop spinning before the other runs. */
  settleMs?: number;
  /**
   * Before each run, after the pause, wait until every CPU is idle (see
   * quiesce.ts: spinning BLAS threads of the previous participant otherwise
   * share a core with the next run). Default off here; the bench turns it on.
   */
  quiesce?: boolean | QuiesceOptions;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

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
export async function measurePaired(cases: BenchCase[], options: PairedOptions = {}): Promise<{ results: CaseResult[]; paired: PairedResult; externals: ExternalResult[] }> {
  const externals = options.externals ?? [];
  if (cases.length < 2 && externals.length === 0) throw new Error('measurePaired needs at least two participants');
  const start = tf.memory().numTensors;
  const slots: Slot[] = [];
  const order: string[][] = [];
  let notIdle = 0;
  const peaks: number[] = cases.map(() => -1);
  const left: number[] = cases.map(() => 0);
  const extras: Array<Record<string, number | string | boolean> | undefined> = cases.map(() => undefined);
  const extRuns: number[][] = externals.map(() => []);
  const ready: External[] = [];
  try {
    for (const c of cases) {
      const before = tf.memory().numTensors;
      const w = await c.setup();
      slots.push({ c, w, own: tf.memory().numTensors - before, runs: [], growth: 0 });
    }
    for (const s of slots) for (let i = 0; i < (s.c.warmup ?? 1); i++) await runCounted(s);
    for (const e of externals) {
      await e.setup(); // includes the twin's warm-up
      ready.push(e);
    }
    // Everyone takes turns: engram cases and twins in one rotation.
    type Turn = { name: string; go: (r: number) => Promise<void> };
    const turns: Turn[] = [
      ...slots.map((s): Turn => ({
        name: s.c.name,
        go: async (r) => {
          const own0 = s.own;
          s.runs.push(await runCounted(s));
          // Same meaning as measure(): tensors gained from the first timed run on.
          if (r > 0) s.growth += s.own - own0;
        },
      })),
      ...externals.map((e, i): Turn => ({ name: e.name, go: async () => void extRuns[i]!.push(await e.run()) })),
    ];
    const reps = options.reps ?? Math.max(...cases.map((c) => c.reps ?? 5));
    for (let r = 0; r < reps; r++) {
      const k = r % turns.length;
      const round = [...turns.slice(k), ...turns.slice(0, k)];
      order.push(round.map((t) => t.name));
      for (const t of round) {
        if (options.settleMs) await sleep(options.settleMs);
        if (options.quiesce) {
          const q = await waitForIdle(options.quiesce === true ? {} : options.quiesce);
          if (!q.idle) notIdle++;
        }
        await t.go(r);
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
    for (const e of ready) await e.dispose();
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
  const ext = externals.map((e, i): ExternalResult => {
    const own = slots.find((s) => s.c.name === e.of);
    const runs = extRuns[i]!;
    const ratios = own ? runs.map((t, r) => own.runs[r]! / t) : [];
    return {
      name: e.name,
      of: e.of,
      setting: e.setting,
      runs_ms: runs,
      median_ms: median(runs),
      ratios,
      median_ratio: ratios.length ? median(ratios) : NaN,
      iqr: ratios.length ? [quantile(ratios, 0.25), quantile(ratios, 0.75)] : [NaN, NaN],
    };
  });
  return { results, paired: { baseline: base.c.name, rounds: base.runs.length, order, variants, ...(options.quiesce ? { notIdle } : {}) }, externals: ext };
}
