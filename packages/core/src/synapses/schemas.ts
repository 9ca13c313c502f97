/**
 * Config schemas of the built-in synapses (the JSON half: tensors such as
 * initial weights are factory options, not config). Keys follow the project
 * vocabulary: `size` is a layer's (flattened) size, `memories` the number of
 * stored patterns, `patterns` the stored patterns tensor.
 */
import { z } from 'zod';

const seed = z.number().int().default(0).describe('seed of the random initialisation');

/** core/dense: E = -g1^T W g2. */
export const denseSynapseSchema = z.strictObject({
  inSize: z.number().int().positive().describe('size of the first connected layer (flattened)'),
  outSize: z.number().int().positive().describe('size of the second connected layer (flattened)'),
  std: z.number().positive().optional().describe('init std (default 1/sqrt(inSize))'),
  seed,
});

/** core/bias: E = -b . g. */
export const biasSynapseSchema = z.strictObject({
  size: z.number().int().positive().describe('size of the connected layer (flattened)'),
});

/** Separation functions of a memory synapse (see core's `separation`). */
export const memorySeparationSchema = z.enum(['lse', 'rectified-power', 'power', 'exp']);

/** core/memory: E = -(1/beta) lse(beta Xi g), or -sum F(Xi g) (see core's separation). */
export const memorySynapseSchema = z.strictObject({
  memories: z.number().int().positive().describe('number of stored patterns K'),
  size: z.number().int().positive().describe('size of the connected layer (flattened) D'),
  separation: memorySeparationSchema.default('lse').describe("'lse' (modern Hopfield), 'rectified-power', 'power' or 'exp' (dense associative memory)"),
  beta: z.number().positive().default(1).describe("inverse temperature of 'lse' and 'exp'"),
  n: z.number().positive().default(2).describe("power n of 'power' and 'rectified-power'"),
  shift: z.number().default(0).describe("evaluate F(h - shift): for 'exp' a positive factor exp(-beta shift) that keeps float32 finite for large overlaps (no effect on 'lse')"),
  trainable: z.boolean().default(true).describe('whether the stored patterns are trained'),
  seed,
});
