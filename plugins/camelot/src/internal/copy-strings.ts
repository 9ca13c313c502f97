/**
 * The synthetic warm-up corpus that teaches the small GPT to copy by content
 * (an induction head) before it reads Brown: documents made only of seeded
 * random strings and copies of earlier pieces of them at random distances.
 *
 * Why it exists (measured, README "A base model that copies"): on Brown, and on
 * such strings drawn from the 26 lowercase letters, neither this GPT nor the
 * same architecture in PyTorch left the no-copying plateau in 1,400-4,096
 * steps; a character seen earlier matches ~5 positions of a 128-character
 * window, so single-character matching barely pays. Drawn from the ~80
 * non-separator characters of the vocabulary, a match is nearly unique and the
 * induction head forms abruptly (PyTorch, 2 attention-only blocks, windows of
 * 32: after ~1,500 steps). Brown training afterwards keeps it by its repeated
 * spans.
 */

import { errors, seededRandom } from '@engram/core';
import { SEPARATORS } from './tokenizer.js';

/** Options of {@link copyStringDocuments}. */
export interface CopyStringOptions {
  /** The characters strings are drawn from (separators ' ', '.', '\n' are removed from it). */
  readonly alphabet: string;
  /** Documents (default 100). */
  readonly documents?: number;
  /** Characters per document, at least (default 3000). */
  readonly length?: number;
  /** Shortest piece (default 4). */
  readonly minLength?: number;
  /** Longest piece (default 16). */
  readonly maxLength?: number;
  /** Share of pieces that copy earlier text (default 0.5). */
  readonly copyShare?: number;
  /** How far back a copied piece may start (default 96 characters: inside a 128-character window). */
  readonly reach?: number;
  readonly seed?: number;
}

/**
 * Seeded documents of pieces: a fresh random string, or (`copyShare` of them)
 * a copy of a piece of the text already written, starting anywhere in the last
 * `reach` characters, so that the copy sits at no fixed distance from its
 * source and only matching by content predicts it.
 *
 * @throws EngramError INVALID_ARGUMENT for an alphabet of fewer than 2 usable characters or bad lengths.
 */
export function copyStringDocuments(options: CopyStringOptions): string[] {
  // Separators are never drawn (the corpus has none: nothing marks where a copy starts).
  const alphabet = [...options.alphabet].filter((c) => !SEPARATORS.has(c));
  if (alphabet.length < 2) throw errors.invalidArgument('alphabet', "at least 2 characters besides ' ', '.' and newline", options.alphabet);
  const { documents = 100, length = 3000, minLength = 4, maxLength = 16, copyShare = 0.5, reach = 96, seed = 0 } = options;
  if (!(Number.isInteger(minLength) && minLength >= 1 && Number.isInteger(maxLength) && maxLength >= minLength)) {
    throw errors.invalidArgument('minLength, maxLength', 'integers with 1 <= minLength <= maxLength', `${minLength}, ${maxLength}`);
  }
  if (!(Number.isInteger(reach) && reach >= maxLength)) throw errors.invalidArgument('reach', `an integer >= maxLength (${maxLength})`, reach);
  if (!(copyShare >= 0 && copyShare <= 1)) throw errors.invalidArgument('copyShare', 'a number in [0, 1]', copyShare);
  const rand = seededRandom(seed);
  return Array.from({ length: documents }, () => {
    let doc = '';
    while (doc.length < length) {
      const n = minLength + Math.floor(rand() * (maxLength - minLength + 1));
      if (doc.length >= reach && rand() < copyShare) {
        const from = doc.length - reach + Math.floor(rand() * (reach - n + 1));
        doc += doc.slice(from, from + n);
      } else {
        for (let i = 0; i < n; i++) doc += alphabet[Math.floor(rand() * alphabet.length)];
      }
    }
    return doc;
  });
}
