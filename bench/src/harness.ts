/**
 * Timing harness: warm-up, then the median over repeated runs, the peak tensor
 * count of one profiled run, and whether the live tensor count grows from run
 * to run (a leak) or stays above where the case started once it is disposed.
 */
import * as tf from '@tensorflow/tfjs';
import type { Breakdown } from './breakdown.js';

/** One prepared workload. */
export interface Workload {
  /**
   * Runs the workload once and waits for its result on the host. May return the
   * time in ms it measured itself (for workloads whose setup cannot be split off).
   */
  run(): Promise<number | void> | number | void;
  /** Frees everything the workload holds. */
  dispose(): void;
  /** Extra fields for the report (read after the timed runs). */
  extra?(): Record<string, number | string | boolean>;
}

/** A benchmark case. */
export interface BenchCase {
  /** Name used by --only and in the JSON. */
  name: string;
  /** One line: what is timed, with the sizes. */
  description: string;
  /** Floating-point operations of one run (for GFLOP/s), when meaningful. */
  flops?: number;
  /** Untimed warm-up runs (default 1). */
  warmup?: number;
  /** Timed runs (default 5). */
  reps?: number;
  /** Name of the PyTorch twin in bench/torch (default: none). */
  torch?: string;
  /** Parameters of the twin's workload factory (sizes; default none). */
  torchParams?: Record<string, number>;
  /** Builds the workload (untimed). */
  setup(): Promise<Workload> | Workload;
}

/** What the harness measured for one case. */
export interface CaseResult {
  name: string;
  description: string;
  median_ms: number;
  min_ms: number;
  runs_ms: number[];
  gflops?: number;
  /** The pinned torch (1 torch thread, 1 OpenBLAS thread). */
  torch_median_ms?: number;
  torch_gflops?: number;
  /** engram / pinned torch: the median of per-round ratios when interleaved. */
  ratio_vs_torch?: number;
  /** Torch at its best here: the setting (torch threads x OpenBLAS threads) with the lowest median for this case. */
  torch_best_setting?: string;
  torch_best_median_ms?: number;
  torch_best_gflops?: number;
  /** engram / torch at its best (same OpenBLAS kernels): median of per-round ratios. */
  ratio_vs_torch_best?: number;
  /** Every torch setting tried: its median and the median per-round ratio (engram / it). */
  torch_settings?: Record<string, { median_ms: number; ratio: number; iqr: [number, number] }>;
  /** Largest number of live tensors during one profiled run. */
  peak_tensors: number;
  /** Live tensors after each timed run minus after the first: 0 when nothing leaks. */
  tensor_growth: number;
  /** Live tensors after dispose minus before setup: 0 when the case cleans up. */
  tensors_left: number;
  extra?: Record<string, number | string | boolean>;
  /** With --breakdown: time inside and outside kernels (breakdown.ts). */
  breakdown?: Breakdown;
  skipped?: string;
}

/** Options of {@link measure}. */
export interface MeasureOptions {
  /** Overrides every case's timed-run count. */
  reps?: number;
  /** Skip the profiled run (peak tensors reported as -1). */
  noProfile?: boolean;
}

/** Median of a non-empty list (mean of the middle two for even lengths). */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function timeOnce(w: Workload): Promise<number> {
  const t0 = performance.now();
  const own = await w.run();
  const wall = performance.now() - t0;
  return typeof own === 'number' ? own : wall;
}

/** Runs one case: setup, warm-up, timed runs, one profiled run, dispose. */
export async function measure(c: BenchCase, options: MeasureOptions = {}): Promise<CaseResult> {
  const start = tf.memory().numTensors;
  const w = await c.setup();
  const runs: number[] = [];
  let peak = -1;
  let growth = 0;
  let extra: Record<string, number | string | boolean> | undefined;
  try {
    for (let i = 0; i < (c.warmup ?? 1); i++) await timeOnce(w);
    let firstCount = -1;
    const reps = options.reps ?? c.reps ?? 5;
    for (let i = 0; i < reps; i++) {
      runs.push(await timeOnce(w));
      const n = tf.memory().numTensors;
      if (firstCount < 0) firstCount = n;
      growth = Math.max(growth, n - firstCount);
    }
    if (!options.noProfile) {
      const info = await tf.profile(async () => {
        await w.run();
      });
      const base = tf.memory().numTensors;
      peak = Math.max(base, ...info.kernels.map((k) => k.totalTensorsSnapshot));
    }
  } finally {
    extra = w.extra?.();
    w.dispose();
  }
  const med = median(runs);
  const result: CaseResult = {
    name: c.name,
    description: c.description,
    median_ms: med,
    min_ms: Math.min(...runs),
    runs_ms: runs,
    peak_tensors: peak,
    tensor_growth: growth,
    tensors_left: tf.memory().numTensors - start,
  };
  if (c.flops) result.gflops = c.flops / med / 1e6;
  if (extra) result.extra = extra;
  return result;
}
