/**
 * `engram diffusion-sweep`: the memorization / spurious / generalization sweep
 * over K on Fashion-MNIST 14 x 14. Prints a table and writes results.json,
 * fractions.svg and samples-K<k>.png (16 samples per K) under --out.
 */
import * as tf from '@tensorflow/tfjs';
import { join, resolve } from 'node:path';
import { z, type CommandDefinitionEntry } from '@engram/core';
import { imageGridPng, linePlotSvg } from '@engram/viz';
import { writePng, writeText } from '@engram/viz/node';
import type { SweepResult } from '../../experiments/sweep.js';
import { memorizationSweep, sweepSchema } from '../experiments/sweep.js';
import { formatTable } from '../../internal/table.js';

/** Options of `engram diffusion-sweep`: the sweep's, and the output folder. */
export const sweepCommandOptions = sweepSchema.extend({
  out: z.string().min(1).default('engram-out/diffusion-sweep').describe('output folder (results.json, fractions.svg, samples-K*.png)'),
});

/** The sweep's table: class fractions and medians per K. */
export function sweepTable(result: SweepResult): string {
  return formatTable(
    ['K', 'memorized', 'spurious', 'generalized', 'median d1/d2', 'nearest train RMS', 'restart RMS', 'loss', 'train s'],
    result.points.map((p) => [
      p.diverged ? `${p.k} (diverged)` : String(p.k),
      p.memorized.toFixed(3),
      p.spurious.toFixed(3),
      p.generalized.toFixed(3),
      p.medianRatio.toFixed(3),
      p.medianNearestTrainRms.toFixed(3),
      p.medianRestartRms.toFixed(3),
      p.loss.toFixed(3),
      p.trainSeconds.toFixed(0),
    ]),
  );
}

/** The command. */
export const sweepCommand: CommandDefinitionEntry<typeof sweepCommandOptions> = {
  description: 'Memorized / spurious / generalized samples vs training-set size on Fashion-MNIST 14x14 (Pham et al.)',
  options: sweepCommandOptions,
  details: 'Trains a fresh diffusion/score model per K (nested sets of one seeded permutation), samples with Heun, and classifies each sample (see the README).',
  async run({ options }, io) {
    const { out: outDir, ...sweep } = options;
    const out = resolve(io.cwd, outDir);
    io.stdout(`diffusion-sweep on the ${tf.getBackend()} backend\n`);
    const t0 = Date.now();
    const res = await memorizationSweep(sweep, (l) => io.stderr(`${l}\n`));
    const seconds = (Date.now() - t0) / 1000;
    const sampled = res.points.filter((p) => !p.diverged); // a diverged K has no fractions to plot
    const svg = linePlotSvg({
      title: 'Diffusion on Fashion-MNIST 14x14: sample classes vs training-set size',
      xLabel: 'training-set size K',
      yLabel: 'fraction of samples',
      logX: true,
      yDomain: [0, 1],
      series: (['memorized', 'spurious', 'generalized'] as const).map((name) => ({ name, x: sampled.map((p) => p.k), y: sampled.map((p) => p[name]) })),
    });
    writeText(join(out, 'fractions.svg'), svg);
    for (const p of sampled) {
      writePng(join(out, `samples-K${p.k}.png`), imageGridPng({ images: Float32Array.from(p.preview), imageWidth: res.side, imageHeight: res.side, cols: 8, range: [-1, 1], scale: 3 }));
    }
    const json = { command: 'engram diffusion-sweep', backend: tf.getBackend(), seconds, settings: res.settings, points: res.points.map(({ preview: _p, ...rest }) => rest) };
    writeText(join(out, 'results.json'), `${JSON.stringify(json, null, 2)}\n`);
    io.stdout(`${sweepTable(res)}\nwrote ${out}/results.json, fractions.svg, samples-K*.png (${seconds.toFixed(0)} s)\n`);
    return 0;
  },
};
