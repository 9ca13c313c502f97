/**
 * The `split-fmnist` command: runs class-incremental Split Fashion-MNIST for
 * the SDMLP and its baselines, prints the table, writes results.json, table.txt
 * and accuracy.svg (accuracy on all classes after each task, one line per model).
 */
import * as tf from '@tensorflow/tfjs';
import { join, resolve } from 'node:path';
import { z, type CommandDefinitionEntry } from '@engram/core';
import { writeText } from '@engram/viz/node';
import type { SplitFashionMnistResult } from '../../experiments/split-fmnist.js';
import { formatSplitTable, splitAccuracyPlot } from '../../experiments/split-report.js';
import { runSplitFashionMnist, splitSchema } from '../experiments/split-fmnist.js';

/** Options of `engram split-fmnist`: the protocol's, and the output folder. */
export const splitCommandOptions = splitSchema.extend({
  out: z.string().min(1).default('engram-out/split-fmnist').describe('output folder (results.json, table.txt, accuracy.svg)'),
});

/** Writes results.json, table.txt and accuracy.svg into `out`; returns the table. */
export function writeSplitOutputs(result: SplitFashionMnistResult, out: string): string {
  const table = formatSplitTable(result);
  writeText(join(out, 'results.json'), `${JSON.stringify(result, null, 2)}\n`);
  writeText(join(out, 'table.txt'), `${table}\n`);
  writeText(join(out, 'accuracy.svg'), splitAccuracyPlot(result));
  return table;
}

/** The command. */
export const splitCommand: CommandDefinitionEntry<typeof splitCommandOptions> = {
  description: 'Class-incremental Split Fashion-MNIST: SDMLP against ReLU (SGD, Adam) and Top-K MLPs (Bricken et al.)',
  options: splitCommandOptions,
  details: 'Uses the full Fashion-MNIST when installed (apt-get install dataset-fashion-mnist), else the committed subset; progress goes to stderr.',
  async run({ options }, io) {
    const { out: outDir, ...protocol } = options;
    const out = resolve(io.cwd, outDir);
    io.stdout(`split-fmnist on the ${tf.getBackend()} backend\n`);
    let last = '';
    const result = await runSplitFashionMnist(protocol, ({ model, seed, task, event }) => {
      if (event.type !== 'epoch') return;
      const line = `${model} seed ${seed} task ${task + 1} epoch ${event.epoch + 1}/${event.epochs} loss ${event.loss.toFixed(4)} (${(event.elapsedMs / 1000).toFixed(1)} s)`;
      if (line !== last) io.stderr(`${line}\n`);
      last = line;
    });
    const table = writeSplitOutputs(result, out);
    io.stdout(`Split Fashion-MNIST (${result.source} set: ${result.trainImages} train / ${result.testImages} test images), seeds ${result.settings.seeds.join(',')}\n`);
    io.stdout(`${table}\nwrote ${join(out, 'results.json')}, table.txt, accuracy.svg\n`);
    return 0;
  },
};
