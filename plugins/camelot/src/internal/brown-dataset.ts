/**
 * Documents of text as a core ArrayDataset, so that a corpus can be a data
 * set of the registry ('camelot/brown'; the training face resolves it by id,
 * so any platform can supply its own): one sample per character, its UTF-16
 * code in `data` (shape [1]), its document's index in `labels` (documents in
 * order, `classes` of them).
 */
import { EngramError, ErrorCodes, isArrayDataset, type ArrayDataset } from '@engram/core';

/** The registry id of the corpus the GPT's training face reads by default. */
export const BROWN_DATASET = 'camelot/brown';

/** Texts (in order) as a character data set. */
export function textDataset(texts: readonly string[]): ArrayDataset {
  const count = texts.reduce((n, t) => n + t.length, 0);
  const data = new Float32Array(count);
  const labels = new Int32Array(count);
  let at = 0;
  texts.forEach((t, doc) => {
    for (let i = 0; i < t.length; i++, at++) {
      data[at] = t.charCodeAt(i);
      labels[at] = doc;
    }
  });
  return { count, shape: [1], data, labels, classes: texts.length };
}

/**
 * The texts of a character data set made by {@link textDataset}, in document
 * order (`source` names it in errors).
 *
 * @throws EngramError CORRUPT_DATA when it is not such a data set.
 */
export function datasetTexts(set: ArrayDataset, source: string): string[] {
  const bad = (why: string): EngramError =>
    new EngramError(ErrorCodes.CORRUPT_DATA, `${source}: ${why}; a text data set has one character per sample (shape [1], data = UTF-16 code, labels = document index 0, 1, ... in order)`, { source });
  if (!isArrayDataset(set) || set.shape.length !== 1 || set.shape[0] !== 1 || !set.labels) throw bad('not a character data set');
  const labels = set.labels;
  const texts: string[] = [];
  let start = 0;
  for (let i = 1; i <= set.count; i++) {
    if (i < set.count && labels[i] === labels[start]) continue;
    if (labels[start] !== texts.length) throw bad(`document ${texts.length} expected at sample ${start}, found ${labels[start]}`);
    const codes = set.data.subarray(start, i);
    let text = '';
    // Chunks keep String.fromCharCode's argument list short.
    for (let k = 0; k < codes.length; k += 8192) text += String.fromCharCode(...codes.subarray(k, k + 8192));
    texts.push(text);
    start = i;
  }
  return texts;
}
