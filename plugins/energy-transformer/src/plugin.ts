/**
 * The plugin object for any platform: synapse kinds 'energy-transformer/attention'
 * and 'energy-transformer/hopfield' (for any core energy graph) and model kinds
 * 'energy-transformer/block', '/image' and '/graph'. `@engram/energy-transformer/node`
 * exports the same-named plugin that also registers the commands `et-train`
 * and `et-graph`.
 */
import { definePlugin, type EngramPlugin } from '@engram/core';
import { EnergyTransformerBlock } from './models/block.js';
import { blockSchema } from './models/block-schema.js';
import { GraphEnergyTransformer } from './models/graph.js';
import { graphSchema } from './models/graph-schema.js';
import { ImageEnergyTransformer } from './models/image.js';
import { imageSchema } from './models/image-schema.js';
import { attentionSynapse } from './synapses/attention.js';
import { hopfieldSynapse } from './synapses/hopfield.js';
import { attentionSynapseSchema, hopfieldSynapseSchema } from './synapses/schemas.js';

/** The Energy Transformer plugin (name 'energy-transformer', the package name without its scope). */
export const energyTransformerPlugin: EngramPlugin = definePlugin({
  name: 'energy-transformer',
  version: '0.1.0',
  engram: '^0.1.0',
  description: 'Energy Transformer (Hoover et al. 2023): attention and Hopfield synapses, the ET block, image completion and graph anomaly detection',
  register(ctx) {
    ctx.synapse('attention', {
      schema: attentionSynapseSchema,
      create: (c) => attentionSynapse(c),
      description: 'ET energy attention on a token layer [tokens, size]: -(1/beta) sum_h sum_C log sum_B exp(beta K_hB . Q_hC)',
    });
    ctx.synapse('hopfield', {
      schema: hopfieldSynapseSchema,
      create: (c) => hopfieldSynapse(c),
      description: 'ET Hopfield module per token on a token layer [tokens, size]: -(1/2) sum ReLU(xi . g)^2 or -(1/beta) sum lse(beta xi . g)',
    });
    ctx.model('block', {
      schema: blockSchema,
      example: { tokens: 6, size: 8, heads: 2, memories: 16, attentionStd: 0.1, hopfieldStd: 0.1 },
      create: (c) => new EnergyTransformerBlock(c),
      description: 'one Energy Transformer block on tokens [tokens, size]: core layernorm + ET attention + ET Hopfield, descent',
    });
    ctx.model('image', {
      schema: imageSchema,
      example: { block: { size: 8, heads: 2, memories: 16, maxSteps: 3 } },
      create: (c) => new ImageEnergyTransformer(c),
      description: 'image ET: patches, CLS and hidden-patch tokens, positions, an ET block, a decoder (hidden-patch completion)',
    });
    ctx.model('graph', {
      schema: graphSchema,
      example: { features: 4, nodes: 40, encodingSize: 3, block: { size: 8, heads: 2, memories: 16, maxSteps: 3 } },
      create: (c) => new GraphEnergyTransformer(c),
      description: 'graph ET: node tokens from features and Laplacian encodings, attention on the edges, a node anomaly readout',
    });
  },
});

export default energyTransformerPlugin;
