/**
 * `engram capacity`: the paper's sequence-capacity experiment for the
 * polynomial DenseNet (d = 1 is SeqNet) over a grid of N, written as JSON, an
 * SVG plot of measured capacity against N with the theory curves (log y), and
 * an SVG heatmap of the overlaps during one recall.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { CommandIO } from '@engram/core';
import { heatmapSvg, linePlotSvg, writeText } from '@engram/viz';
import { measureSequenceCapacity, theorySequenceCapacity } from './capacity.js';
import { recallSequence } from './recall.js';
import { denseNet } from './sequence-network.js';

/** Usage text of the command. */
export const CAPACITY_USAGE = `engram capacity [--ns 10,20,...,100] [--degrees 1,2,3] [--sequences 100] [--trials 1]
                [--start-factor 2] [--seed 0] [--max-theory P] [--out DIR]
Measures the sequence capacity of the polynomial DenseNet (d = 1: SeqNet) with the protocol of
Chaudhry et al. (2023): start at start-factor x theory, lower P by 1% until all sequences are
recalled without error. --max-theory skips points whose theory exceeds P (large P costs ~P^2 N S). Writes DIR/capacity.json, DIR/capacity.svg, DIR/overlaps.svg
(default DIR: ./engram-out/capacity/).`;

/** Options of {@link runCapacityExperiment}. */
export interface CapacityExperimentOptions {
  ns: number[];
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
  neurons: number;
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
  const skipped: Array<{ degree: number; neurons: number; theory: number }> = [];
  const header = {
    experiment: 'DenseNet sequence capacity (Chaudhry et al. 2023 protocol)',
    sequences: o.sequences,
    trials: o.trials,
    startFactor: o.startFactor,
    seed: o.seed,
    maxTheory: o.maxTheory ?? null,
    theory: 'P_S = N^d / (2 (d+1) (2d-1)!! ln N)',
  };
  // Written after every point, so a long run that is stopped keeps what it measured.
  const save = (): void => writeText(resolve(o.outDir, 'capacity.json'), JSON.stringify({ ...header, points, skipped }, null, 2) + '\n');
  let seed = o.seed;
  for (const d of o.degrees) {
    for (const n of o.ns) {
      if (o.maxTheory !== undefined && theorySequenceCapacity(n, d) > o.maxTheory) {
        skipped.push({ degree: d, neurons: n, theory: theorySequenceCapacity(n, d) });
        log(`d=${d} N=${n}: skipped (theory ${theorySequenceCapacity(n, d).toFixed(0)} > --max-theory ${o.maxTheory})`);
        continue;
      }
      const measured: number[] = [];
      const t0 = Date.now();
      for (let trial = 0; trial < o.trials; trial++) {
        const r = await measureSequenceCapacity({ neurons: n, separation: { kind: 'polynomial', degree: d }, sequences: o.sequences, startFactor: o.startFactor, seed: seed });
        seed += r.tried.length + 1;
        measured.push(r.capacity);
      }
      const mean = Math.pow(10, measured.reduce((a, c) => a + Math.log10(Math.max(c, 1)), 0) / measured.length);
      const point = { degree: d, neurons: n, theory: theorySequenceCapacity(n, d), measured, mean, elapsedMs: Date.now() - t0 };
      points.push(point);
      log(`d=${d} N=${n}: measured ${measured.join(', ')} (mean ${mean.toFixed(1)}), theory ${point.theory.toFixed(1)}, ${(point.elapsedMs / 1000).toFixed(1)} s`);
      save();
    }
  }
  save();
  const nMin = Math.min(...o.ns);
  const nMax = Math.max(...o.ns);
  const grid = Array.from({ length: 50 }, (_, i) => nMin + ((nMax - nMin) * i) / 49);
  const series = o.degrees.flatMap((d) => {
    const mine = points.filter((p) => p.degree === d);
    const theory = { name: `theory d=${d}`, x: grid, y: grid.map((n) => Math.max(theorySequenceCapacity(n, d), 0.1)), dashed: true };
    if (mine.length === 0) return [theory];
    return [{ name: `measured d=${d}`, x: mine.map((p) => p.neurons), y: mine.map((p) => Math.max(p.mean, 1)), markers: true }, theory];
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
  const net = denseNet({ neurons: 100, length: 60, separation: { kind: 'polynomial', degree: 2 }, seed: o.seed });
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

function intList(name: string, s: string | undefined, dflt: number[]): number[] {
  if (s === undefined) return dflt;
  const xs = s.split(',').map((x) => Number(x.trim()));
  if (xs.length === 0 || xs.some((x) => !Number.isInteger(x) || x < 1)) throw new Error(`--${name} must be a comma-separated list of positive integers, got '${s}'`);
  return xs;
}

function intArg(name: string, s: string | undefined, dflt: number, min: number): number {
  if (s === undefined) return dflt;
  const x = Number(s);
  if (!Number.isFinite(x) || x < min) throw new Error(`--${name} must be a number >= ${min}, got '${s}'`);
  return x;
}

/** The command's entry point: parses args, runs, prints a table; returns the exit code. */
export async function runCapacityCommand(args: readonly string[], io: CommandIO): Promise<number> {
  let o: CapacityExperimentOptions;
  try {
    const { values } = parseArgs({
      args: [...args],
      options: {
        ns: { type: 'string' },
        degrees: { type: 'string' },
        sequences: { type: 'string' },
        trials: { type: 'string' },
        'start-factor': { type: 'string' },
        seed: { type: 'string' },
        'max-theory': { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean' },
      },
      strict: true,
    });
    if (values.help) {
      io.stdout(CAPACITY_USAGE + '\n');
      return 0;
    }
    o = {
      ns: intList('ns', values.ns, [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]),
      degrees: intList('degrees', values.degrees, [1, 2, 3]),
      sequences: intArg('sequences', values.sequences, 100, 1),
      trials: intArg('trials', values.trials, 1, 1),
      startFactor: intArg('start-factor', values['start-factor'], 2, 1),
      seed: intArg('seed', values.seed, 0, 0),
      outDir: resolve(io.cwd, values.out ?? 'engram-out/capacity'),
      ...(values['max-theory'] !== undefined ? { maxTheory: intArg('max-theory', values['max-theory'], 0, 1) } : {}),
      log: (line) => io.stdout(line + '\n'),
    };
    if (o.ns.some((n) => n < 3)) throw new Error('--ns values must be >= 3');
  } catch (err) {
    io.stderr(`${(err as Error).message}\n\n${CAPACITY_USAGE}\n`);
    return 2;
  }
  const points = await runCapacityExperiment(o);
  io.stdout(`\n d    N  measured    theory  ratio\n`);
  for (const p of points) {
    io.stdout(`${String(p.degree).padStart(2)} ${String(p.neurons).padStart(4)} ${p.mean.toFixed(1).padStart(9)} ${p.theory.toFixed(1).padStart(9)} ${(p.mean / p.theory).toFixed(2).padStart(6)}\n`);
  }
  io.stdout(`wrote ${resolve(o.outDir, 'capacity.json')}, capacity.svg, overlaps.svg\n`);
  return 0;
}
