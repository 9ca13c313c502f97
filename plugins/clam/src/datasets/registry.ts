/**
 * The data sets as registry contributions ('clam/zoo', ..., 'clam/blobs'),
 * each resolving to core's ArrayDataset { count, shape, data, labels, classes }.
 */
import { z, type ArrayDataset, type PluginContext } from '@engram/core';
import { gaussianBlobs } from './blobs.js';
import { SHIPPED_DATASETS, loadShippedDataset } from './catalogue.js';
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

/** Registers every data set of the plugin. */
export function registerDatasets(ctx: PluginContext): void {
  for (const info of SHIPPED_DATASETS) {
    ctx.dataset(info.id, {
      schema: shippedDatasetOptionsSchema,
      description: `${info.name} (${info.samples} x ${info.features}, ${info.k} classes): ${info.source}`,
      load: async (o): Promise<ArrayDataset> => {
        const table = loadShippedDataset(info.id);
        const x = o.standardize ? standardize(table) : table;
        return { count: table.n, shape: [table.d], data: Float32Array.from(x.data), labels: table.labels, classes: info.k };
      },
    });
  }
  ctx.dataset('blobs', {
    schema: blobsOptionsSchema,
    description: 'seeded Gaussian blobs (the 2-D data of the trajectory and energy plots)',
    load: async (o): Promise<ArrayDataset> => {
      const b = gaussianBlobs(o);
      return { count: o.count, shape: [o.size], data: b.data, labels: b.labels, classes: o.clusters };
    },
  });
}
