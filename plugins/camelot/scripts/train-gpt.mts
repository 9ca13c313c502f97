/**
 * Retrains the committed GPT checkpoint (data/gpt-brown.*) from scratch, as
 * `engram camelot-train` does (BROWN_GPT_CONFIG, BROWN_GPT_PHASES):
 *   cd plugins/camelot && nice -n 10 node --conditions=engram-source --import tsx scripts/train-gpt.mts data/gpt-brown
 * Resume after phase k (the checkpoint and its .training.json are reloaded; each
 * phase has its own optimizer and seed, so this equals an uninterrupted run):
 *   ... scripts/train-gpt.mts data/gpt-brown --resume 1
 */
import { readFile } from 'node:fs/promises';
import { createEngram, initBackend } from '@engram/core';
import { camelotPlugin } from '../src/node/plugin.ts';
import { trainBrownGpt, type TrainingReport } from '../src/node/experiments/train-brown-gpt.ts';
import { loadGpt } from '../src/node/checkpoint-files.ts';

const out = process.argv[2] ?? 'data/gpt-brown';
const resumeAt = process.argv[3] === '--resume' ? Number(process.argv[4]) : undefined;
await initBackend();
const engram = await createEngram({ plugins: [camelotPlugin] });
const resume =
  resumeAt !== undefined
    ? { model: await loadGpt(engram, `${out}.json`), firstPhase: resumeAt, report: JSON.parse(await readFile(`${out}.training.json`, 'utf8')) as TrainingReport }
    : undefined;
const { report } = await trainBrownGpt(engram, { out, ...(resume ? { resume } : {}), log: (l) => console.log(l) });
console.log(`done: ${report.tokensSeen} tokens in ${report.seconds.toFixed(0)} s`);
