/**
 * The 'clam' plugin for Node: everything the browser plugin registers, plus
 * the shipped data sets ('clam/zoo', ..., read from the package's data/
 * folder) and the `engram clam` command. The CLI loads this one
 * (`@engram/clam/node`).
 */
import { definePlugin, type PluginContext } from '@engram/core';
import { clamPlugin as browserPlugin } from '../plugin.js';
import { clamCommand } from './commands/clam-command.js';
import { registerShippedDatasets } from './datasets/registry.js';

/** Registers the Node-only parts: the file-based data sets and the command. */
function registerNodeParts(ctx: PluginContext): void {
  registerShippedDatasets(ctx);
  ctx.command('clam', clamCommand);
}

/** The Node plugin (named and default export of @engram/clam/node): same name, plus the data files and the command. */
export const clamPlugin = definePlugin({
  ...browserPlugin,
  async register(ctx) {
    await browserPlugin.register(ctx);
    registerNodeParts(ctx);
  },
});

export default clamPlugin;
