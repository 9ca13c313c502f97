/**
 * Memory settings side by side on a checkpoint: held-out bits/char (the first 6 held-out Brown documents cut to
 * 4,096 tokens; DOCS and LEN override; WINDOW the streamed window, default 128; SPLIT=train: training documents instead)
 * and the planted repeat (8 documents),
 * for each memory config of a JSON list:
 *   cd plugins/camelot && node --conditions=engram-source --import tsx scripts/memory-probe.mts data/gpt-brown.json '[{"policy":"unbounded","topK":8}]'
 */
import { createEngram, initBackend } from '@engram/core';
import { camelotPlugin } from '../src/node/plugin.ts';
import { loadGpt } from '../src/node/checkpoint-files.ts';
import { encodedBrown } from '../src/node/brown-files.ts';
import { plantedRepeat } from '../src/experiments/planted-repeat.ts';
import { collectLosses, meanBitsPerToken } from '../src/experiments/collect.ts';
await initBackend();
const engram = await createEngram({ plugins: [camelotPlugin] });
const model = await loadGpt(engram, process.argv[2]!, process.cwd());
const { heldOut, train } = encodedBrown(model.tokenizer);
// SPLIT=train: training documents spread over the genres (every 75th), for choosing read settings without the held-out ones.
const pool = process.env.SPLIT === 'train' ? train.filter((_, i) => i % 75 === 0) : heldOut;
const docs = pool.slice(0, Number(process.env.DOCS ?? 6)).map((d) => d.slice(0, Number(process.env.LEN ?? 4096)));
const window = Number(process.env.WINDOW ?? 128);
const bits = async (mem: object | null): Promise<number> => meanBitsPerToken((await collectLosses(model, docs, mem, window)).losses);
const base = await bits(null);
console.log('window', base.toFixed(4));
for (const mem of JSON.parse(process.argv[3]!)) {
  const b = await bits(mem);
  const r = await plantedRepeat(model, model.tokenizer, pool.slice(0, 8), mem, { seed: 0, window });
  console.log(JSON.stringify(mem), 'bits', b.toFixed(4), `ppl ${(100 * (2 ** (b - base) - 1)).toFixed(1)}%`, 'repeat', r.withoutMemory.toFixed(3), '->', r.withMemory.toFixed(3), (100 * r.reduction).toFixed(1) + '%');
}
