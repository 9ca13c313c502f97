/** The shipped data sets read from the package's data/ folder (Node). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EngramError, ErrorCodes } from '@engram/core';
import { shippedDataset, shippedDatasetFromText, type ShippedTable } from '../../datasets/catalogue.js';

/** The data/ folder of the package (src/node/datasets/ and dist/node/datasets/ are both three levels below the package root). */
export function dataDirectory(): string {
  return fileURLToPath(new URL('../../../data/', import.meta.url));
}

/** Reads a shipped data set (raw features, labels 0..k-1) and checks it against the catalogue. */
export function loadShippedDataset(id: string): ShippedTable {
  const info = shippedDataset(id);
  const path = `${dataDirectory()}${info.file}`;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new EngramError(ErrorCodes.DATA_NOT_FOUND, `data file ${path} of '${id}' is missing: reinstall @engram/clam (its data/ folder ships it)`, { id, path });
  }
  return shippedDatasetFromText(id, text, path);
}
