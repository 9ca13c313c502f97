/**
 * Retrains the committed GPT checkpoint (data/gpt-brown.*) from scratch:
 *   cd plugins/camelot && nice -n 10 node --conditions=engram-source --import tsx scripts/train-gpt.mts [out] [limit]
 * The same as `engram camelot-train`.
 */
import { createEngram, initBackend } from '@engram/core';
import { camelotPlugin } from '../src/plugin.ts';
import { trainBrownGpt } from '../src/experiments/train-brown-gpt.ts';

const out = process.argv[2] ?? 'data/gpt-brown';
const limit = process.argv[3] ? Number(process.argv[3]) : undefined;
const epochs = process.argv[4] ? JSON.parse(process.argv[4]) : undefined;
await initBackend();
const engram = await createEngram({ plugins: [camelotPlugin] });
const { report } = await trainBrownGpt(engram, { out, ...(limit ? { limit } : {}), ...(epochs ? { phases: epochs } : {}), log: (l) => console.log(l) });
console.log(`done: ${report.tokensSeen} tokens in ${report.seconds.toFixed(0)} s`);
