/**
 * The 'clam' plugin for any platform: the 'clam/clam' model kind, its synapse
 * and the generated data set 'clam/blobs'. `@engram/clam/node` exports the
 * same-named plugin that also registers the shipped data sets (read from the
 * package's data/ folder) and the `engram clam` command.
 */
import { definePlugin } from '@engram/core';
import { registerGeneratedDatasets } from './datasets/registry.js';
import { ClamModel } from './models/clam-model.js';
import { clamConfigSchema } from './models/clam-schema.js';
import { prototypeSynapse, prototypeSynapseSchema } from './models/prototype-synapse.js';

/** The plugin object for browsers and Node (default export of @engram/clam). */
export const clamPlugin = definePlugin({
  name: 'clam',
  version: '0.1.0',
  engram: '^0.1.0',
  description: 'ClAM: end-to-end differentiable clustering with associative memories (Saha, Krotov, Zaki & Ram, ICML 2023)',
  register(ctx) {
    ctx.synapse('prototypes', {
      schema: prototypeSynapseSchema,
      create: (config) => prototypeSynapse(config),
      description: 'E(x) = -(1/beta) log sum_mu exp(-(beta/2)||x - rho_mu||^2), prototypes as the variable patterns',
    });
    ctx.model('clam', {
      schema: clamConfigSchema,
      example: { size: 2, memories: 3, beta: 1.5 },
      create: (config) => new ClamModel(config),
      description: 'ClAM: prototypes, assignment dynamics x <- x + dt sum_mu softmax(...)(rho_mu - x), mask-and-complete training',
    });
    registerGeneratedDatasets(ctx);
  },
});

export default clamPlugin;
