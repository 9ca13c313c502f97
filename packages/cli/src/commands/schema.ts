/** `engram schema <id>`: the JSON Schema of a kind's config (model, synapse, Lagrangian or data set). */
import { EngramError, ErrorCodes, z } from '@engram/core';
import { defineCliCommand } from './types.js';

/** The `schema` subcommand. */
export const schemaCommand = defineCliCommand({
  name: 'schema',
  description: "print the JSON Schema of a kind's config (what a spec's 'config' may hold)",
  options: z.strictObject({
    point: z.enum(['model', 'synapse', 'lagrangian', 'dataset']).optional().describe('which registry (default: the first that has the id)'),
    example: z.boolean().default(false).describe("print the model kind's example config instead"),
  }),
  positionals: [{ name: 'id', description: "a registered id, e.g. 'hopfield/modern' or 'core/dense'" }],
  async run({ options, positionals }, io, ctx) {
    const engram = await ctx.engram();
    const id = positionals[0]!;
    const points = options.point ? [options.point] : (['model', 'synapse', 'lagrangian', 'dataset'] as const);
    const point = points.find((p) => engram.find(p, id));
    if (!point) {
      engram.get(points[0]!, id); // throws UNKNOWN_KIND with the known ids
      throw new EngramError(ErrorCodes.UNKNOWN_KIND, `unknown id '${id}'`, { id });
    }
    if (options.example) {
      if (point !== 'model') throw new EngramError(ErrorCodes.INVALID_ARGUMENT, `--example is for model kinds; '${id}' is a ${point}`, { id });
      io.stdout(`${JSON.stringify(engram.get('model', id).example, null, 2)}\n`);
      return 0;
    }
    io.stdout(`${JSON.stringify(engram.configSchema(point, id), null, 2)}\n`);
    return 0;
  },
});
