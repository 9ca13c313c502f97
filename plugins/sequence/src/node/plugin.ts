/**
 * The 'sequence' plugin for Node: everything the browser plugin registers,
 * plus the `capacity` experiment command (it writes files). The CLI loads this
 * one (`@engram/sequence/node`).
 */
import { definePlugin, type PluginContext } from '@engram/core';
import { sequencePlugin as browserPlugin } from '../plugin.js';
import { capacityCommand, capacityDetails, capacityOptionsSchema } from './commands/capacity.js';

/** Registers the Node-only parts: the `capacity` command. */
function registerNodeParts(ctx: PluginContext): void {
  ctx.command('capacity', {
    description: 'Measure DenseNet sequence capacity against N (paper protocol) and plot it with the theory',
    options: capacityOptionsSchema,
    details: capacityDetails,
    run: (args, io) => capacityCommand(args, io),
  });
}

/** The Node plugin (named and default export of @engram/sequence/node): same name, plus the command. */
export const sequencePlugin = definePlugin({
  ...browserPlugin,
  async register(ctx) {
    await browserPlugin.register(ctx);
    registerNodeParts(ctx);
  },
});

export default sequencePlugin;
