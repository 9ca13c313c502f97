/**
 * The paper's small public data sets, shipped in the package's data/ folder
 * exactly as the authors' repository (bsaha205/clam, data/) has them, except
 * Yale, converted from Yale.mat to CSV (data/SOURCES.md says how). k is the
 * number of classes, as in the paper.
 *
 * This file reads no file: a data set's text is parsed and checked here
 * ({@link shippedDatasetFromText}) or fetched over HTTP
 * ({@link loadShippedDatasetFromUrl}, e.g. in a browser); `@engram/clam/node`'s
 * `loadShippedDataset` reads it from the package's data/ folder.
 */
import { EngramError, ErrorCodes, errors } from '@engram/core';
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

/** A shipped data set with its catalogue entry (raw features, labels 0..k-1). */
export type ShippedTable = LabelledTable & { info: ShippedDataset };

/**
 * Parses the text of a shipped data set's file and checks it against the
 * catalogue (`where` names the file or URL in errors).
 *
 * @throws EngramError UNKNOWN_KIND for an unknown id; CORRUPT_DATA when the text
 *   is not the data set the catalogue describes.
 */
export function shippedDatasetFromText(id: string, text: string, where: string = shippedDataset(id).file): ShippedTable {
  const info = shippedDataset(id);
  const table = parseLabelledTable(text, where);
  if (table.n !== info.samples || table.d !== info.features || table.classNames.length !== info.k) {
    throw new EngramError(
      ErrorCodes.CORRUPT_DATA,
      `${where} has ${table.n} x ${table.d} samples in ${table.classNames.length} classes, expected ${info.samples} x ${info.features} in ${info.k}: restore the file`,
      { id, path: where },
    );
  }
  return { ...table, info };
}

/** Options of {@link loadShippedDatasetFromUrl}. */
export interface ShippedDatasetUrlOptions {
  /** Base URL of the served data/ folder (the file name is appended), e.g. 'data/clam/' or an absolute URL. */
  url: string;
  /** The fetch to use (default the global one). */
  fetch?: (url: string) => Promise<{ ok: boolean; status: number; text(): Promise<string> }>;
}

/**
 * Fetches a shipped data set from `url` + its file name (serve the package's
 * data/ folder there) and checks it against the catalogue.
 *
 * @throws EngramError UNKNOWN_KIND for an unknown id; DATA_NOT_FOUND when the
 *   request fails; CORRUPT_DATA when the text is not the data set.
 */
export async function loadShippedDatasetFromUrl(id: string, options: ShippedDatasetUrlOptions): Promise<ShippedTable> {
  const info = shippedDataset(id);
  if (typeof options?.url !== 'string' || options.url.length === 0) throw errors.invalidArgument('url', "the base URL of the served data/ folder, e.g. 'data/clam/'", options?.url);
  const where = `${options.url.endsWith('/') ? options.url : `${options.url}/`}${info.file}`;
  const get = options.fetch ?? ((u: string) => globalThis.fetch(u));
  let text: string;
  try {
    const res = await get(where);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    text = await res.text();
  } catch (err) {
    throw new EngramError(ErrorCodes.DATA_NOT_FOUND, `could not fetch ${where} for '${id}' (${(err as Error).message}): serve the package's data/ folder at ${options.url}`, { id, path: where });
  }
  return shippedDatasetFromText(id, text, where);
}
