import { lagrangians, lagrangianSchemas } from '../lagrangians/index.js';
import type { Lagrangian } from '../lagrangians/lagrangian.js';
import { graphConfigSchema, graphFromConfig } from '../model/graph-from-config.js';
import { biasSynapse } from '../synapses/bias.js';
import { denseSynapse } from '../synapses/dense.js';
import { memorySynapse } from '../synapses/memory.js';
import { biasSynapseSchema, denseSynapseSchema, memorySynapseSchema } from '../synapses/schemas.js';
import { definePlugin, type EngramPlugin } from './plugin.js';

/**
 * The core's own contributions, registered through the same plugin mechanism as
 * every other plugin: Lagrangians 'core/<name>', synapses 'core/dense',
 * 'core/bias', 'core/memory', and the model 'core/graph' (an EnergyModel).
 */
export function corePlugin(coreVersion: string): EngramPlugin {
  return definePlugin({
    name: 'core',
    version: coreVersion,
    engram: coreVersion,
    description: 'Built-in Lagrangians, synapses and the energy graph',
    register(ctx) {
      for (const name of Object.keys(lagrangianSchemas) as (keyof typeof lagrangianSchemas)[]) {
        const factory = lagrangians[name] as (params: object) => Lagrangian;
        ctx.lagrangian(name, { schema: lagrangianSchemas[name], create: (p) => factory(p), description: `Lagrangian ${name}` });
      }
      ctx.synapse('dense', { schema: denseSynapseSchema, create: (c) => denseSynapse(c), description: 'dense bilinear synapse E = -g1^T W g2' });
      ctx.synapse('bias', { schema: biasSynapseSchema, create: (c) => biasSynapse(c), description: 'bias E = -b . g' });
      ctx.synapse('memory', {
        schema: memorySynapseSchema,
        create: (c) => memorySynapse(c),
        description: 'memory synapse: -(1/beta) lse(beta Xi g), or -sum F(Xi g) for the power and exp separations',
      });
      ctx.model('graph', {
        schema: graphConfigSchema,
        example: {
          layers: [{ name: 'x', shape: [8], lagrangian: { kind: 'core/identity' } }],
          synapses: [{ name: 'memory', kind: 'core/memory', layers: ['x'], config: { memories: 4, size: 8, beta: 2 } }],
        },
        create: (config, engram) => graphFromConfig(config, engram),
        description: 'an energy graph of layers and hypersynapses',
      });
    },
  });
}
