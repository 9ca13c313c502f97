/**
 * The config of a memory attached to a frozen attention model: how it is
 * managed (CAMELoT consolidation, a FIFO recency cache, or every past token)
 * and how it is read. Every alternative the paper's text leaves open is a key
 * here, so the experiments can measure each choice.
 */
import { z } from '@engram/core';

/** The schema of a memory's config. */
export const memoryConfigSchema = z
  .strictObject({
    policy: z
      .enum(['camelot', 'fifo', 'unbounded'])
      .default('camelot')
      .describe("'camelot': consolidate close tokens into slots, replace the least recent slot with novel ones; 'fifo': the last `memories` tokens; 'unbounded': every past token"),
    memories: z.number().int().min(1).default(256).describe('slots per attention layer (M); ignored by the unbounded policy'),
    threshold: z.number().min(-1).max(1).default(0.8).describe('novelty threshold: a token whose key has cosine similarity >= threshold with its nearest slot merges into it, otherwise it is novel'),
    consolidate: z.enum(['mean', 'none']).default('mean').describe("'mean': merging updates the slot to the count-weighted running mean; 'none' (ablation): the slot keeps its first key/value, only count and age change"),
    evict: z.enum(['oldest', 'never']).default('oldest').describe("when full, a novel token replaces the slot least recently written ('oldest'), or ('never', ablation) merges into its nearest slot anyway"),
    retrieval: z.enum(['query', 'key']).default('query').describe("which slots a token reads: highest query . key (the attention score itself) or highest cosine between the token's key and the slot's key"),
    retrievalHeads: z.enum(['each', 'all']).default('each').describe("'each': every head picks its own slots; 'all': one pick per token for all heads (similarity summed over heads)"),
    topK: z.number().int().min(1).max(64).default(1).describe('slots retrieved per token (and per head with retrievalHeads each)'),
    read: z.enum(['shared', 'own']).default('shared').describe("'shared': a token's retrieved slots are visible to it and every later token of the window (the paper's concatenation, kept causal; duplicates shown once); 'own': only to the token that retrieved them"),
    scoreBias: z.number().min(-20).max(20).default(0).describe('added to every memory entry\'s scaled attention score (log-odds against the local keys); negative keeps attention local unless an entry matches clearly'),
    readLayers: z.array(z.number().int().min(0)).optional().describe('the attention layers that read the memory (default all; every layer is written either way)'),
    readHeads: z
      .array(z.tuple([z.number().int().min(0), z.number().int().min(0)]))
      .optional()
      .describe('the heads that see memory entries, as [layer, head] pairs (default every head of the reading layers)'),
    placement: z
      .union([z.enum(['window-start', 'query', 'age']), z.number().int().min(0)])
      .default('window-start')
      .describe("for rotary models: memory keys placed at position 0 of the window, at distance 0 from each query, where their slot was last written ('age': age + 1 tokens before the window), or (a number) that many tokens before each query"),
    maxDistance: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe("with placement 'age': an entry is hidden from queries more than this many tokens after it (e.g. the model's context length - 1, the farthest distance it was trained on); default none"),
    beyond: z
      .enum(['hidden', 'window-start'])
      .default('hidden')
      .describe("with maxDistance: what queries farther than maxDistance from an entry see of it — nothing, or the entry placed at the window start (as placement 'window-start' places every entry)"),
    beyondHeads: z
      .array(z.tuple([z.number().int().min(0), z.number().int().min(0)]))
      .optional()
      .describe("with beyond 'window-start': the [layer, head] pairs that see those far entries (default every head that reads)"),
    beyondBias: z.number().min(-20).max(20).default(0).describe("with beyond 'window-start': added to the scores of those far entries on top of scoreBias (negative: far context is read only where it matches clearly)"),
  })
  .refine((c) => c.maxDistance === undefined || c.placement === 'age', { message: "maxDistance needs placement 'age' (only there has an entry a distance)", path: ['maxDistance'] })
  .refine((c) => c.beyond === 'hidden' || c.maxDistance !== undefined, { message: "beyond 'window-start' needs maxDistance (the distance beyond which it applies)", path: ['beyond'] })
  .refine((c) => c.beyondBias === 0 || c.beyond === 'window-start', { message: "beyondBias needs beyond 'window-start' (the far entries it biases)", path: ['beyondBias'] })
  .refine((c) => c.beyondHeads === undefined || c.beyond === 'window-start', { message: "beyondHeads needs beyond 'window-start' (the far entries it gives to those heads)", path: ['beyondHeads'] });

/** A memory's parsed config. */
export type MemoryConfig = z.output<typeof memoryConfigSchema>;
/** A memory's config as written (defaults may be left out). */
export type MemoryConfigInput = z.input<typeof memoryConfigSchema>;
