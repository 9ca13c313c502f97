/**
 * The data sets as registry contributions, each resolving to core's
 * ArrayDataset { count, shape, data, labels, classes }: here 'clam/blobs'
 * (generated, any platform); `@engram/clam/node` adds the shipped files
 * ('clam/zoo', ...), read from disk.
 */
import { z, type ArrayDataset, type PluginContext } from '@engram/core';
import { gaussianBlobs } from './blobs.js';
import type { ShippedTable } from './catalogue.js';
import { standardize } from './standardize.js';

/** Options of a shipped data set. */
export const shippedDatasetOptionsSchema = z.strictObject({
  standardize: z.boolean().default(false).describe('standardise every feature (zero mean, unit variance) as the paper does'),
});

/** Options of 'clam/blobs'. */
export const blobsOptionsSchema = z.strictObject({
  count: z.number().int().min(1).default(500).describe('number of points'),
  size: z.number().int().min(1).default(2).describe('features per point'),
  clusters: z.number().int().min(1).default(5).describe('number of blobs'),
  spread: z.number().positive().default(1).describe('standard deviation of each blob'),
  box: z.number().positive().default(5).describe('half-width of the box of the blob centres'),
  seed: z.number().int().default(0).describe('seed of the generator'),
});

/** A shipped table as the registry's ArrayDataset (standardised when asked). */
export function shippedArrayDataset(table: ShippedTable, options: z.output<typeof shippedDatasetOptionsSchema>): ArrayDataset {
  const x = options.standardize ? standardize(table) : table;
  return { count: table.n, shape: [table.d], data: Float32Array.from(x.data), labels: table.labels, classes: table.info.k };
}

/** Registers the data sets that need no file: 'clam/blobs'. */
export function registerGeneratedDatasets(ctx: PluginContext): void {
  ctx.dataset('blobs', {
    schema: blobsOptionsSchema,
    description: 'seeded Gaussian blobs (the 2-D data of the trajectory and energy plots)',
    load: async (o): Promise<ArrayDataset> => {
      const b = gaussianBlobs(o);
      return { count: o.count, shape: [o.size], data: b.data, labels: b.labels, classes: o.clusters };
    },
  });
}
