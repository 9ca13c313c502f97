/**
 * The paper's sequence-capacity experiment for the polynomial DenseNet
 * (d = 1 is SeqNet) over a grid of N: JSON, an SVG plot of measured capacity
 * against N with the theory curves (log y), and an SVG heatmap of the overlaps
 * during one recall.
 */
import { resolve } from 'node:path';
import { heatmapSvg, linePlotSvg } from '@engram/viz';
import { writeText } from '@engram/viz/node';
import { DenseNet } from '../../models/dense.js';
import { measureSequenceCapacity, theorySequenceCapacity } from '../../experiments/capacity.js';
import { recallSequence } from '../../experiments/recall.js';

/** Options of {@link runCapacityExperiment}. */
export interface CapacityExperimentOptions {
  /** N values. */
  sizes: number[];
  degrees: number[];
  sequences: number;
  trials: number;
  startFactor: number;
  seed: number;
  outDir: string;
  /** Skip (d, N) points whose theoretical capacity exceeds this (they cost ~P^2 N S each); default none. */
  maxTheory?: number;
  log?: (line: string) => void;
}

/** One measured point. */
export interface CapacityPoint {
  degree: number;
  /** N. */
  size: number;
  theory: number;
  /** Capacity of each trial. */
  measured: number[];
  /** Geometric mean over trials (the paper averages log10 P). */
  mean: number;
  elapsedMs: number;
}

/** Runs the capacity grid and writes the JSON and plots; returns the points. */
export async function runCapacityExperiment(o: CapacityExperimentOptions): Promise<CapacityPoint[]> {
  const log = o.log ?? (() => {});
  const points: CapacityPoint[] = [];
  const skipped: Array<{ degree: number; size: number; theory: number }> = [];
  const header = {
    experiment: 'DenseNet sequence capacity (Chaudhry et al. 2023 protocol)',
    sequences: o.sequences,
    trials: o.trials,
    startFactor: o.startFactor,
    seed: o.seed,
    maxTheory: o.maxTheory ?? null,
    theory: 'P_S = N^d / (2 (d+1) (2d-1)!! ln N)',
    separation: "{ kind: 'power', n: d }",
  };
  // Written after every point, so a long run that is stopped keeps what it measured.
  const save = (): void => writeText(resolve(o.outDir, 'capacity.json'), JSON.stringify({ ...header, points, skipped }, null, 2) + '\n');
  let seed = o.seed;
  for (const d of o.degrees) {
    for (const n of o.sizes) {
      if (o.maxTheory !== undefined && theorySequenceCapacity(n, d) > o.maxTheory) {
        skipped.push({ degree: d, size: n, theory: theorySequenceCapacity(n, d) });
        log(`d=${d} N=${n}: skipped (theory ${theorySequenceCapacity(n, d).toFixed(0)} > maxTheory ${o.maxTheory})`);
        continue;
      }
      const measured: number[] = [];
      const t0 = Date.now();
      for (let trial = 0; trial < o.trials; trial++) {
        const r = await measureSequenceCapacity({ size: n, separation: { kind: 'power', n: d }, sequences: o.sequences, startFactor: o.startFactor, seed });
        seed += r.tried.length + 1;
        measured.push(r.capacity);
      }
      const mean = Math.pow(10, measured.reduce((a, c) => a + Math.log10(Math.max(c, 1)), 0) / measured.length);
      const point = { degree: d, size: n, theory: theorySequenceCapacity(n, d), measured, mean, elapsedMs: Date.now() - t0 };
      points.push(point);
      log(`d=${d} N=${n}: measured ${measured.join(', ')} (mean ${mean.toFixed(1)}), theory ${point.theory.toFixed(1)}, ${(point.elapsedMs / 1000).toFixed(1)} s`);
      save();
    }
  }
  save();
  const nMin = Math.min(...o.sizes);
  const nMax = Math.max(...o.sizes);
  const grid = Array.from({ length: 50 }, (_, i) => nMin + ((nMax - nMin) * i) / 49);
  const series = o.degrees.flatMap((d) => {
    const mine = points.filter((p) => p.degree === d);
    const theory = { name: `theory d=${d}`, x: grid, y: grid.map((n) => Math.max(theorySequenceCapacity(n, d), 0.1)), dashed: true };
    if (mine.length === 0) return [theory];
    return [{ name: `measured d=${d}`, x: mine.map((p) => p.size), y: mine.map((p) => Math.max(p.mean, 1)), markers: true }, theory];
  });
  writeText(
    resolve(o.outDir, 'capacity.svg'),
    linePlotSvg({
      series,
      logY: true,
      title: `DenseNet sequence capacity (${o.sequences} sequences, ${o.trials} trial${o.trials > 1 ? 's' : ''})`,
      xLabel: 'N (neurons)',
      yLabel: 'P_S (longest sequence recalled)',
    }),
  );
  // One recall, to show what a subscriber sees: overlap with every pattern at every step.
  const net = new DenseNet({ size: 100, length: 60, separation: { kind: 'power', n: 2 }, seed: o.seed });
  try {
    const r = await recallSequence(net, { steps: 60 });
    const rows = r.overlaps.length;
    const values = new Float32Array(rows * 60);
    r.overlaps.forEach((row, i) => values.set(row, i * 60));
    writeText(
      resolve(o.outDir, 'overlaps.svg'),
      heatmapSvg({
        values,
        rows,
        cols: 60,
        colormap: 'diverging',
        vmin: -1,
        vmax: 1,
        title: `DenseNet d=2, N=100, P=60: overlap m^mu per step (${r.successes ? 'recalled' : 'failed'})`,
        xLabel: 'stored pattern mu',
        yLabel: 'step t',
      }),
    );
  } finally {
    net.dispose();
  }
  return points;
}
