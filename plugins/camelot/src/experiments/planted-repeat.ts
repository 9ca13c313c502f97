/**
 * The planted-repeat probe: a random lowercase string is planted early in a
 * held-out document and planted again after the first copy has left the
 * window. Without memory the repeat is as unpredictable as the original; a
 * memory that kept the first copy's keys and values lets the model copy it.
 * The string (with a space before and after) is encoded as the tokenizer
 * encodes it in text, and the same tokens replace the document's at both
 * places. Measured: mean loss over the repeat's tokens that start after its
 * first character (whose identity nothing can tell), with and without memory.
 */
import { errors, seededRandom } from '@engram/core';
import type { AttentionModel } from '../memory/attention-hook.js';
import type { MemoryConfigInput } from '../memory/memory-config.js';
import { tokenOffsets, type Tokenizer } from '../internal/tokenizer.js';
import { collectLosses } from './collect.js';

/** Options of {@link plantedRepeat}. */
export interface PlantedRepeatOptions {
  /** Characters of the planted string (default 24). */
  length?: number;
  /** Token position of the first copy (default 40: inside window 0). */
  at?: number;
  /** Document position of the repeat (default 3 windows later, inside one window). */
  repeatAt?: number;
  /** Window the documents stream through (default the model's context length). */
  window?: number;
  seed?: number;
  /** Characters the string is drawn from (default the 26 lowercase letters; separators are the caller's business). */
  alphabet?: string;
}

/** Result: mean loss (nats) over the repeat with each memory, and the relative reduction. */
export interface PlantedRepeatResult {
  length: number;
  /** Tokens scored per repeat (mean over documents). */
  scored: number;
  at: number;
  repeatAt: number;
  documents: number;
  withoutMemory: number;
  withMemory: number;
  /** 1 - withMemory / withoutMemory. */
  reduction: number;
}

/** Plants one random string (a different one per document) twice in each document and compares losses on the repeat. */
export async function plantedRepeat(
  model: AttentionModel,
  tokenizer: Tokenizer,
  documents: readonly Int32Array[],
  memory: MemoryConfigInput,
  options: PlantedRepeatOptions = {},
): Promise<PlantedRepeatResult> {
  const length = options.length ?? 24;
  const at = options.at ?? 40;
  const window = options.window ?? model.contextLength;
  const repeatAt = options.repeatAt ?? at + 3 * window;
  const rand = seededRandom(options.seed ?? 0);
  const letters = [...(options.alphabet ?? 'abcdefghijklmnopqrstuvwxyz')];
  // Per document: the planted tokens and which of them are scored (those starting after the string's first character).
  const strings = documents.map(() => {
    const text = ` ${Array.from({ length }, () => letters[Math.floor(rand() * letters.length)]!).join('')} `;
    const tokens = tokenizer.encode(text);
    const offsets = tokenOffsets(tokenizer, tokens);
    const scored = Array.from(tokens, (_, j) => j).filter((j) => offsets[j]! >= 2 && offsets[j]! <= length);
    return { tokens, scored };
  });
  const total = repeatAt + Math.max(...strings.map((s) => s.tokens.length)) + 8;
  const planted = documents.map((doc, i) => {
    if (doc.length < total) throw errors.invalidArgument(`document ${i} length`, `at least ${total} tokens for a repeat at ${repeatAt}`, doc.length);
    const d = doc.slice(0, total);
    if (at + strings[i]!.tokens.length > repeatAt) throw errors.invalidArgument('repeatAt', `after the first copy's end (${at + strings[i]!.tokens.length})`, repeatAt);
    for (const p of [at, repeatAt]) d.set(strings[i]!.tokens, p - 1);
    return d;
  });
  const mean = (losses: Float32Array[]): number => {
    let sum = 0;
    let n = 0;
    // The token at position p's loss sits at index p - 1; the string's tokens start at repeatAt - 1.
    losses.forEach((l, i) => {
      for (const j of strings[i]!.scored) {
        sum += l[repeatAt - 1 + j - 1]!;
        n++;
      }
    });
    return sum / n;
  };
  const without = mean((await collectLosses(model, planted, null, window)).losses);
  const withMem = mean((await collectLosses(model, planted, memory, window)).losses);
  const scored = strings.reduce((a, s) => a + s.scored.length, 0) / strings.length;
  return { length, scored, at, repeatAt, documents: documents.length, withoutMemory: without, withMemory: withMem, reduction: 1 - withMem / without };
}
