/**
 * @engram/hopfield — classical, dense, modern and random-feature (DrDAM)
 * Hopfield networks for engram.
 *
 * @packageDocumentation
 */
import { definePlugin } from '@engram/core';
import { ClassicalHopfield, type ClassicalHopfieldConfig } from './classical.js';

export { ClassicalHopfield, type ClassicalHopfieldConfig, type ClassicalRunOptions, type ClassicalUpdateMode, type ClassicalRule } from './classical.js';
export { STATE_LAYER, type HopfieldRunOptions } from './run-options.js';

/** The engram plugin object: registers the Hopfield models under 'hopfield/...'. */
const plugin = definePlugin({
  name: 'hopfield',
  version: '0.1.0',
  engram: '^0.1.0',
  description: 'Classical, dense, modern and random-feature (DrDAM) Hopfield networks',
  register(ctx) {
    ctx.model('classical', (config) => new ClassicalHopfield(config as unknown as ClassicalHopfieldConfig), 'Classical binary Hopfield network (Hebbian / pseudo-inverse)');
  },
});

export default plugin;
