/**
 * How much do the first tokens of each non-overlapping window lose? Held-out bits/char of the frozen model with
 * non-overlapping 128-character windows (what every method of `engram camelot` streams) against a sliding window
 * (every character predicted from the model's whole context before it, or all before it near the start): the gain a
 * memory that only restored that much context could bring at most. Same documents as the README's tables (6 x 4,096;
 * DOCS, LEN; WINDOW sets the non-overlapping windows, default 128).
 *   cd plugins/camelot && node --conditions=engram-source --import tsx scripts/sliding-window.mts
 */
import * as tf from '@tensorflow/tfjs';
import { createEngram, initBackend } from '@engram/core';
import { camelotPlugin } from '../src/node/plugin.ts';
import { loadGpt } from '../src/node/checkpoint-files.ts';
import { encodedBrown } from '../src/node/brown-files.ts';
import { collectLosses } from '../src/experiments/collect.ts';

await initBackend();
const engram = await createEngram({ plugins: [camelotPlugin] });
const model = await loadGpt(engram, process.argv[2] ?? 'data/gpt-brown.json', process.cwd());
const { heldOut } = encodedBrown(model.tokenizer);
const docs = heldOut.slice(0, Number(process.env.DOCS ?? 6)).map((d) => d.slice(0, Number(process.env.LEN ?? 4096)));
const c = model.contextLength;
const { losses } = await collectLosses(model, docs, null, Number(process.env.WINDOW ?? 128));
const { losses: full } = await collectLosses(model, docs, null, c);
let windowed = 0;
let sliding = 0;
let n = 0;
for (const [i, doc] of docs.entries()) {
  const own = losses[i]!;
  // Positions 1..c-1 are predicted from everything before them by the first full-context window.
  for (let p = 1; p < c; p++) sliding += full[i]![p - 1]!;
  const batch = 64;
  for (let start = c; start < doc.length; start += batch) {
    const rows = Array.from({ length: Math.min(batch, doc.length - start) }, (_, r) => Array.from(doc.subarray(start + r - c, start + r + 1)));
    const l = tf.tidy(() => model.tokenLosses(tf.tensor2d(rows, [rows.length, c + 1], 'int32')).slice([0, c - 1], [rows.length, 1]).dataSync());
    for (const x of l) sliding += x;
  }
  for (const x of own) windowed += x;
  n += own.length;
}
const bits = (s: number): number => s / n / Math.LN2;
console.log(`non-overlapping windows ${bits(windowed).toFixed(4)} bits/token; sliding window ${bits(sliding).toFixed(4)} bits/token; perplexity ${(100 * (2 ** (bits(sliding) - bits(windowed)) - 1)).toFixed(1)} %`);
