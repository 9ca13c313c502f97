/**
 * Fashion-MNIST over HTTP (browsers, or any fetch): the four IDX files (the
 * committed subset's gzipped files, or the full set's) under one base URL.
 */
import { errors } from '@engram/core';
import { decodeIdxAsync } from './idx.js';
import { FASHION_MNIST_FILES, fashionMnistFromIdx, type FashionMnistSet, type FashionMnistSplit } from './fashion-mnist.js';
import { dataNotFound } from './internal/errors.js';

/** Options of {@link loadFashionMnistFromUrl}. */
export interface FashionMnistUrlOptions {
  /** Base URL of the folder holding `<name>.gz` files, e.g. '/data/fashion-mnist-subset/'. */
  url: string;
  split: FashionMnistSplit;
  /** Keep only the first `limit` examples. */
  limit?: number;
  /** Which set the files are (reported on the result; default 'subset'). */
  source?: 'full' | 'subset';
  /** The fetch to use (default globalThis.fetch). */
  fetch?: typeof fetch;
}

/** Loads one split from `<url>/<file>.gz` (raw files without .gz work too). */
export async function loadFashionMnistFromUrl(o: FashionMnistUrlOptions): Promise<FashionMnistSet> {
  if (typeof o.url !== 'string' || o.url.length === 0) throw errors.invalidArgument('url', 'the base URL of the Fashion-MNIST files', o.url);
  const get = o.fetch ?? globalThis.fetch;
  const base = o.url.endsWith('/') ? o.url : `${o.url}/`;
  const bytesOf = async (name: string): Promise<Uint8Array> => {
    for (const candidate of [`${base}${name}.gz`, `${base}${name}`]) {
      let res: Response;
      try {
        res = await get(candidate);
      } catch (err) {
        throw dataNotFound(`Fashion-MNIST file ${name}`, candidate, `Fetching it failed (${(err as Error).message}): check the URL.`, err);
      }
      if (res.ok) return new Uint8Array(await res.arrayBuffer());
    }
    throw dataNotFound(`Fashion-MNIST file ${name}`, `${base}${name}[.gz]`, 'The server answered with an error: check the URL.');
  };
  const files = FASHION_MNIST_FILES[o.split];
  const [img, lab] = await Promise.all([bytesOf(files.images), bytesOf(files.labels)]);
  const images = await decodeIdxAsync(img, { dtype: 'uint8', source: `${base}${files.images}` });
  const labels = await decodeIdxAsync(lab, { dtype: 'uint8', source: `${base}${files.labels}` });
  return fashionMnistFromIdx(images, labels, {
    split: o.split,
    source: o.source ?? 'subset',
    dir: base,
    ...(o.limit !== undefined ? { limit: o.limit } : {}),
    files: { images: `${base}${files.images}`, labels: `${base}${files.labels}` },
  });
}
