/**
 * The 'sdm' plugin for Node: everything the browser plugin registers, plus the
 * `split-fmnist` experiment command (it reads Fashion-MNIST from disk and
 * writes files). The CLI loads this one (`@engram/sdm/node`).
 */
import { definePlugin, type PluginContext } from '@engram/core';
import { sdmPlugin as browserPlugin } from '../plugin.js';
import { splitCommand } from './commands/split-fmnist.js';

/** Registers the Node-only parts: the `split-fmnist` command. */
function registerNodeParts(ctx: PluginContext): void {
  ctx.command('split-fmnist', splitCommand);
}

/** The Node plugin (named and default export of @engram/sdm/node): same name, plus the command. */
export const sdmPlugin = definePlugin({
  ...browserPlugin,
  async register(ctx) {
    await browserPlugin.register(ctx);
    registerNodeParts(ctx);
  },
});

export default sdmPlugin;
