import { expect } from 'chai';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The main entry of @engram/core must bundle for browsers: no module reachable
 * from src/index.ts imports a Node built-in (file access lives in the
 * `@engram/core/node` entry, src/node/).
 */
const src = resolve(import.meta.dirname, '..', 'src');

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\b[^'";]*?from\s*'([^']+)'/gm)].map((m) => m[1]!).concat([...text.matchAll(/import\(\s*'([^']+)'\s*\)/g)].map((m) => m[1]!));
}

describe('@engram/core main entry is browser-safe', () => {
  it('no module reachable from src/index.ts imports node:* (or fs, path, ...)', () => {
    const seen = new Set<string>();
    const offending: string[] = [];
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const spec of importsOf(file)) {
        if (/^node:|^(fs|path|os|zlib|child_process|http|net|crypto|url)(\/|$)/.test(spec)) offending.push(`${relative(src, file)} imports '${spec}'`);
        if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      }
    };
    visit(join(src, 'index.ts'));
    expect(seen.size).to.be.greaterThan(40);
    expect(offending).to.deep.equal([]);
    expect([...seen].some((f) => f.includes(`${join('src', 'node')}`))).to.equal(false);
  });

  it('the node entry exists and is where the file code is', () => {
    expect(statSync(join(src, 'node', 'index.ts')).isFile()).to.equal(true);
    const nodeFiles = readdirSync(join(src, 'node'));
    expect(nodeFiles).to.include.members(['model-files.ts', 'optimizer-files.ts', 'safe-file.ts']);
  });
});
