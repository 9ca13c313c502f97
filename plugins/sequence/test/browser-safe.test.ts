import { expect } from 'chai';
import { createEngram } from '@engram/core';
import browserPlugin from '../src/index.js';
import nodePlugin from '../src/node/index.js';

/**
 * The `./node` entry's plugin has the same name (that the main entry bundles
 * for browsers is test/browser-bundle.test.ts's check, for every plugin) and contributes everything the browser plugin does, plus the capacity command.
 */
describe('@engram/sequence entries', () => {
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
