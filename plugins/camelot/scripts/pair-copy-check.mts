/**
 * Does a checkpoint copy by content, whatever the distance? Loss on the first and the second copy of random strings
 * in "<s> <s>. " pairs (8 windows of 129 characters): strings of 4-12 and 20-30 characters from every character but
 * separators, and 20-30 lowercase letters. A model that copies has a far lower loss on second copies.
 *   cd plugins/camelot && node --conditions=engram-source --import tsx scripts/pair-copy-check.mts data/gpt-brown.json
 */
import * as tf from '@tensorflow/tfjs';
import { createEngram, initBackend } from '@engram/core';
import { camelotPlugin } from '../src/node/plugin.ts';
import { loadGpt } from '../src/node/checkpoint-files.ts';
import { seededRandom } from '@engram/core';
/** 8 documents of "<s> <s>. " pairs, strings of min..max characters of the alphabet without separators (seeded). */
const pairs = (alphabet: string, min: number, max: number): string[] => {
  const rand = seededRandom(99);
  const chars = [...alphabet].filter((c) => !' .\n'.includes(c));
  return Array.from({ length: 8 }, () => {
    let doc = '';
    while (doc.length < 200) {
      const n = min + Math.floor(rand() * (max - min + 1));
      let x = '';
      for (let i = 0; i < n; i++) x += chars[Math.floor(rand() * chars.length)];
      doc += `${x} ${x}. `;
    }
    return doc;
  });
};
await initBackend();
const engram = await createEngram({ plugins: [camelotPlugin] });
const model = await loadGpt(engram, process.argv[2]!);
for (const [name, alphabet, min, max] of [['all 4-12', model.tokenizer.characters, 4, 12], ['all 20-30', model.tokenizer.characters, 20, 30], ['lower 20-30', 'abcdefghijklmnopqrstuvwxyz', 20, 30]] as const) {
  const docs = pairs(alphabet, min, max);
  const rows = docs.map((d) => Array.from(model.tokenizer.encode(d.slice(0, 129))));
  const losses = tf.tidy(() => model.tokenLosses(tf.tensor2d(rows, [8, 129], 'int32')).arraySync());
  // loss on first copies vs second copies
  let a = 0, na = 0, b = 0, nb = 0;
  docs.forEach((d, r) => {
    let p = 0;
    for (const pair of d.slice(0, 129).split('. ')) {
      const [s] = pair.split(' ');
      const n = s!.length;
      for (let j = 1; j < n; j++) { const t = p + j; if (t - 1 < 128) { a += losses[r]![t - 1]!; na++; } }
      for (let j = 1; j < n; j++) { const t = p + n + 1 + j; if (t - 1 < 128) { b += losses[r]![t - 1]!; nb++; } }
      p += pair.length + 2;
    }
  });
  console.log(name, 'first copy', (a / na).toFixed(3), 'second copy', (b / nb).toFixed(3));
}
