/**
 * Prints the acceptance figure of the tf.layers integration: held-out accuracy
 * on the multiple-instance task of a tf.sequential(HopfieldPoolingLayer, dense
 * sigmoid) trained by model.fit and of the plain-API HopfieldPooling trained by
 * a hand-written Adam loop on the same batches, for each seed:
 *
 *   npx tsx --conditions=engram-source plugins/hopfield/examples/pooling-fit.ts [--seeds 5] [--train 1024] [--epochs 6]
 */
import { pathToFileURL } from 'node:url';
import { initBackend } from '@engram/core';
import { poolingFitComparison, type PoolingFitResult } from '../src/index.js';

function flag(args: readonly string[], name: string, dflt: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
}

/** Measures and prints one line per seed and the means; returns the results. */
export async function main(args: readonly string[] = [], log: (s: string) => void = console.log): Promise<PoolingFitResult[]> {
  await initBackend({ backend: 'wasm' });
  const seeds = flag(args, 'seeds', 5);
  const train = flag(args, 'train', 1024);
  const epochs = flag(args, 'epochs', 6);
  const t0 = performance.now();
  const results: PoolingFitResult[] = [];
  for (let seed = 0; seed < seeds; seed++) {
    const r = await poolingFitComparison({ seed, train, epochs });
    results.push(r);
    log(`seed ${seed}: model.fit ${r.fitAccuracy.toFixed(4)}, plain API ${r.plainAccuracy.toFixed(4)}, weights unchanged by fit: ${r.unchanged.length} of ${r.trainableWeights}`);
  }
  const mean = (f: (r: PoolingFitResult) => number) => (results.reduce((s, r) => s + f(r), 0) / results.length).toFixed(4);
  log(`mean over ${seeds} seeds (train ${train}, ${epochs} epochs): model.fit ${mean((r) => r.fitAccuracy)}, plain API ${mean((r) => r.plainAccuracy)}; ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
