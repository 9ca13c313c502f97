/**
 * The Energy Transformer plugin for Node: everything the browser plugin
 * registers, plus the commands `et-train` (the image experiment: checkpoints
 * and PNGs on disk) and `et-graph` (writes its results). The CLI loads this
 * one (`@engram/energy-transformer/node`).
 */
import { definePlugin, type EngramPlugin, type PluginContext } from '@engram/core';
import { energyTransformerPlugin as browserPlugin } from '../plugin.js';
import { etGraphCommand } from './commands/et-graph.js';
import { etTrainCommand } from './commands/et-train.js';

/** Registers the Node-only parts: the two experiment commands. */
function registerNodeParts(ctx: PluginContext): void {
  ctx.command('et-train', etTrainCommand);
  ctx.command('et-graph', etGraphCommand);
}

/** The Node plugin (named and default export of @engram/energy-transformer/node): same name, plus the commands. */
export const energyTransformerPlugin: EngramPlugin = definePlugin({
  ...browserPlugin,
  async register(ctx) {
    await browserPlugin.register(ctx);
    registerNodeParts(ctx);
  },
});

export default energyTransformerPlugin;
