import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect } from 'chai';
import { initBackend } from '@engram/core';

/** Every ```ts snippet of the README runs as written (each as its own module, in this process). */
describe('README snippets', () => {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const dir = join(root, '.snippets');
  let snippets: string[] = [];
  before(async () => {
    const text = await readFile(join(root, 'README.md'), 'utf8');
    snippets = [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
    await mkdir(dir, { recursive: true });
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
    await initBackend({ backend: 'wasm' });
  });

  it('has snippets', () => {
    expect(snippets.length).to.be.at.least(4);
  });

  for (let i = 0; i < 4; i++) {
    it(`snippet ${i + 1} runs`, async () => {
      const code = snippets[i]!;
      const file = join(dir, `snippet-${i + 1}.ts`);
      await writeFile(file, code);
      const lines: unknown[][] = [];
      const log = console.log;
      console.log = (...args: unknown[]) => void lines.push(args);
      try {
        await import(pathToFileURL(file).href);
      } finally {
        console.log = log;
      }
      if (/console\.log/.test(code)) expect(lines.length, 'the snippet printed').to.be.greaterThan(0);
    });
  }
});
