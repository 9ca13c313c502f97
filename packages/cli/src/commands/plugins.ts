/** `engram plugins`: the loaded plugins, their versions and contributions. */
import type { ContributionPoint } from '@engram/core';
import { parseCommandArgs } from '../args.js';
import type { CliCommand } from './types.js';

const USAGE = `Usage: engram plugins [--json]

Lists the plugins engram loaded (the core's own parts appear as plugin 'core'),
their versions, the core range each supports, and what each contributes: models,
Lagrangians, synapses, data sets and commands, by id.

Options:
  --json       one JSON document instead of text
  -h, --help   this text
`;

const POINTS: readonly ContributionPoint[] = ['model', 'lagrangian', 'synapse', 'dataset', 'command'];

/** The `plugins` subcommand. */
export const pluginsCommand: CliCommand = {
  name: 'plugins',
  description: 'list installed plugins, their versions and what each contributes',
  usage: USAGE,
  async run(args, io, ctx) {
    const p = parseCommandArgs('plugins', args, { json: { type: 'boolean' } }, false);
    if (p.values['help']) {
      io.stdout(USAGE);
      return 0;
    }
    const engram = await ctx.engram();
    const infos = engram.plugins();
    if (p.values['json']) {
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
};
