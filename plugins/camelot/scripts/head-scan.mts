/**
 * Which heads should read the memory? Chosen on TRAINING documents (the first 4 cut to 4,096 characters; the
 * planted repeat on training documents 10-17, seed 1), never on the held-out ones the README's tables use.
 * Without an argument: each of the heads alone reading an unbounded memory (8 picks). With a JSON list of memory
 * configs: those configs on the same training documents.
 *   cd plugins/camelot && node --conditions=engram-source --import tsx scripts/head-scan.mts
 *   cd plugins/camelot && node --conditions=engram-source --import tsx scripts/head-scan.mts '[{"policy":"camelot","memories":256,"threshold":0.9,"readHeads":[[0,2]]}]'
 */
import { createEngram, initBackend } from '@engram/core';
import { camelotPlugin } from '../src/node/plugin.ts';
import { loadGpt } from '../src/node/checkpoint-files.ts';
import { encodedBrown } from '../src/node/brown-files.ts';
import { plantedRepeat } from '../src/experiments/planted-repeat.ts';
import { collectLosses, meanBitsPerToken } from '../src/experiments/collect.ts';

await initBackend();
const engram = await createEngram({ plugins: [camelotPlugin] });
const model = await loadGpt(engram, 'data/gpt-brown.json', process.cwd());
const { train } = encodedBrown(model.tokenizer);
const docs = train.slice(0, 4).map((d) => d.slice(0, 4096));
const bits = async (memory: object | null): Promise<number> => meanBitsPerToken((await collectLosses(model, docs, memory)).losses);
const base = await bits(null);
const configs: object[] = process.argv[2]
  ? (JSON.parse(process.argv[2]) as object[])
  : model.attentionLayers.flatMap((layer, l) => Array.from({ length: layer.heads }, (_, h) => ({ policy: 'unbounded', topK: 8, readHeads: [[l, h]] })));
for (const memory of configs) {
  const b = await bits(memory);
  const r = await plantedRepeat(model, model.tokenizer, train.slice(10, 18), memory as never, { seed: 1 });
  console.log(JSON.stringify(memory), `perplexity ${(100 * (2 ** (b - base) - 1)).toFixed(2)} %`, `planted repeat ${(100 * -r.reduction).toFixed(1)} %`);
}
