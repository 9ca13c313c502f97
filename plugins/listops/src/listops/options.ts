/**
 * The settings of the ListOps generator as a zod schema (used by the model's
 * config, the study command and `listOpsSplits`), and the presets: the
 * original ListOps of Nangia & Bowman (2018), its Long Range Arena variant,
 * and the small-scale setting of this plugin's study.
 */
import { errors, z } from '@engram/core';
import { LISTOPS_OPERATORS } from './operators.js';
import { maxChainOfThoughtCount, maxTokenCount } from './tree.js';

/** Longest expression (in tokens) a model's positional table is built for. */
export const MAX_SEQUENCE_TOKENS = 4096;

/** Schema of the generator settings. */
export const generatorSchema = z.strictObject({
  ops: z
    .array(z.enum(LISTOPS_OPERATORS))
    .min(1)
    .default(['MIN', 'MAX', 'MED', 'SUM'])
    .describe('operators of the task mix'),
  mixing: z
    .enum(['node', 'expression'])
    .default('node')
    .describe("'node': every operator node draws its operator from ops (original ListOps); 'expression': one operator per expression"),
  maxDepth: z.number().int().min(1).max(32).default(2).describe('most levels of operator nesting (1 = flat lists)'),
  minArgs: z.number().int().min(1).default(2).describe('fewest arguments of an operator'),
  maxArgs: z.number().int().min(1).max(16).default(4).describe('most arguments of an operator'),
  branchP: z.number().min(0).max(1).default(0.25).describe('probability that an argument above the depth limit is a sub-expression'),
  digits: z.number().int().min(2).max(10).default(10).describe('leaves are the digits 0..digits-1'),
  modulus: z.number().int().min(2).max(64).default(10).describe('SUM, NADD and PROD are taken modulo this'),
  minTokens: z.number().int().min(0).default(0).describe('redraw expressions shorter than this'),
  maxTokens: z.number().int().min(3).optional().describe('redraw expressions longer than this (default: the longest possible)'),
  chainOfThought: z
    .enum(['running', 'lists'])
    .default('running')
    .describe("the examples' chain of thought: 'running' the running value after every argument, 'lists' each list's value once, after its ']'"),
});

/** Generator settings as given (defaults optional). */
export type GeneratorOptionsInput = z.input<typeof generatorSchema>;
/** Generator settings with defaults filled in. */
export type GeneratorOptions = z.output<typeof generatorSchema>;

/** The longest expression the settings allow, in tokens; throws a coded error when unbounded in practice. */
export function expressionTokenLimit(o: GeneratorOptions): number {
  const bound = maxTokenCount(o.maxDepth, o.maxArgs);
  const limit = o.maxTokens === undefined ? bound : Math.min(bound, o.maxTokens);
  if (limit > MAX_SEQUENCE_TOKENS) {
    throw errors.invalidArgument(
      'the longest ListOps expression',
      `at most ${MAX_SEQUENCE_TOKENS} tokens (set maxTokens, or lower maxDepth / maxArgs)`,
      limit,
    );
  }
  return limit;
}

/** The longest chain-of-thought form of an expression the settings allow, in tokens. */
export function chainOfThoughtTokenLimit(o: GeneratorOptions): number {
  return Math.min(maxChainOfThoughtCount(o.maxDepth, o.maxArgs), 2 * expressionTokenLimit(o) - 1);
}

/** Number of value classes: results range over 0..classes-1 (max of digits and modulus). */
export function valueClasses(o: GeneratorOptions): number {
  return Math.max(o.digits, o.modulus);
}

/** Checks relations between keys that the schema alone cannot (coded errors that say what to change). */
export function checkGeneratorOptions(o: GeneratorOptions): void {
  if (o.minArgs > o.maxArgs) throw errors.invalidArgument('generator minArgs', `at most maxArgs (${o.maxArgs})`, o.minArgs);
  if (new Set(o.ops).size !== o.ops.length) throw errors.invalidArgument('generator ops', 'a list without repeats', o.ops);
  const limit = expressionTokenLimit(o);
  const shortest = o.minArgs + 2;
  if (limit < shortest) throw errors.invalidArgument('generator maxTokens', `at least ${shortest} (the shortest expression with minArgs ${o.minArgs})`, o.maxTokens);
  if (o.minTokens > limit) throw errors.invalidArgument('generator minTokens', `at most the longest expression (${limit} tokens)`, o.minTokens);
}

/** Named generator settings. */
export const GENERATOR_PRESETS = {
  /**
   * Nangia & Bowman (2018), the original ListOps: MIN, MAX, MED, SM over
   * digits 0-9, sum modulo 10, up to 5 arguments, depth up to 20, an argument
   * is a sub-list with probability 0.25. Their generator has no length cap;
   * positional tables need one, so expressions above 512 tokens are redrawn.
   */
  nangia2018: { ops: ['MIN', 'MAX', 'MED', 'SUM'], mixing: 'node', maxDepth: 20, minArgs: 2, maxArgs: 5, branchP: 0.25, digits: 10, modulus: 10, maxTokens: 512 },
  /** Long Range Arena ListOps (Tay et al. 2021): up to 10 arguments, depth 10, 500 to 2000 tokens. */
  lra: { ops: ['MIN', 'MAX', 'MED', 'SUM'], mixing: 'node', maxDepth: 10, minArgs: 2, maxArgs: 10, branchP: 0.25, digits: 10, modulus: 10, minTokens: 500, maxTokens: 2000 },
  /** This plugin's study: shallow expressions (depth <= 2, 2-3 arguments) so that 1-2-layer models of width 4-64 can learn them. */
  small: { ops: ['MIN', 'MAX', 'MED', 'SUM'], mixing: 'node', maxDepth: 2, minArgs: 2, maxArgs: 3, branchP: 0.25, digits: 10, modulus: 10 },
} as const satisfies Record<string, GeneratorOptionsInput>;

/** Name of a generator preset. */
export type GeneratorPreset = keyof typeof GENERATOR_PRESETS;

/** Parsed settings of a preset, with `overrides` on top (e.g. another operator mix). */
export function generatorPreset(name: GeneratorPreset, overrides: GeneratorOptionsInput = {}): GeneratorOptions {
  return generatorSchema.parse({ ...GENERATOR_PRESETS[name], ...overrides });
}
