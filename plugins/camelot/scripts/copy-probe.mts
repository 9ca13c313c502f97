/**
 * Does a checkpoint copy? The planted-repeat probe inside the window (no memory involved) and across windows
 * with a FIFO, the unbounded memory and CAMELoT, on the first 8 held-out Brown documents:
 *   cd plugins/camelot && node --conditions=engram-source --import tsx scripts/copy-probe.mts data/gpt-brown.json
 */
import { createEngram, initBackend } from '@engram/core';
import { camelotPlugin } from '../src/node/plugin.ts';
import { loadGpt } from '../src/node/checkpoint-files.ts';
import { encodedBrown } from '../src/node/brown-files.ts';
import { plantedRepeat } from '../src/experiments/planted-repeat.ts';
await initBackend();
const engram = await createEngram({ plugins: [camelotPlugin] });
const model = await loadGpt(engram, process.argv[2]!, process.cwd());
const { heldOut } = encodedBrown(model.tokenizer);
const docs = heldOut.slice(0, 8);
// Strings of lowercase letters (the default) and of every character but the separators ' ', '.', newline.
const alphabet = process.argv[3] === 'all' ? model.tokenizer.characters.replace(/[ .\n]/g, '') : undefined;
const inW = await plantedRepeat(model, model.tokenizer, docs, { policy: 'fifo', memories: 64 }, { seed: 0, at: 10, repeatAt: 70, ...(alphabet ? { alphabet } : {}) });
console.log('in-window repeat loss', inW.withoutMemory.toFixed(3), 'unseen', (await plantedRepeat(model, model.tokenizer, docs, { policy: 'fifo', memories: 1 }, { seed: 0, ...(alphabet ? { alphabet } : {}) })).withoutMemory.toFixed(3));
for (const mem of [{ policy: 'fifo', memories: 256 }, { policy: 'unbounded' }, { policy: 'camelot', memories: 256, threshold: 0.8 }, { policy: 'camelot', memories: 256, threshold: 0.8, read: 'own', topK: 4 }] as const) {
  const r = await plantedRepeat(model, model.tokenizer, docs, mem, { seed: 0, ...(alphabet ? { alphabet } : {}) });
  console.log(JSON.stringify(mem), r.withoutMemory.toFixed(3), '->', r.withMemory.toFixed(3), (100 * r.reduction).toFixed(1) + '%');
}
