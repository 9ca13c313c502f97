/**
 * The paper's small public data sets, shipped in the package's data/ folder
 * exactly as the authors' repository (bsaha205/clam, data/) has them, except
 * Yale, converted from Yale.mat to CSV (data/SOURCES.md says how). k is the
 * number of classes, as in the paper.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EngramError, ErrorCodes } from '@engram/core';
import { parseLabelledTable, type LabelledTable } from './parse.js';

/** One shipped data set. */
export interface ShippedDataset {
  /** Id (also the data set's local id in the registry: 'clam/<id>'). */
  readonly id: string;
  /** Name as the paper writes it. */
  readonly name: string;
  /** File under data/. */
  readonly file: string;
  readonly samples: number;
  readonly features: number;
  /** Number of classes = the k the paper clusters with. */
  readonly k: number;
  /** Where it comes from. */
  readonly source: string;
}

/** Every shipped data set, smallest first. */
export const SHIPPED_DATASETS: readonly ShippedDataset[] = [
  { id: 'zoo', name: 'Zoo', file: 'zoo.csv', samples: 101, features: 16, k: 7, source: 'UCI Zoo (animal names dropped), via bsaha205/clam' },
  { id: 'yale', name: 'Yale', file: 'yale.csv', samples: 165, features: 1024, k: 15, source: 'Yale faces 32x32 (Cai et al.), Yale.mat of bsaha205/clam, as CSV' },
  { id: 'ecoli', name: 'Ecoli', file: 'ecoli.data', samples: 336, features: 7, k: 8, source: 'UCI Ecoli (sequence names dropped), via bsaha205/clam' },
  { id: 'libras', name: 'Movement-Libras', file: 'movement_libras.csv', samples: 360, features: 90, k: 15, source: 'UCI Libras Movement, via bsaha205/clam' },
  { id: 'mice', name: 'Mice-Protein', file: 'mp_exp.txt', samples: 1080, features: 77, k: 8, source: 'UCI Mice Protein Expression (missing values imputed by the authors), via bsaha205/clam' },
  { id: 'ctg', name: 'CTG', file: 'ctg.txt', samples: 2126, features: 21, k: 10, source: 'UCI Cardiotocography (CLASS, 10 classes), via bsaha205/clam' },
  { id: 'segment', name: 'Segment', file: 'segment.dat', samples: 2310, features: 19, k: 7, source: 'UCI Statlog Image Segmentation, via bsaha205/clam' },
];

/** The data/ folder of the package (src/ and dist/ are both one level below the package root). */
export function dataDirectory(): string {
  return fileURLToPath(new URL('../../data/', import.meta.url));
}

/** The catalogue entry of a shipped data set; ENGRAM_ERR_UNKNOWN_KIND listing the ids otherwise. */
export function shippedDataset(id: string): ShippedDataset {
  const entry = SHIPPED_DATASETS.find((s) => s.id === id);
  if (!entry) {
    throw new EngramError(ErrorCodes.UNKNOWN_KIND, `unknown ClAM data set '${id}': use one of ${SHIPPED_DATASETS.map((s) => s.id).join(', ')}`, {
      registry: 'clam data set',
      id,
      known: SHIPPED_DATASETS.map((s) => s.id),
    });
  }
  return entry;
}

/** Reads a shipped data set (raw features, labels 0..k-1) and checks it against the catalogue. */
export function loadShippedDataset(id: string): LabelledTable & { info: ShippedDataset } {
  const info = shippedDataset(id);
  const path = `${dataDirectory()}${info.file}`;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new EngramError(ErrorCodes.DATA_NOT_FOUND, `data file ${path} of '${id}' is missing: reinstall @engram/clam (its data/ folder ships it)`, { id, path });
  }
  const table = parseLabelledTable(text, path);
  if (table.n !== info.samples || table.d !== info.features || table.classNames.length !== info.k) {
    throw new EngramError(
      ErrorCodes.CORRUPT_DATA,
      `${path} has ${table.n} x ${table.d} samples in ${table.classNames.length} classes, expected ${info.samples} x ${info.features} in ${info.k}: restore the file`,
      { id, path },
    );
  }
  return { ...table, info };
}
