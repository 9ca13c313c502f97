/**
 * The 'listops' plugin for Node: everything the browser plugin registers, plus
 * the `listops` study command (it writes its results and report to disk). The
 * CLI loads this one (`@engram/listops/node`).
 */
import { definePlugin } from '@engram/core';
import { listOpsPlugin as browserPlugin } from '../plugin.js';
import { listOpsCommand } from './commands/listops-command.js';

/** The Node plugin (named and default export of @engram/listops/node): same name, plus the command. */
export const listOpsPlugin = definePlugin({
  ...browserPlugin,
  async register(ctx) {
    await browserPlugin.register(ctx);
    ctx.command('listops', listOpsCommand);
  },
});

export default listOpsPlugin;
