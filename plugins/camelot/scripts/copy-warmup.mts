/**
 * The synthetic copying warm-up tried on 2 December 2026 (README, "Why, and what would change it"): the
 * committed config trained on documents of random lowercase strings (8-47 letters), each followed by its copy,
 * for 8 epochs of 2048 windows, then on Brown; the log shows the synthetic loss (it stayed at 3.2 nats: no copying).
 *   cd plugins/camelot && node --conditions=engram-source --import tsx scripts/copy-warmup.mts
 * With `small`: a 2-block, width-64 model on the same strings for 16 epochs, synthetic only (also 3.2 nats):
 *   cd plugins/camelot && node --conditions=engram-source --import tsx scripts/copy-warmup.mts small
 * With `long`: the same small model for 4,096 steps of 32 windows at lr 1e-3 (still 3.2 nats):
 *   cd plugins/camelot && node --conditions=engram-source --import tsx scripts/copy-warmup.mts long
 * With `long-learned`: the same with learned positions instead of rotary ones.
 * All without smeared keys (BROWN_GPT_CONFIG has them now; `default` turns them off): none of these copies.
 */
import { lastValueFrom, tap } from 'rxjs';
import { createEngram, initBackend, definePlugin, z, trainModel, seededRandom } from '@engram/core';
import { camelotPlugin } from '../src/node/plugin.ts';
import { textDataset } from '../src/internal/brown-dataset.ts';
import { Gpt } from '../src/models/gpt.ts';
import { trainBrownGpt, BROWN_GPT_CONFIG } from '../src/node/experiments/train-brown-gpt.ts';
await initBackend();
const rand = seededRandom(5);
const letters = 'abcdefghijklmnopqrstuvwxyz';
const docs = Array.from({ length: 100 }, () => { let d = ''; while (d.length < 3000) { const n = 8 + Math.floor(rand() * 40); const s = Array.from({ length: n }, () => letters[Math.floor(rand() * 26)]).join(''); d += s + ' ' + s + '. '; } return d; });
const synth = definePlugin({ name: 'synth', version: '0.0.0', engram: '*', register(ctx) { ctx.dataset('copy', { schema: z.strictObject({}), load: async () => textDataset(docs), description: 'copy' }); } });
const engram = await createEngram({ plugins: [camelotPlugin, synth] });
// Each variant: the model, its synthetic training, and whether Brown training follows.
const SMALL = { contextLength: 128, size: 64, heads: 4, blocks: 2, hiddenSize: 256, positions: 'rotary', seed: 0 } as const;
const LONG = { epochs: 32, lr: 1e-3, limit: 4096, batchSize: 32 };
const VARIANTS = {
  default: { config: { ...BROWN_GPT_CONFIG, smearKeys: false }, settings: { epochs: 8, lr: 2e-3, limit: 2048, batchSize: 16 }, brown: true },
  small: { config: SMALL, settings: { epochs: 16, lr: 2e-3, limit: 2048, batchSize: 16 }, brown: false },
  long: { config: SMALL, settings: LONG, brown: false },
  'long-learned': { config: { ...SMALL, positions: 'learned' as const }, settings: LONG, brown: false },
};
const name = process.argv[2] ?? 'default';
if (!(name in VARIANTS)) { console.error(`copy-warmup: unknown variant '${name}'; use one of ${Object.keys(VARIANTS).join(', ')}`); process.exit(2); }
const { config, settings, brown } = VARIANTS[name as keyof typeof VARIANTS];
const model = new Gpt(config);
const t = Date.now();
await lastValueFrom(trainModel(model, { engram, settings: { ...settings, seed: 0, repeatFraction: 0, data: 'synth/copy', clipNorm: 1 } }).pipe(tap((e) => { if (e.type === 'batch' && e.batch % 64 === 0) console.log('synth', e.epoch, e.batch, e.loss.toFixed(3), (Date.now() - t) / 1000); })));
if (!brown) process.exit(0);
const { report } = await trainBrownGpt(engram, { out: '/tmp/cam/gpt3', resume: { model, firstPhase: 0 }, limit: 4096, batchSize: 16, phases: [{ epochs: 12, lr: 2e-3, repeatFraction: 0.5, repeatLength: 40 }, { epochs: 2, lr: 1e-3, repeatFraction: 0.5, repeatLength: 56 }], log: (l) => { if (l.includes(':')) console.log(l); } });
console.log('done', report.seconds, (Date.now() - t) / 1000);
