/**
 * A subword tokenizer: GPT-2's byte-pair encoding truncated to its first
 * merges. The vocabulary is a set of characters plus every GPT-2 token below
 * rank `ranks` spelled with them (GPT-2's r50k_base ranks, from the
 * gpt-tokenizer package); each word (GPT-2's pre-tokenizer pattern, from the same package) is split
 * into characters and the adjacent pair whose join has the lowest rank below
 * `ranks` is merged until none is left — exactly tiktoken's algorithm with a
 * shorter merge list, so every intermediate piece is itself a token, nothing
 * is lost, and decode(encode(text)) === text for text over the characters.
 *
 * Why subwords (measured, README "Why subword tokens"): with one token per
 * character, a 128-token window already holds nearly all the context the small
 * GPT uses — a model trained on 512-character windows gains only 2.2 % from
 * them over non-overlapping 128-character windows — so no memory can give the
 * issue's 5 %. With ranks 2048 (1,857 tokens on Brown's characters), 128 tokens
 * cover ~390 characters, and what lies beyond (names and rare words of the
 * document) is what a memory can bring back. Why GPT-2's merges rather than a
 * byte-pair encoding trained here: the merge list is public, fixed and shipped
 * by a well-kept package; only the truncation is ours.
 */
import { decode as gpt2Decode } from 'gpt-tokenizer/encoding/r50k_base';
import { R50K_TOKEN_SPLIT_REGEX as WORDS } from 'gpt-tokenizer/encodingParams/constants';
import { errors } from '@engram/core';
import type { Tokenizer } from './tokenizer.js';

/** GPT-2's vocabulary size (r50k_base, without the end-of-text token). */
const GPT2_TOKENS = 50256;
/** The first 256 GPT-2 ranks are single bytes, not merges. */
const FIRST_MERGE = 256;

let gpt2Ranks: Map<string, number> | undefined;
/** GPT-2 token text -> rank, for the merges (built once, ~50 ms). */
function ranksOf(): Map<string, number> {
  if (!gpt2Ranks) {
    gpt2Ranks = new Map();
    for (let id = FIRST_MERGE; id < GPT2_TOKENS; id++) {
      const s = gpt2Decode([id]);
      if (!s.includes('\uFFFD') && !gpt2Ranks.has(s)) gpt2Ranks.set(s, id);
    }
  }
  return gpt2Ranks;
}

/** Encodes text to ids of characters and truncated-GPT-2 pieces, and back. */
export class SubwordTokenizer implements Tokenizer {
  readonly size: number;
  readonly key: string;
  private readonly index = new Map<string, number>();
  private readonly texts: string[];
  /** Word -> its ids (Brown has ~60k distinct words; each is merged once). */
  private readonly words = new Map<string, Int32Array>();
  private readonly rank = new Map<string, number>();

  /**
   * @param characters distinct characters, ids 0 .. characters.length - 1
   * @param ranks GPT-2 merges kept: the tokens of rank 256 .. ranks - 1 spelled with `characters`, ids after the characters in rank order
   * @throws EngramError INVALID_ARGUMENT for repeated characters or ranks outside [256, 50256]
   */
  constructor(
    readonly characters: string,
    readonly ranks: number,
  ) {
    const chars = [...characters];
    if (chars.length < 2) throw errors.invalidArgument('vocabulary', 'at least 2 characters', characters);
    if (!Number.isInteger(ranks) || ranks < FIRST_MERGE || ranks > GPT2_TOKENS) throw errors.invalidArgument('subwordRanks', `an integer in [${FIRST_MERGE}, ${GPT2_TOKENS}]`, ranks);
    chars.forEach((c, i) => {
      if (this.index.has(c)) throw errors.invalidArgument('vocabulary', 'a string of distinct characters', `'${c}' repeated`);
      this.index.set(c, i);
    });
    const pieces = [...ranksOf().entries()].filter(([s, r]) => r < ranks && [...s].length >= 2 && [...s].every((c) => this.index.has(c))).sort((a, b) => a[1] - b[1]);
    for (const [s, r] of pieces) {
      this.index.set(s, this.index.size);
      this.rank.set(s, r);
    }
    this.texts = [...chars, ...pieces.map(([s]) => s)];
    this.size = this.texts.length;
    this.key = `${characters}\u0000gpt2<${ranks}`;
  }

  /** Token ids of `text` (characters outside the vocabulary become token 0). */
  encode(text: string): Int32Array {
    const parts: Int32Array[] = [];
    let length = 0;
    for (const word of text.match(WORDS) ?? []) {
      let ids = this.words.get(word);
      if (!ids) this.words.set(word, (ids = Int32Array.from(this.merge(word), (p) => this.index.get(p) ?? 0)));
      parts.push(ids);
      length += ids.length;
    }
    const out = new Int32Array(length);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  /** The text of token ids (ids outside the vocabulary become '?'). */
  decode(tokens: ArrayLike<number>): string {
    let s = '';
    for (let i = 0; i < tokens.length; i++) s += this.texts[tokens[i]!] ?? '?';
    return s;
  }

  /** Byte-pair merging of one word: join the adjacent pair of lowest rank, every occurrence, until no pair is a token. */
  private merge(word: string): string[] {
    let parts = [...word];
    for (;;) {
      let best: string | undefined;
      let bestRank = Infinity;
      for (let i = 0; i + 1 < parts.length; i++) {
        const r = this.rank.get(parts[i]! + parts[i + 1]!);
        if (r !== undefined && r < bestRank) {
          bestRank = r;
          best = parts[i]! + parts[i + 1]!;
        }
      }
      if (best === undefined) return parts;
      const next: string[] = [];
      for (let i = 0; i < parts.length; i++) {
        if (i + 1 < parts.length && parts[i]! + parts[i + 1]! === best) {
          next.push(best);
          i++;
        } else next.push(parts[i]!);
      }
      parts = next;
    }
  }
}
