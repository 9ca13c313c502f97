/**
 * The library packages bundle for browsers: an entry importing the main entry
 * (`.`) of core, data, viz and every plugin is bundled by esbuild for the
 * browser platform with no error (so no Node built-in is reachable from any of
 * them, through any dependency). And each plugin's `./node` entry exports, as
 * its default, a plugin of the same name that contributes at least what the
 * main entry's plugin does (the CLI loads those).
 *
 * Runs against the built packages (`npm run build` first), like every test here.
 */
import { expect } from 'chai';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { createEngram, type EngramPlugin } from '@engram/core';
import dataPlugin from '@engram/data';

const root = resolve(import.meta.dirname, '..');
const work = join(root, '.cache', 'browser-bundle');
const require = createRequire(join(root, 'package.json'));

const packages = ['core', 'data', 'viz'];
const plugins = ['hopfield', 'sequence', 'sdm', 'energy-transformer', 'diffusion', 'clam', 'camelot', 'listops'];
/** Plugins with no Node-only parts: no ./node entry; the CLI loads their main entry. */
const mainOnly = new Set(['hopfield']);

function resolves(spec: string): boolean {
  try {
    require.resolve(spec);
    return true;
  } catch {
    return false;
  }
}

const present = plugins.filter((p) => resolves(`@engram/${p}`));
const missing = plugins.filter((p) => !present.includes(p));

describe('browser bundles (cross-package)', function () {
  this.timeout(300000);

  before(() => {
    if (missing.length) throw new Error(`not resolvable (run npm run build): ${missing.map((p) => `@engram/${p}`).join(', ')}`);
  });

  it('an entry importing every main entry bundles with esbuild for the browser with 0 errors', async () => {
    const names = [...packages, ...present].map((p) => `@engram/${p}`);
    mkdirSync(work, { recursive: true });
    const entry = join(work, 'entry.mjs');
    // Namespace imports, all used, so nothing is dropped before resolution.
    const lines = names.map((n, i) => `import * as m${i} from '${n}';`);
    lines.push(`export const modules = [${names.map((_, i) => `m${i}`).join(', ')}];`);
    writeFileSync(entry, `${lines.join('\n')}\n`);
    try {
      const result = await build({
        entryPoints: [entry],
        bundle: true,
        platform: 'browser',
        format: 'esm',
        write: false,
        logLevel: 'silent',
        absWorkingDir: root,
      }).catch((err: { errors?: { text: string; location?: { file: string } | null }[] }) => ({ errors: err.errors ?? [{ text: String(err), location: null }], outputFiles: [] }));
      const errors = result.errors.map((e) => `${e.location?.file ?? '?'}: ${e.text}`);
      expect(errors, errors.join('\n')).to.deep.equal([]);
      expect(result.outputFiles).to.have.length(1);
      // The bundle really holds the packages (not an empty shell).
      const code = result.outputFiles[0]!.text;
      for (const marker of ['ENGRAM_ERR_', 'definePlugin']) expect(code).to.contain(marker);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  for (const name of present) {
    if (mainOnly.has(name)) continue;
    it(`@engram/${name}/node's default export is a plugin of the same name contributing at least what @engram/${name}'s does`, async function () {
      if (!resolves(`@engram/${name}/node`)) expect.fail(`@engram/${name}/node does not resolve (package.json "exports" or the build)`);
      const main = (await import(`@engram/${name}`)) as { default: EngramPlugin };
      const node = (await import(`@engram/${name}/node`)) as { default: EngramPlugin };
      expect(node.default, 'default export').to.be.an('object');
      expect(node.default.name).to.equal(main.default.name);
      expect(node.default.version).to.equal(main.default.version);
      const browser = await createEngram({ plugins: [dataPlugin, main.default] });
      const full = await createEngram({ plugins: [dataPlugin, node.default] });
      for (const kind of ['lagrangian', 'synapse', 'model', 'dataset', 'command'] as const) {
        expect(full.ids(kind), `${kind} ids`).to.include.members(browser.ids(kind));
      }
      // ./node adds data sets read from disk and commands, never a model, synapse or Lagrangian kind:
      // a model file saved in Node loads in the browser.
      for (const kind of ['lagrangian', 'synapse', 'model'] as const) expect(full.ids(kind), `${kind} ids`).to.deep.equal(browser.ids(kind));
      // The browser plugin registers no command: commands run in the CLI, on Node.
      expect(browser.commands().filter((c) => c.plugin === main.default.name)).to.deep.equal([]);
    });
  }
});
