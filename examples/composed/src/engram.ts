/**
 * The registry the example builds its model with: core's own kinds plus the
 * Energy Transformer plugin's synapse kinds. The model is created by id from
 * its JSON config, exactly as loadModel (and so engram run / serve) rebuilds it.
 */
import { createEngram, type Engram, type EnergyModel } from '@engram/core';
import { energyTransformerPlugin } from '@engram/energy-transformer';
import { composedConfig, type ComposedOptions } from './config.js';

/** An Engram with the plugins the composed config needs (core is always there). */
export function composedEngram(): Promise<Engram> {
  return createEngram({ plugins: [energyTransformerPlugin] });
}

/** Builds the composed 'core/graph' model through the registry. */
export function createComposedModel(engram: Engram, options: ComposedOptions = {}): Promise<EnergyModel> {
  return engram.createModel('core/graph', composedConfig(options));
}
