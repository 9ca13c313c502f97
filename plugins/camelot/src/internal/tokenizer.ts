/**
 * What the GPT, its training face and the experiments need of a tokenizer:
 * text to token ids and back, and single characters as tokens (for planted
 * random strings, which must not depend on how a tokenizer would merge them).
 */

import { errors } from '@engram/core';
import { CharTokenizer } from './char-tokenizer.js';
import { SubwordTokenizer } from './subword-tokenizer.js';

/** A tokenizer of the small GPT: {@link CharTokenizer} or {@link SubwordTokenizer}. */
export interface Tokenizer {
  /** Number of token ids (ids are 0 .. size - 1). */
  readonly size: number;
  /** A string naming this vocabulary exactly (equal keys = equal encodings; used to cache encoded corpora). */
  readonly key: string;
  /** The characters of the vocabulary, one token each (ids 0 .. characters.length - 1). */
  readonly characters: string;
  /** Token ids of `text`. */
  encode(text: string): Int32Array;
  /** The text of token ids. */
  decode(tokens: ArrayLike<number>): string;
}

/** The tokenizer of a GPT config: characters, or (subwordRanks > 0) truncated GPT-2 subwords over them. */
export function tokenizerFor(config: { vocabulary: string; subwordRanks: number }): Tokenizer {
  return config.subwordRanks > 0 ? new SubwordTokenizer(config.vocabulary, config.subwordRanks) : new CharTokenizer(config.vocabulary);
}

/** The separator characters of Brown text: word, sentence and paragraph ends (never drawn for random strings). */
export const SEPARATORS: ReadonlySet<string> = new Set([' ', '.', '\n']);

/** The characters of `text` that the vocabulary has (in order). */
export function knownCharacters(tokenizer: Tokenizer, text: string): string {
  return [...text].filter((c) => tokenizer.characters.includes(c)).join('');
}

/** The ids of single characters (every character must be in the vocabulary). */
export function characterIds(tokenizer: Tokenizer, text: string): Int32Array {
  const chars = [...tokenizer.characters];
  return Int32Array.from([...text], (c) => {
    const id = chars.indexOf(c);
    if (id < 0) throw errors.invalidArgument('characters', `characters of the vocabulary`, c);
    return id;
  });
}

/** Character offset of each token's start in the decoded text of `ids` (plus the total length at the end). */
export function tokenOffsets(tokenizer: Tokenizer, ids: ArrayLike<number>): number[] {
  const out = [0];
  for (let i = 0; i < ids.length; i++) out.push(out[i]! + [...tokenizer.decode([ids[i]!])].length);
  return out;
}
