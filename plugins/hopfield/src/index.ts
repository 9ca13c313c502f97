/**
 * @engram/hopfield — classical, dense, modern and random-feature (DrDAM)
 * Hopfield networks for engram.
 *
 * @packageDocumentation
 */
import { definePlugin } from '@engram/core';
import { ClassicalHopfield, type ClassicalHopfieldConfig } from './classical.js';
import { DenseAssociativeMemory, type DenseAMConfig } from './dense.js';
import { ModernHopfield, type ModernHopfieldConfig } from './modern.js';
import { DrDAM, type DrDAMConfig } from './drdam.js';
import { Hopfield } from './layers/hopfield.js';
import { HopfieldPooling } from './layers/pooling.js';
import { HopfieldLayer } from './layers/lookup-layer.js';
import type { HopfieldModuleConfig } from './layers/base.js';

export { ClassicalHopfield, type ClassicalHopfieldConfig, type ClassicalRunOptions, type ClassicalUpdateMode, type ClassicalRule } from './classical.js';
export { DenseAssociativeMemory, type DenseAMConfig, type DenseRunOptions } from './dense.js';
export { separation, type Separation, type SeparationKind, type SeparationSpec } from './separation.js';
export { ModernHopfield, type ModernHopfieldConfig, type ModernRunOptions } from './modern.js';
export { DenseRetriever, denseRetrieval, denseRetrievalFlops, type DenseRetrievalOptions, type DenseRetrieverOptions } from './dense-retrieval.js';
export { DrDAM, drdamExactEnergy, type DrDAMConfig } from './drdam.js';
export { FEATURE_MAP_KINDS, featureLength, type FeatureMapKind } from './feature-maps.js';
export { Hopfield, type HopfieldInput } from './layers/hopfield.js';
export { HopfieldPooling, type PoolingResult } from './layers/pooling.js';
export { HopfieldLayer } from './layers/lookup-layer.js';
export { HopfieldModuleBase, type HopfieldModuleConfig, type ResolvedHopfieldConfig } from './layers/base.js';
export { type Association } from './layers/associate.js';
export { imageCompletion, type ImageCompletionOptions, type ImageCompletionResult, type CompletionRow, type CompletionFrames, type CompletionModel } from './completion.js';
export { STATE_LAYER, type HopfieldRunOptions } from './run-options.js';

/** The engram plugin object: registers the Hopfield models under 'hopfield/...'. */
const plugin = definePlugin({
  name: 'hopfield',
  version: '0.1.0',
  engram: '^0.1.0',
  description: 'Classical, dense, modern and random-feature (DrDAM) Hopfield networks',
  register(ctx) {
    ctx.model('classical', (config) => new ClassicalHopfield(config as unknown as ClassicalHopfieldConfig), 'Classical binary Hopfield network (Hebbian / pseudo-inverse)');
    ctx.model('dense', (config) => new DenseAssociativeMemory(config as unknown as DenseAMConfig), 'Dense associative memory (Krotov-Hopfield / Demircigil)');
    ctx.model('modern', (config) => new ModernHopfield(config as unknown as ModernHopfieldConfig), 'Modern continuous Hopfield network (Ramsauer et al.)');
    ctx.model('drdam', (config) => new DrDAM(config as unknown as DrDAMConfig), 'Random-feature dense associative memory (DrDAM, Hoover et al.)');
    const mod = (c: unknown) => c as HopfieldModuleConfig;
    ctx.model('association', (c) => new Hopfield(mod(c)), 'Trainable Hopfield association module (hopfield-layers Hopfield)');
    ctx.model('pooling', (c) => new HopfieldPooling(mod(c)), 'Hopfield pooling with learned queries (hopfield-layers HopfieldPooling)');
    ctx.model('layer', (c) => new HopfieldLayer(mod(c)), 'Hopfield layer with learned stored patterns (hopfield-layers HopfieldLayer)');
  },
});

export default plugin;
