/**
 * One training phase on a saved GPT checkpoint (or 'new': a fresh model of the committed config) (a step of trainBrownGpt run by hand, for trying phases):
 *   cd plugins/camelot && node --conditions=engram-source --import tsx scripts/train-phase.mts <in> <out> '<settings JSON>'
 * e.g. '{"data":"camelot/copy-strings","epochs":4,"lr":2e-3,"limit":4096,"batchSize":16,"repeatFraction":0}'.
 * Prints the loss every 64 batches and the held-out loss of each epoch; saves <out> after each epoch.
 */
import { lastValueFrom, tap } from 'rxjs';
import { createEngram, initBackend, trainModel } from '@engram/core';
import { saveModel } from '@engram/core/node';
import { camelotPlugin } from '../src/node/plugin.ts';
import { loadGpt } from '../src/node/checkpoint-files.ts';
import { Gpt } from '../src/models/gpt.ts';
import { BROWN_GPT_CONFIG } from '../src/node/experiments/train-brown-gpt.ts';

const [input, out, json] = process.argv.slice(2);
if (!input || !out || !json) {
  console.error("usage: train-phase.mts <in checkpoint .json> <out path> '<training settings JSON>'");
  process.exit(2);
}
await initBackend();
const engram = await createEngram({ plugins: [camelotPlugin] });
// 'new': a fresh model of the committed config.
const model = input === 'new' ? new Gpt(BROWN_GPT_CONFIG) : await loadGpt(engram, input);
const t = Date.now();
let saving: Promise<unknown> = Promise.resolve();
await lastValueFrom(
  trainModel(model, { engram, settings: { seed: 0, clipNorm: 1, ...JSON.parse(json) } }).pipe(
    tap((e) => {
      if (e.type === 'batch' && e.batch % 64 === 0) console.log('batch', e.epoch, e.batch, e.loss.toFixed(3), ((Date.now() - t) / 1000).toFixed(0));
      if (e.type === 'epoch') {
        console.log('epoch', e.epoch, e.loss.toFixed(3), JSON.stringify(e.metrics));
        saving = saving.then(() => saveModel(model, out, { engram }));
      }
    }),
  ),
);
await saving;
