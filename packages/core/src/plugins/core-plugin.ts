import type { JsonObject } from '../numerics/tensor-input.js';
import { builtinLagrangians } from '../lagrangians/index.js';
import { biasSynapse } from '../synapses/bias.js';
import { denseSynapse } from '../synapses/dense.js';
import { memorySynapse, type MemorySeparation } from '../synapses/memory.js';
import { graphFromConfig } from '../graph/graph-from-config.js';
import { definePlugin, type EngramPlugin } from './plugin.js';

const num = (c: JsonObject, k: string): number | undefined => (typeof c[k] === 'number' ? (c[k] as number) : undefined);
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

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
      for (const [id, create] of Object.entries(builtinLagrangians)) ctx.lagrangian(id, create, `Lagrangian ${id}`);
      ctx.synapse(
        'dense',
        (c) => denseSynapse(defined({ inFeatures: num(c, 'inFeatures')!, outFeatures: num(c, 'outFeatures')!, std: num(c, 'std'), seed: num(c, 'seed') })),
        'dense bilinear synapse E = -g1^T W g2',
      );
      ctx.synapse('bias', (c) => biasSynapse({ features: num(c, 'features')! }), 'bias E = -b . g');
      ctx.synapse(
        'memory',
        (c) =>
          memorySynapse(
            defined({
              memories: num(c, 'memories')!,
              features: num(c, 'features')!,
              separation: c['separation'] as MemorySeparation | undefined,
              beta: num(c, 'beta'),
              n: num(c, 'n'),
              seed: num(c, 'seed'),
            }),
          ),
        'memory synapse: -(1/beta) lse(beta Xi g) or -(1/n) sum relu(Xi g)^n',
      );
      ctx.model('graph', (config, engram) => graphFromConfig(config, engram), 'an energy graph of layers and hypersynapses');
    },
  });
}
