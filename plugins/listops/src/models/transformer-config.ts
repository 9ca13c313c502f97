/**
 * The config of 'listops/transformer': a small GPT-style (pre-LayerNorm)
 * transformer classifier over ListOps tokens, sized by width, layers, heads
 * and feed-forward multiplier, for the expressions of one generator setting.
 */
import { errors, z } from '@engram/core';
import { chainOfThoughtTokenLimit, expressionTokenLimit, generatorSchema, valueClasses, type GeneratorOptions } from '../listops/options.js';
import { resolveGeneratorOptions } from '../listops/generate.js';
import { BASE_VOCAB, type SequenceLayout } from '../listops/tokenizer.js';

/** Schema of the transformer's config. */
export const transformerConfigSchema = z.strictObject({
  width: z.number().int().min(2).max(512).default(16).describe('model width d (embedding and residual size)'),
  layers: z.number().int().min(1).max(8).default(1).describe('transformer blocks'),
  heads: z.number().int().min(1).max(16).default(1).describe('attention heads (width must be a multiple)'),
  ffn: z.number().min(0).max(8).default(4).describe('feed-forward hidden size as a multiple of width; 0 for attention-only blocks'),
  format: z
    .enum(['cot', 'answer'])
    .default('cot')
    .describe("'cot': causal language model that writes the chain of thought (its style: the generator's chainOfThought), as the paper's nanoGPT; 'answer': classify the bare expression"),
  readout: z.enum(['last', 'cls']).default('last').describe("format 'answer' only: 'last' = causal attention, predict from the last token; 'cls' = bidirectional attention, predict from a CLS token in front"),
  initStd: z.number().positive().max(1).default(0.02).describe('standard deviation of the initial weights (nanoGPT: 0.02)'),
  seed: z.number().int().default(0).describe('seed of the initial weights'),
  generator: generatorSchema.default(generatorSchema.parse({})).describe('the ListOps expressions the model reads (fixes its positions and classes; default data of its training face)'),
});

/** The config as given. */
export type TransformerConfigInput = z.input<typeof transformerConfigSchema>;
/** The config with defaults filled in. */
export type TransformerConfig = z.output<typeof transformerConfigSchema>;

/** Sizes derived from a config. */
export interface TransformerShape {
  /** Token positions (the longest expression, plus one for CLS readout). */
  readonly seqLen: number;
  /** How sequences are laid out ('cot', 'answer' or 'cls'). */
  readonly layout: SequenceLayout;
  /** True when attention is causal (chain of thought, or last-token readout). */
  readonly causal: boolean;
  /** Vocabulary size (every operator of every task mix, plus one value token per class). */
  readonly vocab: number;
  /** Output classes: max(digits, modulus). */
  readonly classes: number;
  /** Feed-forward hidden size (0 without feed-forward). */
  readonly hidden: number;
  /** Width of one head. */
  readonly headWidth: number;
  readonly generator: GeneratorOptions;
}

/** Derived sizes; relations the schema cannot check (heads divide width, sound generator) are coded errors. */
export function transformerShape(config: TransformerConfig): TransformerShape {
  if (config.width % config.heads !== 0) throw errors.invalidArgument('transformer width', `a multiple of heads (${config.heads})`, config.width);
  const generator = resolveGeneratorOptions(config.generator);
  const hidden = Math.round(config.ffn * config.width);
  if (config.ffn > 0 && hidden < 1) throw errors.invalidArgument('transformer ffn', 'large enough for at least one hidden unit, or 0', config.ffn);
  const layout: SequenceLayout = config.format === 'cot' ? 'cot' : config.readout === 'cls' ? 'cls' : 'answer';
  const classes = valueClasses(generator);
  return {
    layout,
    causal: layout !== 'cls',
    seqLen: layout === 'cot' ? chainOfThoughtTokenLimit(generator) : expressionTokenLimit(generator) + (layout === 'cls' ? 1 : 0),
    vocab: BASE_VOCAB.length + classes,
    classes,
    hidden,
    headWidth: config.width / config.heads,
    generator,
  };
}
