import { expect } from 'chai';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { createEngram, initBackend } from '@engram/core';

/** Cross-package checks: every built-in plugin loads together with the others and keeps to the public API. */
const root = resolve(import.meta.dirname, '..');
const plugins = ['hopfield', 'sequence', 'sdm', 'energy-transformer', 'diffusion', 'clam', 'camelot'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('built-in plugins (cross-package)', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('use only the public entry points of workspace packages (no deep or escaping imports)', () => {
    for (const name of plugins) {
      const src = join(root, 'plugins', name, 'src');
      for (const file of sourceFiles(src)) {
        const text = readFileSync(file, 'utf8');
        for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)) {
          const spec = m[1]!;
          const where = `${relative(root, file)} imports '${spec}'`;
          // Public subpaths (a package's exports: './node', './bench') are fine; anything deeper is not.
          expect(/^@engram\/[a-z-]+\/(?!(node|bench)$)/.test(spec), `${where} (deep import)`).to.equal(false);
          if (spec.startsWith('.')) {
            const target = resolve(file, '..', spec);
            expect(target.startsWith(src), `${where} (outside the plugin)`).to.equal(true);
          }
        }
      }
    }
  });

  it('load together by package name, each contributing namespaced ids without clashes', async () => {
    // As the CLI loads them: the ./node entries (their plugins add the commands and file-based data sets).
    const engram = await createEngram({ plugins: ['@engram/data/node', ...plugins.map((p) => (p === 'hopfield' ? '@engram/hopfield' : `@engram/${p}/node`))] });
    const names = engram.plugins().map((p) => p.name);
    expect(names).to.include.members(['core', 'data', 'hopfield', 'sequence', 'sdm', 'energy-transformer', 'diffusion', 'clam', 'camelot']);
    expect(engram.ids('dataset')).to.include.members(['data/fashion-mnist', 'data/binary-patterns', 'data/gaussian-patterns', 'clam/zoo', 'clam/blobs', 'camelot/brown']);
    const models = engram.ids('model');
    expect(models).to.include.members([
      'core/graph',
      'hopfield/classical',
      'hopfield/dense',
      'hopfield/modern',
      'hopfield/drdam',
      'sequence/seqnet',
      'sequence/dense',
      'sequence/gpi',
      'sequence/mixed',
      'sequence/bipartite',
      'sdm/sdmlp',
      'energy-transformer/block',
      'energy-transformer/image',
      'energy-transformer/graph',
      'diffusion/score',
      'diffusion/exact',
      'clam/clam',
      'camelot/gpt',
    ]);
    expect(new Set(models).size).to.equal(models.length);
    for (const info of engram.plugins()) {
      for (const ids of Object.values(info.contributes)) for (const id of ids) expect(id.startsWith(`${info.name}/`)).to.equal(true);
    }
    const commands = engram.commands().map((c) => c.name);
    expect(commands).to.include.members(['capacity', 'split-fmnist', 'et-train', 'et-graph', 'diffusion-sweep', 'diffusion-manifold', 'clam', 'camelot', 'camelot-train']);
    expect(new Set(commands).size).to.equal(commands.length);
  });
});
