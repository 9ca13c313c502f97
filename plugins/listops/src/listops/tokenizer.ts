/**
 * The ListOps tokenizer: one fixed vocabulary for every task mix (so that a
 * model's parameter count depends on its width and depth, never on which
 * operators it trains on): padding, CLS, ']', the digits, the operators, and
 * the chain-of-thought value tokens '=0'..'=(classes-1)'. Sequences are
 * right-padded; CLS goes in front for CLS readout.
 */
import { EngramError, ErrorCodes } from '@engram/core';
import { LISTOPS_OPERATORS, OPERATOR_TOKENS } from './operators.js';
import type { ListOpsExample } from './generate.js';
import { valueToken } from './tree.js';

/** The padding token's id (0). */
export const PAD_ID = 0;
/** The CLS token's id (1). */
export const CLS_ID = 1;

/** The tokens before the value tokens: padding, CLS, ']', the digits 0-9, one token per operator. */
export const BASE_VOCAB: readonly string[] = ['<pad>', '<cls>', ']', ...Array.from({ length: 10 }, (_, i) => String(i)), ...LISTOPS_OPERATORS.map((op) => OPERATOR_TOKENS[op])];

/** Most value classes a vocabulary supports (the generator's largest modulus). */
export const MAX_VALUE_CLASSES = 64;

/** The vocabulary of a model with `classes` values: the base tokens, then '=0'..'=(classes-1)'. */
export function listOpsVocab(classes: number): string[] {
  return [...BASE_VOCAB, ...Array.from({ length: classes }, (_, v) => valueToken(v))];
}

const ids = new Map(listOpsVocab(MAX_VALUE_CLASSES).map((t, i) => [t, i]));

/** The id of digit `d` (0-9). */
export function digitTokenId(d: number): number {
  return ids.get(String(d))!;
}

/** The id of value token '=v'. */
export function valueTokenId(v: number): number {
  return BASE_VOCAB.length + v;
}

/** True when `id` is a value token. */
export function isValueTokenId(id: number): boolean {
  return id >= BASE_VOCAB.length;
}

/** Ids of an expression's tokens (no padding, no CLS); unknown tokens are a coded error. */
export function encodeExpression(text: string): number[] {
  return text
    .trim()
    .split(/\s+/)
    .map((t) => {
      const id = ids.get(t);
      if (id === undefined) {
        throw new EngramError(ErrorCodes.INVALID_ARGUMENT, `unknown ListOps token '${t}' in '${text}': use digits 0-9, ']', value tokens '=v' and operators ${LISTOPS_OPERATORS.map((o) => OPERATOR_TOKENS[o]).join(' ')}`, { token: t });
      }
      return id;
    });
}

/** The expression of ids (padding and CLS dropped). */
export function decodeExpression(tokenIds: ArrayLike<number>): string {
  const vocab = listOpsVocab(MAX_VALUE_CLASSES);
  const out: string[] = [];
  for (let i = 0; i < tokenIds.length; i++) {
    const id = tokenIds[i]!;
    if (id === PAD_ID || id === CLS_ID) continue;
    const t = vocab[id];
    if (t === undefined) throw new EngramError(ErrorCodes.INVALID_ARGUMENT, `token id ${id} is outside the ListOps vocabulary (0..${vocab.length - 1})`, { id });
    out.push(t);
  }
  return out.join(' ');
}

/** How expressions are laid out for a model. */
export type SequenceLayout = 'answer' | 'cls' | 'cot';

/** Expressions as a padded id matrix, their labels and (chain of thought) next-value targets. */
export interface EncodedExamples {
  /** Row-major [count, seqLen] token ids (right-padded with {@link PAD_ID}). */
  readonly tokens: Int32Array;
  /** The value of each expression. */
  readonly labels: Int32Array;
  /**
   * Chain of thought only: [count, seqLen], at position i the value token that
   * follows (the class to predict there), -1 where the next token is given.
   */
  readonly targets?: Int32Array;
  readonly count: number;
  readonly seqLen: number;
}

/**
 * Encodes examples into `seqLen` columns: 'answer' the bare expression, 'cls'
 * with CLS in front, 'cot' the expression with its chain of thought (and the
 * next-value targets). A sequence that does not fit is a coded error.
 */
export function encodeExamples(examples: readonly ListOpsExample[], seqLen: number, layout: SequenceLayout = 'answer'): EncodedExamples {
  const tokens = new Int32Array(examples.length * seqLen);
  const labels = new Int32Array(examples.length);
  const targets = layout === 'cot' ? new Int32Array(examples.length * seqLen).fill(-1) : undefined;
  examples.forEach((ex, r) => {
    const row = encodeExpression(layout === 'cot' ? ex.cot : ex.text);
    const need = row.length + (layout === 'cls' ? 1 : 0);
    if (need > seqLen) throw new EngramError(ErrorCodes.SHAPE_MISMATCH, `sequence of ${need} tokens does not fit the model's ${seqLen} positions: build the model for these generator settings`, { need, seqLen });
    let c = r * seqLen;
    if (layout === 'cls') tokens[c++] = CLS_ID;
    row.forEach((id, j) => {
      tokens[c + j] = id;
      if (targets && j > 0 && isValueTokenId(id)) targets[c + j - 1] = id - BASE_VOCAB.length;
    });
    labels[r] = ex.label;
  });
  return targets ? { tokens, labels, targets, count: examples.length, seqLen } : { tokens, labels, count: examples.length, seqLen };
}

/** Number of non-padding tokens of each row. */
export function rowLengths(data: EncodedExamples): Int32Array {
  const out = new Int32Array(data.count);
  for (let r = 0; r < data.count; r++) {
    let end = data.seqLen;
    while (end > 0 && data.tokens[r * data.seqLen + end - 1] === PAD_ID) end--;
    out[r] = end;
  }
  return out;
}

/**
 * The rows `rows` of encoded examples, cut to their longest real length
 * (padding columns that every row has cost compute and change nothing: the
 * model's positions are absolute and attention never reads padding).
 */
export function selectRows(data: EncodedExamples, rows: readonly number[], lengths: Int32Array = rowLengths(data)): EncodedExamples {
  const seqLen = Math.max(1, ...rows.map((r) => lengths[r]!));
  const cut = (src: Int32Array): Int32Array => {
    const out = new Int32Array(rows.length * seqLen);
    rows.forEach((k, i) => out.set(src.subarray(k * data.seqLen, k * data.seqLen + seqLen), i * seqLen));
    return out;
  };
  const labels = Int32Array.from(rows, (k) => data.labels[k]!);
  return data.targets
    ? { tokens: cut(data.tokens), labels, targets: cut(data.targets), count: rows.length, seqLen }
    : { tokens: cut(data.tokens), labels, count: rows.length, seqLen };
}
