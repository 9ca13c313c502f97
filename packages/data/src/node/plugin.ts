/** The data plugin for Node: Fashion-MNIST from disk (the full set when installed, else the committed subset), or over HTTP with `url`. */
import type { EngramPlugin } from '@engram/core';
import { loadFashionMnistFromUrl } from '../fashion-mnist-url.js';
import { createDataPlugin } from '../plugin.js';
import { loadFashionMnist } from './fashion-mnist-files.js';

/** The Node data plugin (default export of @engram/data/node). */
export const dataPlugin: EngramPlugin = createDataPlugin(async (o) =>
  o.url !== undefined
    ? loadFashionMnistFromUrl({ url: o.url, split: o.split, ...(o.limit !== undefined ? { limit: o.limit } : {}) })
    : loadFashionMnist({ split: o.split, source: o.source, ...(o.limit !== undefined ? { limit: o.limit } : {}) }),
);
