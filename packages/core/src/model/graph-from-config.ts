import { z } from 'zod';
import type { JsonObject } from '../numerics/tensor-input.js';
import type { Engram } from '../plugins/engram.js';
import { EnergyModel } from './energy-model.js';

const json = z.record(z.string(), z.json());

/** The schema of a 'core/graph' config: what `EnergyModel.getConfig()` returns. */
export const graphConfigSchema = z.strictObject({
  layers: z
    .array(
      z.strictObject({
        name: z.string().min(1).describe('layer name, unique in the graph'),
        shape: z.array(z.number().int().positive()).min(1).describe('per-sample shape'),
        tau: z.number().positive().default(1).describe('time constant'),
        lagrangian: z.strictObject({ kind: z.string().describe("Lagrangian id, e.g. 'core/identity'"), params: json.default({}) }),
      }),
    )
    .min(1)
    .describe('neuron layers'),
  synapses: z
    .array(
      z.strictObject({
        name: z.string().min(1).describe('synapse name, unique in the graph'),
        kind: z.string().describe("synapse id, e.g. 'core/dense'"),
        layers: z.array(z.string()).min(1).optional().describe('shorthand: connect it once on these layers (a connection of the same name)'),
        config: json.default({}),
      }),
    )
    .default([])
    .describe('hypersynapses (parameters)'),
  connections: z
    .array(
      z.strictObject({
        name: z.string().min(1).optional().describe('connection name (its energy-tree term; default the synapse name)'),
        synapse: z.string().describe('name of the synapse it places'),
        layers: z.array(z.string()).min(1).describe('the layers it connects, in order'),
      }),
    )
    .default([])
    .describe('placements of synapses on layers; one synapse connected twice shares its weights'),
});

/** A 'core/graph' config (defaults filled in). */
export type GraphConfig = z.output<typeof graphConfigSchema>;
/** A 'core/graph' config as written. */
export type GraphConfigInput = z.input<typeof graphConfigSchema>;

/**
 * Rebuilds an {@link EnergyModel} from a parsed graph config (`getConfig()` output),
 * resolving Lagrangian and synapse kinds through the registry (so kinds from plugins work).
 */
export function graphFromConfig(config: GraphConfig, engram: Engram): EnergyModel {
  const model = new EnergyModel();
  try {
    for (const l of config.layers) {
      const lagrangian = engram.lagrangian(l.lagrangian.kind, l.lagrangian.params as JsonObject);
      model.addLayer(l.name, { shape: l.shape, lagrangian, tau: l.tau });
    }
    for (const s of config.synapses) {
      const syn = engram.synapse(s.kind, s.config as JsonObject);
      try {
        model.addSynapse(s.name, syn, s.layers);
      } catch (err) {
        syn.dispose();
        throw err;
      }
    }
    for (const c of config.connections) model.connect(c.synapse, c.layers, c.name);
  } catch (err) {
    model.dispose();
    throw err;
  }
  return model;
}
