/**
 * The config of an Energy Transformer block, with the defaults of Hoover et
 * al. (NeurIPS 2023) and their released code. The image and graph models nest
 * a block config (without `tokens`, which they derive) with their own defaults.
 */
import { separationSchema, z, type SeparationConfig } from '@engram/core';
import { DEFAULT_HOPFIELD_SEPARATION } from '../synapses/schemas.js';

/** Defaults that differ between the block and the models that nest one. */
export interface BlockDefaults {
  heads: number;
  headSize?: number;
  memories?: number;
  excludeDiagonal: boolean;
  attentionStd: number;
  hopfieldStd: number;
}

/** The block's own defaults. */
export const BLOCK_DEFAULTS: BlockDefaults = { heads: 4, excludeDiagonal: false, attentionStd: 0.002, hopfieldStd: 0.02 };

/** The token size D (at least 2: a layer norm of one entry is constant). */
export const tokenSize = z.number().int().min(2).describe('token size D');

/** The keys of a block config other than `tokens` and `size`, with the given defaults. */
export function blockFields(d: BlockDefaults) {
  const optionalInt = (def: number | undefined, text: string) =>
    def === undefined ? z.number().int().positive().optional().describe(text) : z.number().int().positive().default(def).describe(text);
  return {
    heads: z.number().int().positive().default(d.heads).describe('attention heads H'),
    headSize: optionalInt(d.headSize, 'key/query size per head Y (default max(1, floor(size / heads)))'),
    beta: z.number().positive().optional().describe('inverse temperature of the attention (default 1 / sqrt(headSize))'),
    memories: optionalInt(d.memories, 'Hopfield stored patterns (hidden units) M (default 4 size)'),
    separation: separationSchema
      .default({ ...DEFAULT_HOPFIELD_SEPARATION })
      .describe("Hopfield separation: { kind: 'rectified-power', n: 2 } is the paper's ReLU form, { kind: 'lse', beta } its softmax form"),
    excludeDiagonal: z.boolean().default(d.excludeDiagonal).describe('leave each token out of its own attention sum (as in the paper)'),
    maxSteps: z.number().int().min(0).default(12).describe('descent steps T of a run (and of the unrolled descent in training)'),
    dt: z.number().positive().default(0.1).describe('step size of x <- x - dt dE/dg'),
    eps: z.number().positive().default(1e-5).describe('layer-norm epsilon'),
    attentionStd: z.number().positive().default(d.attentionStd).describe('std of the normal init of the key and query weights'),
    hopfieldStd: z.number().positive().default(d.hopfieldStd).describe('std of the normal init of the Hopfield patterns'),
    leak: z
      .boolean()
      .default(false)
      .describe("core's HAMUX descent with the layer's Legendre pull -x (true), or the ET update without it (false, the paper)"),
    seed: z.number().int().default(0).describe('seed of the weight initialisation'),
  };
}

/** energy-transformer/block: one ET block on tokens [tokens, size]. */
export const blockSchema = z.strictObject({
  tokens: z.number().int().positive().describe('number of tokens N'),
  size: tokenSize,
  ...blockFields(BLOCK_DEFAULTS),
});

/** A block config as written. */
export type BlockOptions = z.input<typeof blockSchema>;

/** A block config with every default resolved: what `getConfig()` returns. */
export type BlockConfig = {
  readonly tokens: number;
  readonly size: number;
  readonly heads: number;
  readonly headSize: number;
  readonly beta: number;
  readonly memories: number;
  readonly separation: SeparationConfig;
  readonly excludeDiagonal: boolean;
  readonly maxSteps: number;
  readonly dt: number;
  readonly eps: number;
  readonly attentionStd: number;
  readonly hopfieldStd: number;
  readonly leak: boolean;
  readonly seed: number;
};

/** Fills the dependent defaults (headSize, beta, memories) of a parsed block config. */
export function resolveBlockConfig(c: z.output<typeof blockSchema>): BlockConfig {
  const headSize = c.headSize ?? Math.max(1, Math.floor(c.size / c.heads));
  return {
    tokens: c.tokens,
    size: c.size,
    heads: c.heads,
    headSize,
    beta: c.beta ?? 1 / Math.sqrt(headSize),
    memories: c.memories ?? 4 * c.size,
    separation: { ...c.separation },
    excludeDiagonal: c.excludeDiagonal,
    maxSteps: c.maxSteps,
    dt: c.dt,
    eps: c.eps,
    attentionStd: c.attentionStd,
    hopfieldStd: c.hopfieldStd,
    leak: c.leak,
    seed: c.seed,
  };
}
