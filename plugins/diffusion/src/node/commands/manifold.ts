/**
 * `engram diffusion-manifold`: geometric memorization on a linear manifold
 * (size 32, blocks of variance 1 and 0.1). Prints a table and writes
 * results.json and kept-dims.svg under --out.
 */
import * as tf from '@tensorflow/tfjs';
import { join, resolve } from 'node:path';
import { z, type CommandDefinitionEntry } from '@engram/core';
import { linePlotSvg } from '@engram/viz';
import { writeText } from '@engram/viz/node';
import { manifoldSchema, manifoldSweep, type ManifoldPoint } from '../../experiments/manifold.js';
import { formatTable } from '../../internal/table.js';

/** Options of `engram diffusion-manifold`: the sweep's, and the output folder. */
export const manifoldCommandOptions = manifoldSchema.extend({
  out: z.string().min(1).default('engram-out/diffusion-manifold').describe('output folder (results.json, kept-dims.svg)'),
});

/** The sweep's table: dimensions kept per block, trained and exact. */
export function manifoldTable(points: readonly ManifoldPoint[]): string {
  return formatTable(
    ['N', 'kept var-1 (of 4)', 'kept var-0.1 (of 4)', 'kept total', 'exact AM var-1 / var-0.1', 'loss'],
    points.map((p) => [String(p.n), p.keptHigh.toFixed(2), p.keptLow.toFixed(2), p.keptTotal.toFixed(2), `${p.exactHigh.toFixed(2)} / ${p.exactLow.toFixed(2)}`, p.loss.toFixed(4)]),
  );
}

/** The command. */
export const manifoldCommand: CommandDefinitionEntry<typeof manifoldCommandOptions> = {
  description: 'Geometric memorization: manifold dimensions kept per variance block vs training-set size (Achilli et al.)',
  options: manifoldCommandOptions,
  details: 'Trains a fresh diffusion/score model per N on a seeded linear manifold and reads the kept dimensions from the score spectrum at small sigma (see the README).',
  async run({ options }, io) {
    const { out: outDir, ...sweep } = options;
    const out = resolve(io.cwd, outDir);
    io.stdout(`diffusion-manifold on the ${tf.getBackend()} backend\n`);
    const t0 = Date.now();
    const points = await manifoldSweep(sweep, (l) => io.stderr(`${l}\n`));
    const seconds = (Date.now() - t0) / 1000;
    const ns = points.map((p) => p.n);
    const svg = linePlotSvg({
      title: 'Linear manifold (size 32): dimensions kept per block vs training-set size',
      xLabel: 'training-set size N',
      yLabel: 'dimensions kept (of 4)',
      logX: true,
      yDomain: [0, 4.5],
      series: [
        { name: 'trained, variance-1 block', x: ns, y: points.map((p) => p.keptHigh) },
        { name: 'trained, variance-0.1 block', x: ns, y: points.map((p) => p.keptLow) },
        { name: 'exact AM, variance-1 block', x: ns, y: points.map((p) => p.exactHigh), dashed: true },
        { name: 'exact AM, variance-0.1 block', x: ns, y: points.map((p) => p.exactLow), dashed: true },
      ],
    });
    writeText(join(out, 'kept-dims.svg'), svg);
    writeText(join(out, 'results.json'), `${JSON.stringify({ command: 'engram diffusion-manifold', backend: tf.getBackend(), seconds, settings: sweep, points }, null, 2)}\n`);
    io.stdout(`${manifoldTable(points)}\nwrote ${out}/results.json, kept-dims.svg (${seconds.toFixed(0)} s)\n`);
    return 0;
  },
};
