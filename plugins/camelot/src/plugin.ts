/**
 * The 'camelot' plugin for any platform: the small GPT ('camelot/gpt').
 * `@engram/camelot/node` exports the same-named plugin that also registers the
 * Brown corpus as the data set 'camelot/brown' (read from disk; the GPT's
 * training face reads it by id) and the `camelot` and `camelot-train` commands.
 */
import { definePlugin, z } from '@engram/core';
import { textDataset } from './internal/brown-dataset.js';
import { copyStringDocuments } from './internal/copy-strings.js';
import { BROWN_VOCABULARY, gptConfigSchema } from './models/gpt-config.js';
import { Gpt } from './models/gpt.js';

/** Options of the 'camelot/copy-strings' data set. */
const copyStringsSchema = z.strictObject({
  documents: z.number().int().min(1).default(100).describe('documents (every 10th is held out, as for Brown)'),
  length: z.number().int().min(1).default(3000).describe('characters per document, at least'),
  minLength: z.number().int().min(1).default(4).describe('shortest piece'),
  maxLength: z.number().int().min(1).default(16).describe('longest piece'),
  copyShare: z.number().min(0).max(1).default(0.5).describe('share of pieces that copy earlier text'),
  reach: z.number().int().min(1).default(96).describe('how far back a copied piece may start'),
  seed: z.number().int().default(0),
})
  .refine((o) => o.maxLength >= o.minLength, { message: 'maxLength must be >= minLength', path: ['maxLength'] })
  .refine((o) => o.reach >= o.maxLength, { message: 'reach must be >= maxLength', path: ['reach'] });

/** The plugin object for browsers and Node (default export of @engram/camelot). */
export const camelotPlugin = definePlugin({
  name: 'camelot',
  version: '0.1.0',
  engram: '^0.1.0',
  description: 'CAMELoT: a training-free consolidated associative memory giving a frozen attention LM long context (He et al., arXiv 2402.13449)',
  register(ctx) {
    ctx.model('gpt', {
      schema: gptConfigSchema,
      example: { subwordRanks: 512, contextLength: 16, size: 16, heads: 2, blocks: 2, hiddenSize: 32, smearKeys: true },
      create: (config) => new Gpt(config),
      description: 'a small decoder-only GPT on characters or subword tokens (causal attention, rotary or learned positions); run() generates greedily',
    });
    ctx.dataset('copy-strings', {
      schema: copyStringsSchema,
      load: async (o: z.output<typeof copyStringsSchema>) => textDataset(copyStringDocuments({ alphabet: BROWN_VOCABULARY, ...o })),
      description: 'synthetic warm-up text: seeded random strings of the Brown characters (no separators) and copies of earlier pieces at random distances, teaching the GPT to copy by content',
    });
  },
});

export default camelotPlugin;
