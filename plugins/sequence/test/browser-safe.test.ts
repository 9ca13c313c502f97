import { expect } from 'chai';
import { join } from 'node:path';
import { build } from 'esbuild';
import { createEngram } from '@engram/core';
import browserPlugin from '../src/index.js';
import nodePlugin from '../src/node/index.js';

/**
 * The main entry bundles for browsers (no Node built-in reachable from
 * src/index.ts, through any package), and the `./node` entry's plugin has the
 * same name and contributes everything the browser plugin does, plus the capacity command.
 */
describe('@engram/sequence entries', () => {
  it('the main entry bundles with esbuild for the browser with no error', async function () {
    this.timeout(120000);
    const result = await build({
      entryPoints: [join(import.meta.dirname, '..', 'src', 'index.ts')],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      conditions: ['engram-source'],
      write: false,
      logLevel: 'silent',
    }).catch((err: { errors?: { text: string }[] }) => ({ errors: err.errors ?? [{ text: String(err) }] }));
    expect(result.errors.map((e) => e.text)).to.deep.equal([]);
  });

  it('the node plugin has the same name and is the browser plugin plus the capacity command', async () => {
    expect(nodePlugin.name).to.equal(browserPlugin.name);
    const browser = await createEngram({ plugins: [browserPlugin] });
    const node = await createEngram({ plugins: [nodePlugin] });
    for (const kind of ['model', 'synapse', 'lagrangian', 'dataset', 'command'] as const) expect(node.ids(kind)).to.include.members(browser.ids(kind));
    expect(node.ids('model').filter((id) => !browser.ids('model').includes(id))).to.deep.equal([]);
    expect(node.ids('synapse').filter((id) => !browser.ids('synapse').includes(id))).to.deep.equal([]);
    expect(node.ids('lagrangian').filter((id) => !browser.ids('lagrangian').includes(id))).to.deep.equal([]);
    expect(node.ids('dataset').filter((id) => !browser.ids('dataset').includes(id))).to.deep.equal([]);
    expect(node.ids('command').filter((id) => !browser.ids('command').includes(id))).to.deep.equal(['sequence/capacity']);
    expect(browser.ids('command')).to.deep.equal([]);
  });
});
