import { expect } from 'chai';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The main entry of @engram/viz must bundle for browsers: no module reachable
 * from src/index.ts imports a Node built-in or a Node-only package (pngjs);
 * writing files lives in the `@engram/viz/node` entry, src/node/.
 */
const src = resolve(import.meta.dirname, '..', 'src');

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\b[^'";]*?from\s*'([^']+)'/gm)].map((m) => m[1]!).concat([...text.matchAll(/import\(\s*'([^']+)'\s*\)/g)].map((m) => m[1]!));
}

describe('@engram/viz main entry is browser-safe', () => {
  it('no module reachable from src/index.ts imports node:*, fs, path, zlib, ... or pngjs, or uses Buffer', () => {
    const seen = new Set<string>();
    const offending: string[] = [];
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const spec of importsOf(file)) {
        if (/^node:|^(fs|path|os|zlib|stream|buffer|child_process|http|net|crypto|url|pngjs)(\/|$)/.test(spec)) offending.push(`${relative(src, file)} imports '${spec}'`);
        if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      }
      // Buffer is a Node global: code using it bundles but fails in the page.
      if (/\bBuffer\.|: Buffer\b/.test(readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ''))) offending.push(`${relative(src, file)} uses Buffer`);
    };
    visit(join(src, 'index.ts'));
    expect(seen.size).to.be.greaterThan(10);
    expect(offending).to.deep.equal([]);
    expect([...seen].some((f) => f.includes(join('src', 'node')))).to.equal(false);
  });

  it('the node entry exists and is where the file writing is', () => {
    expect(statSync(join(src, 'node', 'index.ts')).isFile()).to.equal(true);
    expect(readFileSync(join(src, 'node', 'write.ts'), 'utf8')).to.match(/from 'node:fs'/);
  });
});
