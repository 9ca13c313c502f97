/**
 * A character tokenizer: the vocabulary is a string of distinct characters and
 * token i is its i-th character. Characters outside it map to the fallback
 * (the vocabulary's first character, a space for the Brown vocabulary).
 */
import { errors } from '@engram/core';
import type { Tokenizer } from './tokenizer.js';

/** Encodes text to token ids and back, one token per character. */
export class CharTokenizer implements Tokenizer {
  private readonly index = new Map<string, number>();
  readonly size: number;
  readonly key: string;
  readonly characters: string;

  constructor(readonly vocabulary: string) {
    const chars = [...vocabulary];
    chars.forEach((c, i) => {
      if (this.index.has(c)) throw errors.invalidArgument('vocabulary', 'a string of distinct characters', `'${c}' repeated`);
      this.index.set(c, i);
    });
    if (chars.length < 2) throw errors.invalidArgument('vocabulary', 'at least 2 characters', vocabulary);
    this.size = chars.length;
    this.key = vocabulary;
    this.characters = vocabulary;
  }

  /** Token ids of `text` (unknown characters become token 0). */
  encode(text: string): Int32Array {
    const chars = [...text];
    const out = new Int32Array(chars.length);
    chars.forEach((c, i) => (out[i] = this.index.get(c) ?? 0));
    return out;
  }

  /** The text of token ids (ids outside the vocabulary become '?'). */
  decode(tokens: ArrayLike<number>): string {
    const chars = [...this.vocabulary];
    let s = '';
    for (let i = 0; i < tokens.length; i++) s += chars[tokens[i]!] ?? '?';
    return s;
  }
}

/** The distinct characters of some texts, most frequent first (ties by code point): a vocabulary. */
export function vocabularyOf(texts: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const t of texts) for (const c of t) counts.set(c, (counts.get(c) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([c]) => c)
    .join('');
}
