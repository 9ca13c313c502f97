/**
 * The 'camelot' plugin for any platform: the small GPT ('camelot/gpt').
 * `@engram/camelot/node` exports the same-named plugin that also registers the
 * Brown corpus as the data set 'camelot/brown' (read from disk; the GPT's
 * training face reads it by id) and the `camelot` and `camelot-train` commands.
 */
import { definePlugin } from '@engram/core';
import { gptConfigSchema } from './models/gpt-config.js';
import { Gpt } from './models/gpt.js';

/** The plugin object for browsers and Node (default export of @engram/camelot). */
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
  },
});

export default camelotPlugin;
