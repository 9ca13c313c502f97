/** `engram create <kind>`: a model of any registered kind from a config (default: the kind's example), saved as a spec. */
import { resolve } from 'node:path';
import { EngramError, ErrorCodes, z } from '@engram/core';
import { saveModel } from '@engram/core/node';
import { readSetPairs } from '../set-pairs.js';
import { defineCliCommand } from './types.js';

/** The `create` subcommand. */
export const createCommand = defineCliCommand({
  name: 'create',
  description: "create a model of a registered kind from a config (default the kind's example) and save it",
  options: z.strictObject({
    config: z.string().optional().describe("the config as JSON (default: the kind's example; see engram schema <kind>)"),
    set: z.array(z.string()).default([]).describe('config key=value, over the config (repeatable)'),
    out: z.string().optional().describe('where to save (default engram-out/<kind>.json)'),
  }),
  positionals: [{ name: 'kind', description: "a model id, e.g. 'hopfield/modern' (engram plugins lists them)" }],
  async run({ options, positionals }, io, ctx) {
    const engram = await ctx.engram();
    const kind = positionals[0]!;
    const contribution = engram.get('model', kind);
    let base: Record<string, unknown> = { ...contribution.example };
    if (options.config !== undefined) {
      try {
        base = JSON.parse(options.config) as Record<string, unknown>;
      } catch (err) {
        throw new EngramError(ErrorCodes.INVALID_CONFIG, `--config is not valid JSON (${(err as Error).message})`, { owner: kind });
      }
    }
    const config = { ...base, ...readSetPairs('create', options.set, contribution.schema) };
    const model = await engram.createModel(kind, config);
    try {
      const out = resolve(io.cwd, options.out ?? `engram-out/${kind.replace('/', '-')}.json`);
      const saved = await saveModel(model, out, { engram });
      io.stdout(`created ${kind}; saved ${saved.spec} and ${saved.weights}\n`);
      return 0;
    } finally {
      model.dispose();
    }
  },
});
