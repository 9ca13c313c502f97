/** The config schema of the small GPT ('camelot/gpt') and the Brown character vocabulary. */
import { z } from '@engram/core';

/**
 * The 85 characters of the detokenised Brown corpus, most frequent first
 * (computed once with `vocabularyOf` over all 500 documents; fixed here so
 * that building a model never needs the corpus).
 */
export const BROWN_VOCABULARY = ' etaoinsrhldcumfpgwyb,.vk"T-\nIA\'SxHCMBW;1Pqj?0zFDNRGOLEJ2)(59:3UY!K4687V$Q/*&%ZX{}[]+';

/** The schema of a GPT's config. */
export const gptConfigSchema = z
  .strictObject({
    vocabulary: z.string().min(2).default(BROWN_VOCABULARY).describe('the characters of the tokenizer, token i = i-th character'),
    subwordRanks: z
      .number()
      .int()
      .min(0)
      .max(50256)
      .default(0)
      .describe("0: one token per character; otherwise GPT-2's byte-pair merges of rank below this (at least 256) made of the vocabulary's characters are tokens too (2048 on Brown: 1,857 tokens, ~3 characters each)"),
    contextLength: z.number().int().min(2).max(4096).default(128).describe('the attention window in tokens'),
    size: z.number().int().min(2).default(128).describe('width of the residual stream (d_model)'),
    heads: z.number().int().min(1).default(4).describe('attention heads per block'),
    blocks: z.number().int().min(1).default(4).describe('transformer blocks (attention layers)'),
    hiddenSize: z.number().int().min(1).default(512).describe('hidden units of each block MLP'),
    positions: z.enum(['rotary', 'learned']).default('rotary').describe('rotary position embedding of queries and keys, or a learned embedding added to the input'),
    smearKeys: z
      .boolean()
      .default(false)
      .describe("smeared keys (Olsson et al. 2022, 'In-context Learning and Induction Heads'): each head's key is a learned mix of its token's key and the previous token's, so one layer can match by content and copy (an induction head)"),
    seed: z.number().int().default(0).describe('seed of the initial weights'),
  })
  .superRefine((c, ctx) => {
    if (c.size % c.heads !== 0) ctx.addIssue({ code: 'custom', path: ['heads'], message: `heads must divide size (${c.size})` });
    else if (c.positions === 'rotary' && (c.size / c.heads) % 2 !== 0) ctx.addIssue({ code: 'custom', path: ['heads'], message: 'rotary positions need an even head size (size / heads)' });
    if (c.subwordRanks !== 0 && c.subwordRanks < 256) ctx.addIssue({ code: 'custom', path: ['subwordRanks'], message: "0 (characters) or at least 256 (GPT-2's first merge)" });
    if (new Set(c.vocabulary).size !== [...c.vocabulary].length) ctx.addIssue({ code: 'custom', path: ['vocabulary'], message: 'characters must be distinct' });
  });

/** A GPT's parsed config. */
export type GptConfig = z.output<typeof gptConfigSchema>;
/** A GPT's config as written (defaults may be left out). */
export type GptConfigInput = z.input<typeof gptConfigSchema>;
