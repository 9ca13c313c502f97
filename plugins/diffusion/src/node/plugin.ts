/**
 * The 'diffusion' plugin for Node: everything the browser plugin registers,
 * plus the commands diffusion-sweep and diffusion-manifold (they read
 * Fashion-MNIST from disk and write files). The CLI loads this one
 * (`@engram/diffusion/node`).
 */
import { definePlugin, type PluginContext } from '@engram/core';
import { diffusionPlugin as browserPlugin } from '../plugin.js';
import { manifoldCommand } from './commands/manifold.js';
import { sweepCommand } from './commands/sweep.js';

/** Registers the Node-only parts: the two experiment commands. */
function registerNodeParts(ctx: PluginContext): void {
  ctx.command('diffusion-sweep', sweepCommand);
  ctx.command('diffusion-manifold', manifoldCommand);
}

/** The Node plugin (named and default export of @engram/diffusion/node): same name, plus the commands. */
export const diffusionPlugin = definePlugin({
  ...browserPlugin,
  async register(ctx) {
    await browserPlugin.register(ctx);
    registerNodeParts(ctx);
  },
});

export default diffusionPlugin;
