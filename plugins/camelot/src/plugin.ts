/** The 'camelot' plugin: the small GPT ('camelot/gpt') and the `camelot` and `camelot-train` commands. */
import { definePlugin } from '@engram/core';
import { camelotCommandOptions, runCamelotCommand } from './commands/camelot-command.js';
import { runTrainCommand, trainCommandOptions } from './commands/train-command.js';
import { gptConfigSchema } from './models/gpt-config.js';
import { Gpt } from './models/gpt.js';

/** The plugin object (default export of @engram/camelot). */
export const camelotPlugin = definePlugin({
  name: 'camelot',
  version: '0.1.0',
  engram: '^0.1.0',
  description: 'CAMELoT: a training-free consolidated associative memory giving a frozen attention LM long context (He et al., arXiv 2402.13449)',
  register(ctx) {
    ctx.model('gpt', {
      schema: gptConfigSchema,
      example: { contextLength: 16, size: 16, heads: 2, blocks: 2, hiddenSize: 32 },
      create: (config) => new Gpt(config),
      description: 'a small decoder-only character GPT (causal attention, rotary or learned positions); run() generates greedily',
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
  },
});

export default camelotPlugin;
