/**
 * Scaling cases: dense AM time against the number of memories K (1k ... 1M)
 * and ET inference time against the number of tokens N (16 ... 400), each
 * point interleaved with its PyTorch twins, and the fitted exponent of
 * time ~ size^p (least squares in log-log) next to torch's.
 */
import { denseAmCase } from './cases/dense-am.js';
import { etInferenceCase } from './cases/et.js';
import { ET_DEFAULT } from './cases/et-block.js';
import type { BenchCase } from './harness.js';

/** One scaling family: a parameter and the case at each value. */
export interface ScalingFamily {
  name: string;
  param: string;
  values: number[];
  /** Points at or above this value enter the headline fit (below, fixed costs dominate on both sides). */
  fitFrom: number;
  make(value: number): BenchCase;
}

export const SCALING: ScalingFamily[] = [
  {
    name: 'dense-am-scaling',
    param: 'K',
    values: [1_000, 3_000, 10_000, 30_000, 100_000, 300_000, 1_000_000],
    fitFrom: 10_000,
    // D = 64, B = 64: K = 1M memories in both layouts is 512 MB, inside the 4 GiB wasm heap.
    make: (k) => denseAmCase(`dense-am-scaling@K=${k}`, { memories: k, features: 64, batch: 64, steps: 5, beta: 0.05 }, 3, 'dense-am-scaling'),
  },
  {
    name: 'et-scaling',
    param: 'N',
    values: [16, 32, 64, 128, 256, 400],
    fitFrom: 64,
    make: (n) => etInferenceCase(`et-scaling@N=${n}`, { ...ET_DEFAULT, batch: 8, tokens: n }, 3, 'et-scaling'),
  },
];

/** Least-squares slope of log(y) on log(x): the exponent p of y ~ x^p. NaN with fewer than 2 usable points. */
export function fitExponent(xs: readonly number[], ys: readonly number[]): number {
  const pts = xs.map((x, i) => [Math.log(x), Math.log(ys[i]!)] as const).filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b));
  if (pts.length < 2) return NaN;
  const mx = pts.reduce((s, [a]) => s + a, 0) / pts.length;
  const my = pts.reduce((s, [, b]) => s + b, 0) / pts.length;
  let num = 0;
  let den = 0;
  for (const [a, b] of pts) {
    num += (a - mx) * (b - my);
    den += (a - mx) ** 2;
  }
  return den === 0 ? NaN : num / den;
}

/** One point of a scaling family as measured. */
export interface ScalingPoint {
  value: number;
  engram_ms: number;
  /** torch setting -> median ms */
  torch_ms: Record<string, number>;
  /** torch setting -> median per-round ratio engram / torch */
  ratio: Record<string, number>;
  skipped?: string;
}

/** A family's result: points and exponents (headline fit from `fit_from`, and over every point). */
export interface ScalingResult {
  name: string;
  param: string;
  fit_from: number;
  points: ScalingPoint[];
  exponent: ScalingExponents;
  exponent_all: ScalingExponents;
}

/** Fitted exponents: engram's, each torch setting's, and torch at its best (each point's fastest setting). */
export interface ScalingExponents {
  engram: number;
  torch: Record<string, number>;
  /** The fit of each point's minimum over the torch settings: torch at its best at every size (NaN without torch). */
  torch_best: number;
}

/** A point's time for torch at its best: the fastest of its settings (NaN without torch). */
export function fastestTorchMs(p: ScalingPoint): number {
  const ms = Object.values(p.torch_ms).filter((v) => Number.isFinite(v));
  return ms.length ? Math.min(...ms) : NaN;
}

/** Fits the exponents of a family from its points. */
export function scalingResult(f: ScalingFamily, points: ScalingPoint[]): ScalingResult {
  const ok = points.filter((p) => !p.skipped);
  const settings = [...new Set(ok.flatMap((p) => Object.keys(p.torch_ms)))];
  const fit = (pts: ScalingPoint[]): ScalingExponents => ({
    engram: fitExponent(pts.map((p) => p.value), pts.map((p) => p.engram_ms)),
    torch: Object.fromEntries(settings.map((s) => [s, fitExponent(pts.map((p) => p.value), pts.map((p) => p.torch_ms[s] ?? NaN))])),
    torch_best: fitExponent(pts.map((p) => p.value), pts.map(fastestTorchMs)),
  });
  return { name: f.name, param: f.param, fit_from: f.fitFrom, points, exponent: fit(ok.filter((p) => p.value >= f.fitFrom)), exponent_all: fit(ok) };
}
