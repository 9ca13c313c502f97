#!/usr/bin/env node
/**
 * Runs example (d): `npm start -w @engram-examples/composed -- [flags]` after a build
 * (or `npx tsx --conditions=engram-source examples/composed/src/main.ts [flags]`).
 * Flags: --train N --test N --epochs N --source full|subset|auto --out DIR.
 */
import { isAbsolute, relative } from 'node:path';
import { parseArgs } from 'node:util';
import type { FashionMnistSource } from '@engram/data';
import { formatEnergyTree } from './descent.js';
import { runComposedExample } from './run.js';

const { values } = parseArgs({
  options: {
    train: { type: 'string' },
    test: { type: 'string' },
    epochs: { type: 'string' },
    source: { type: 'string' },
    out: { type: 'string' },
  },
});
/** A positive integer flag, or undefined when absent; anything else stops the run before it loads data. */
const int = (v: string | undefined, flag: string): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (Number.isInteger(n) && n >= 1) return n;
  console.error(`--${flag} must be a positive integer, got '${v}'`);
  process.exit(2);
};
const train = int(values.train, 'train');
const test = int(values.test, 'test');
const epochs = int(values.epochs, 'epochs');

const r = await runComposedExample({
  ...(train !== undefined ? { trainImages: train } : {}),
  ...(test !== undefined ? { testImages: test } : {}),
  ...(epochs !== undefined ? { epochs } : {}),
  ...(values.source !== undefined ? { source: values.source as FashionMnistSource } : {}),
  ...(values.out !== undefined ? { out: values.out } : {}),
  log: (l) => console.log(l),
});
console.log(`\nenergy tree of the first test image's descent (image clamped):`);
for (const line of formatEnergyTree(r.trace)) console.log(`  ${line}`);
console.log(`  energy by step: ${r.trace.energies.map((e) => e.toFixed(2)).join(' -> ')}`);
// Short when the file is under the current folder, absolute otherwise.
const near = relative(process.cwd(), r.files.spec);
const spec = near.startsWith('..') || isAbsolute(near) ? r.files.spec : near;
console.log(
  `\nheld-out accuracy ${(100 * r.testAccuracy).toFixed(1)}% (${r.testImages} test images) after ${r.lossByEpoch.length} epochs on ${r.trainImages} training images, ${r.trainSeconds.toFixed(1)} s (${r.backend}, ${r.source})`,
);
console.log(`the model file runs with:  engram run ${spec} --steps 20   |   engram serve ${spec}`);
