import { errors } from '../errors/index.js';
import type { JsonObject, JsonValue } from '../numerics/tensor-input.js';
import type { Engram } from '../plugins/engram.js';
import { EnergyModel } from './energy-model.js';

const isObject = (v: JsonValue | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Rebuilds an {@link EnergyModel} from `getConfig()` output, resolving Lagrangian
 * and synapse kinds through the engram registry (so kinds from plugins work).
 */
export function graphFromConfig(config: JsonObject, engram: Engram): EnergyModel {
  const layers = config['layers'];
  const synapses = config['synapses'] ?? [];
  if (!Array.isArray(layers) || !Array.isArray(synapses)) {
    throw errors.invalidArgument('graph config', "an object with 'layers' and 'synapses' arrays", config);
  }
  const model = new EnergyModel();
  try {
    for (const l of layers) {
      if (!isObject(l) || typeof l['name'] !== 'string' || !Array.isArray(l['shape']) || !isObject(l['lagrangian'])) {
        throw errors.invalidArgument('layer entry of graph config', '{ name, shape, lagrangian: { kind, params } }', l);
      }
      const lag = l['lagrangian'];
      const lagrangian = engram.lagrangian(String(lag['kind']), isObject(lag['params']) ? lag['params'] : {});
      const spec: { shape: number[]; lagrangian: typeof lagrangian; tau?: number } = { shape: l['shape'] as number[], lagrangian };
      if (typeof l['tau'] === 'number') spec.tau = l['tau'];
      model.addLayer(l['name'], spec);
    }
    for (const s of synapses) {
      if (!isObject(s) || typeof s['name'] !== 'string' || typeof s['kind'] !== 'string' || !Array.isArray(s['layers'])) {
        throw errors.invalidArgument('synapse entry of graph config', '{ name, kind, layers, config }', s);
      }
      const syn = engram.synapse(s['kind'], isObject(s['config']) ? s['config'] : {});
      try {
        model.addSynapse(s['name'], syn, s['layers'] as string[]);
      } catch (err) {
        syn.dispose();
        throw err;
      }
    }
  } catch (err) {
    model.dispose();
    throw err;
  }
  return model;
}
