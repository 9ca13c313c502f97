/**
 * The 'sdm' plugin for any platform: the SDMLP model ('sdm/sdmlp').
 * `@engram/sdm/node` exports the same-named plugin that also registers the
 * `split-fmnist` experiment command.
 */
import { definePlugin } from '@engram/core';
import { Sdmlp, sdmlpSchema } from './models/sdmlp.js';

/** The plugin object for browsers and Node (also the default export of @engram/sdm). */
export const sdmPlugin = definePlugin({
  name: 'sdm',
  version: '0.1.0',
  engram: '^0.1.0',
  description: 'Sparse Distributed Memory as a continual learner: the SDMLP with GABA-switch Top-K (Bricken et al., ICLR 2023)',
  register(ctx) {
    ctx.model('sdmlp', {
      schema: sdmlpSchema,
      example: { size: 784, hiddenSize: 32, k: 4, gabaHorizon: 100 },
      create: (config) => new Sdmlp(config),
      description: 'SDMLP: L2-normalised non-negative addresses, GABA-switch Top-K, non-negative readout; run = the forward pass layer by layer',
    });
  },
});

export default sdmPlugin;
