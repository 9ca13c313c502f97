/**
 * Trains the image Energy Transformer on Fashion-MNIST masked-patch completion
 * and compares it with two baselines, printing progress and the test MSEs.
 *
 *   npx tsx plugins/energy-transformer/examples/train-image.ts [et-train options]
 *   e.g. --train 2000 --test 500 --epochs 1 --dim 64 --out engram-out/et-small
 */
import { createEngram, initBackend } from '@engram/core';
import et, { etTrainCommand } from '../src/index.js';

await initBackend({ backend: 'wasm' });
const engram = await createEngram({ plugins: [et] });
const code = await etTrainCommand(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  isTTY: Boolean(process.stderr.isTTY),
  cwd: process.cwd(),
}, engram);
process.exitCode = code;
