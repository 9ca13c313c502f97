import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Every ```ts block of the README runs as written (in a child process, from the package folder so imports resolve). */
describe('README snippets run', function () {
  this.timeout(120_000);
  const blocks = [...readFileSync(join(root, 'README.md'), 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
  it('has snippets', () => expect(blocks.length).to.be.greaterThan(0));
  blocks.forEach((code, i) => {
    it(`snippet ${i + 1}`, () => {
      const file = join(root, `.readme-snippet-${i}.ts`);
      writeFileSync(file, code);
      try {
        execFileSync(process.execPath, ['--conditions=engram-source', '--import', 'tsx', file], { cwd: root, stdio: 'pipe' });
      } finally {
        rmSync(file, { force: true });
      }
    });
  });
});
