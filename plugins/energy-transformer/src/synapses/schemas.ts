/**
 * Config schemas of the plugin's synapse kinds (the JSON half; initial weight
 * tensors are factory options). Vocabulary: `size` is the token size D,
 * `heads` H, `headSize` Y, `memories` M, `beta` an inverse temperature.
 */
import { separationSchema, z } from '@engram/core';

const seed = z.number().int().default(0).describe('seed of the random initialisation');

/** energy-transformer/attention: the ET energy attention on a token layer [tokens, size]. */
export const attentionSynapseSchema = z.strictObject({
  size: z.number().int().positive().describe('token size D (the last axis of the connected layer [tokens, size])'),
  heads: z.number().int().positive().default(4).describe('attention heads H'),
  headSize: z.number().int().positive().optional().describe('key/query size per head Y (default max(1, floor(size / heads)))'),
  beta: z.number().positive().optional().describe('inverse temperature of the attention (default 1 / sqrt(headSize))'),
  excludeDiagonal: z.boolean().default(false).describe('leave each token out of its own attention sum (as in the paper); false keeps it (as in the released code)'),
  std: z.number().positive().default(0.002).describe('std of the normal init of the key and query weights'),
  seed,
});

/** The default Hopfield separation: the paper's ReLU form, E = -1/2 sum ReLU(xi . g)^2. */
export const DEFAULT_HOPFIELD_SEPARATION = { kind: 'rectified-power', n: 2, beta: 1 } as const;

/** energy-transformer/hopfield: the ET Hopfield module per token on a token layer [tokens, size]. */
export const hopfieldSynapseSchema = z.strictObject({
  size: z.number().int().positive().describe('token size D'),
  memories: z.number().int().positive().optional().describe('stored patterns (hidden units) M (default 4 size)'),
  separation: separationSchema
    .default({ ...DEFAULT_HOPFIELD_SEPARATION })
    .describe("core's separation function: { kind: 'rectified-power', n: 2 } is the paper's ReLU form, { kind: 'lse', beta } its softmax form"),
  std: z.number().positive().default(0.02).describe('std of the normal init of the patterns'),
  seed,
});
