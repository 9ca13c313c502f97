/**
 * The README's TypeScript blocks are runnable programs: each runs to
 * completion (in this process, through tsx), prints what its comments say,
 * and leaves no tensor behind.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { initBackend } from '@engram/core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const blocks = [...readFileSync(join(root, 'README.md'), 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);

/** What each `console.log(...)` of a snippet says it prints: a comment on its line (up to the first ':'), or the whole next line's comment. */
function expectedOutput(code: string): string[] {
  const src = code.split('\n');
  return src.flatMap((line, k) => {
    if (!line.includes('console.log(')) return [];
    const same = /console\.log\(.*\);[ \t]*\/\/[ \t]*([^:]+)/.exec(line);
    if (same) return [same[1]!.trim()];
    const next = /^\s*\/\/\s*(.*)$/.exec(src[k + 1] ?? '');
    expect(next, `console.log without its expected output: ${line.trim()}`).to.not.equal(null);
    return [next![1]!.trim()];
  });
}

describe('README snippets', function () {
  this.timeout(120000);
  let dir = '';
  // Inside the package, so '@engram/sequence' resolves as it does for a user of the workspace.
  before(async () => {
    await initBackend({ backend: 'wasm' });
    dir = mkdtempSync(join(root, 'test', '.readme-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('has snippets', () => expect(blocks.length).to.be.at.least(2));
  blocks.forEach((code, i) => {
    it(`snippet ${i + 1} runs, prints what its comments say and frees its tensors`, async () => {
      const file = join(dir, `snippet-${i + 1}.mts`);
      writeFileSync(file, code);
      const printed: string[] = [];
      const log = console.log;
      const before = tf.memory().numTensors;
      console.log = (...args: unknown[]) => printed.push(format(...args));
      try {
        await import(pathToFileURL(file).href);
      } finally {
        console.log = log;
      }
      expect(tf.memory().numTensors).to.equal(before);
      expect(printed).to.deep.equal(expectedOutput(code));
    });
  });
});
