/** `engram plugins`: the loaded plugins, their versions and contributions. */
import { z, type ContributionPoint } from '@engram/core';
import { defineCliCommand } from './types.js';

const POINTS: readonly ContributionPoint[] = ['model', 'lagrangian', 'synapse', 'dataset', 'command'];

/** The `plugins` subcommand. */
export const pluginsCommand = defineCliCommand({
  name: 'plugins',
  description: 'list installed plugins, their versions and what each contributes',
  options: z.strictObject({ json: z.boolean().default(false).describe('one JSON document instead of text') }),
  positionals: [],
  details: "The core's own parts appear as plugin 'core'. `engram schema <id>` prints the config schema of a kind.",
  async run({ options }, io, ctx) {
    const engram = await ctx.engram();
    const infos = engram.plugins();
    if (options.json) {
      io.stdout(`${JSON.stringify(infos, null, 2)}\n`);
      return 0;
    }
    for (const info of infos) {
      io.stdout(`${info.name}@${info.version}  (core ${info.engram})${info.description ? `  ${info.description}` : ''}\n`);
      if (info.dependencies.length > 0) io.stdout(`  depends on: ${info.dependencies.join(', ')}\n`);
      for (const point of POINTS) {
        const ids = info.contributes[point] ?? [];
        if (ids.length === 0) continue;
        const label = point === 'command' ? 'commands' : `${point}s`;
        const shown = point === 'command' ? ids.map((id) => `engram ${id.slice(id.indexOf('/') + 1)}`) : ids;
        io.stdout(`  ${label.padEnd(12)} ${shown.join(', ')}\n`);
      }
    }
    io.stdout(`${infos.length} plugin(s) loaded\n`);
    return 0;
  },
});
