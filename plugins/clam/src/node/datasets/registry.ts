/** The shipped data sets as registry contributions ('clam/zoo', ..., 'clam/segment'), read from the package's data/ folder. */
import type { ArrayDataset, PluginContext } from '@engram/core';
import { SHIPPED_DATASETS } from '../../datasets/catalogue.js';
import { shippedArrayDataset, shippedDatasetOptionsSchema } from '../../datasets/registry.js';
import { loadShippedDataset } from './files.js';

/** Registers every shipped data set, loading from disk. */
export function registerShippedDatasets(ctx: PluginContext): void {
  for (const info of SHIPPED_DATASETS) {
    ctx.dataset(info.id, {
      schema: shippedDatasetOptionsSchema,
      description: `${info.name} (${info.samples} x ${info.features}, ${info.k} classes): ${info.source}`,
      load: async (o): Promise<ArrayDataset> => shippedArrayDataset(loadShippedDataset(info.id), o),
    });
  }
}
