/**
 * Config schemas of the built-in Lagrangians: the one place their parameters,
 * defaults and ranges are defined. The factories parse their options with these,
 * the registry validates JSON params with them, and `toJsonSchema` turns them
 * into the JSON Schema of a spec's `lagrangian.params`.
 */
import { z } from 'zod';

const beta = z.number().positive().default(1).describe('inverse temperature beta > 0');

/** No parameters (identity, relu). */
export const noParamsSchema = z.strictObject({});
/** Lagrangians with an inverse temperature (exp, tanh, sigmoid). */
export const betaSchema = z.strictObject({ beta });
/** repu: degree n. */
export const repuSchema = z.strictObject({ n: z.number().int().min(2).default(2).describe('degree n >= 2 (2 is relu)') });
/** softmax: beta and the axis over the layer's own shape. */
export const softmaxSchema = z.strictObject({
  beta,
  axis: z.number().int().default(-1).describe('axis of the softmax over the layer shape (negative counts from the end)'),
});
/** layernorm: scale, shift, epsilon, optional size, trainable switch. */
export const layernormSchema = z.strictObject({
  gamma: z.number().positive().default(1).describe('scale gamma > 0'),
  delta: z.union([z.number(), z.array(z.number()).min(1)]).default(0).describe('shift: a number or one value per entry of the last axis'),
  eps: z.number().positive().default(1e-5).describe('added to the variance'),
  size: z.number().int().positive().optional().describe('expand a scalar delta to this many entries (the last axis)'),
  trainable: z.boolean().default(false).describe('make gamma and delta trainable variables'),
});
/** spherical: radius and smoothing. */
export const sphericalSchema = z.strictObject({
  gamma: z.number().positive().default(1).describe('radius gamma > 0'),
  eps: z.number().positive().default(1e-5).describe('smoothing added to ||x||^2'),
});

/** The schema of each built-in Lagrangian by local name. */
export const lagrangianSchemas = {
  identity: noParamsSchema,
  relu: noParamsSchema,
  repu: repuSchema,
  exp: betaSchema,
  tanh: betaSchema,
  sigmoid: betaSchema,
  softmax: softmaxSchema,
  layernorm: layernormSchema,
  spherical: sphericalSchema,
} as const;
