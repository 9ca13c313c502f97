/**
 * Fashion-MNIST completion with the modern Hopfield network and DrDAM:
 * store K training images, hide the bottom half of each query, clamp the top
 * half, complete. Prints and writes accuracy and hidden-pixel MSE against K,
 * image grids (original, query, steps, result) and plots.
 *
 *   npx tsx --conditions=engram-source plugins/hopfield/examples/fashion-completion.ts [--subset] [--memories 10,100,1000]
 *       [--queries 50] [--features 20000] [--steps 30] [--out DIR]
 *
 * Uses the full training set when installed (Debian: sudo apt-get install
 * dataset-fashion-mnist, or set ENGRAM_FASHION_MNIST_DIR), else the subset committed with @engram/data.
 */
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { initBackend } from '@engram/core';
import { loadFashionMnist } from '@engram/data/node';
import { imageGridPng, linePlotSvg } from '@engram/viz';
import { writePng, writeText } from '@engram/viz/node';
import { imageCompletion, type CompletionRow } from '../src/index.js';

/** What {@link main} wrote and measured. */
export interface CompletionSummary {
  source: 'full' | 'subset';
  rows: CompletionRow[];
  files: string[];
}

function option(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

/** Runs the experiment with command-line style arguments. */
export async function main(args: readonly string[] = [], log: (s: string) => void = console.log): Promise<CompletionSummary> {
  await initBackend({ backend: 'wasm' });
  const set = loadFashionMnist({ split: 'train', source: args.includes('--subset') ? 'subset' : 'auto' });
  const memories = (option(args, '--memories') ?? (set.source === 'full' ? '10,100,1000,10000' : '10,100,1000')).split(',').map(Number);
  const queries = Number(option(args, '--queries') ?? 50);
  const features = Number(option(args, '--features') ?? 20000);
  const steps = Number(option(args, '--steps') ?? 30);
  const out = resolve(option(args, '--out') ?? 'engram-out/hopfield-completion');
  log(`Fashion-MNIST (${set.source}, ${set.count} training images): bottom half hidden, top half clamped; ${queries} queries per K`);
  log('model   K      acc    MSE(hidden)  MSE(query)  steps  seconds');
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const { rows, frames } = await imageCompletion({
    images: set.images,
    memories,
    queries,
    drdam: { features, maxSteps: steps },
    onRow: (r) =>
      log(`${r.model.padEnd(7)} ${String(r.memories).padEnd(6)} ${r.accuracy.toFixed(3)}  ${r.mse.toFixed(4)}       ${r.mseBefore.toFixed(4)}      ${String(r.steps).padEnd(5)}  ${r.seconds.toFixed(1)}`),
  });
  const cpu = process.cpuUsage(cpu0);
  log(`completed in ${((performance.now() - t0) / 1000).toFixed(1)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU`);
  const files: string[] = [];
  for (const f of frames) {
    const file = join(out, `completion-${f.model}-K${f.memories}.png`);
    const images = f.strips.flat();
    writePng(file, imageGridPng({ images, imageWidth: 28, imageHeight: 28, cols: f.strips[0]!.length, range: [0, 1], scale: 3 }));
    files.push(file);
  }
  const models = [...new Set(rows.map((r) => r.model))];
  const series = (metric: 'accuracy' | 'mse') =>
    models.map((m) => ({ name: m, x: rows.filter((r) => r.model === m).map((r) => r.memories), y: rows.filter((r) => r.model === m).map((r) => r[metric]) }));
  for (const [metric, label] of [['accuracy', 'retrieval accuracy'], ['mse', 'MSE on hidden pixels']] as const) {
    const file = join(out, `${metric}-vs-K.svg`);
    writeText(file, linePlotSvg({ series: series(metric), logX: true, xLabel: 'stored images K', yLabel: label, title: `Fashion-MNIST completion (${set.source})` }));
    files.push(file);
  }
  const json = join(out, 'results.json');
  writeText(json, JSON.stringify({ source: set.source, queries, features, steps, rows }, null, 2));
  files.push(json);
  log(`wrote ${files.length} files under ${out}`);
  return { source: set.source, rows, files };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
