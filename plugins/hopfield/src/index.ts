/**
 * @engram/hopfield — classical, dense, modern and random-feature (DrDAM)
 * Hopfield networks, and the hopfield-layers modules, as engram models built
 * from core parts (and one synapse kind of its own, 'hopfield/drdam'); the
 * hopfield-layers modules also as tf.layers layers (HopfieldAttentionLayer,
 * HopfieldPoolingLayer, HopfieldLookupLayer) for tf.sequential / tf.model,
 * model.fit and tf.io.
 *
 * @packageDocumentation
 */
import type { ClassicalHopfield, ClassicalHopfieldConfig } from './models/classical.js';
import type { DenseAMConfig, DenseAssociativeMemory } from './models/dense.js';
import type { ModernHopfield, ModernHopfieldConfig } from './models/modern.js';
import type { DrDAM, DrDAMConfig } from './models/drdam.js';
import type { Hopfield, HopfieldConfig } from './models/association.js';
import type { HopfieldPooling, HopfieldPoolingConfig } from './models/pooling.js';
import type { HopfieldLayer, HopfieldLayerConfig } from './models/layer.js';

export { hopfieldPlugin, hopfieldPlugin as default } from './plugin.js';
export { ClassicalHopfield, classicalSchema, type ClassicalHopfieldConfig, type ClassicalRunOptions, type ClassicalRule } from './models/classical.js';
export { BinaryModel, binaryRunSchema, type BinaryRunKeys, type BinaryRunOptions, type BinaryUpdateMode, type Sweep } from './models/binary-model.js';
export { STATE_LAYER } from './internal/single-layer.js';
export { DenseAssociativeMemory, denseSchema, denseSeparationSchema, type DenseAMConfig, type DenseRunOptions } from './models/dense.js';
export { ModernHopfield, modernSchema, modernRunSchema, type ModernHopfieldConfig, type ModernRunOptions, type ModernRunKeys } from './models/modern.js';
export { DrDAM, drdamSchema, type DrDAMConfig, type DrDAMRunOptions } from './models/drdam.js';
export { drdamSynapse, drdamSynapseSchema, drdamExactEnergy, type DrdamSynapse, type DrdamSynapseOptions } from './synapses/drdam.js';
export { FEATURE_MAP_KINDS, featureLength, type FeatureMapKind } from './synapses/feature-maps.js';
export { DenseRetriever, denseRetrieval, denseRetrievalFlops, denseRetrieverSchema, type DenseRetrievalOptions, type DenseRetrieverOptions } from './retrieval/dense-retriever.js';
export { Hopfield, associationSchema, type HopfieldConfig, type HopfieldInput } from './models/association.js';
export { HopfieldPooling, poolingSchema, type HopfieldPoolingConfig, type PoolingResult } from './models/pooling.js';
export { HopfieldLayer, layerSchema, type HopfieldLayerConfig } from './models/layer.js';
export { HopfieldModuleBase, STATE_PATTERNS, STORED_PATTERNS } from './models/module-base.js';
export type { ModuleSettings } from './models/module-config.js';
export {
  HopfieldAttentionLayer,
  HopfieldPoolingLayer,
  HopfieldLookupLayer,
  HopfieldLayerBase,
  attentionLayerSchema,
  poolingLayerSchema,
  lookupLayerSchema,
  layerShape,
  type HopfieldAttentionLayerArgs,
  type HopfieldAttentionLayerOptions,
  type HopfieldPoolingLayerArgs,
  type HopfieldPoolingLayerOptions,
  type HopfieldLookupLayerArgs,
  type HopfieldLookupLayerOptions,
  type LayerArgs,
  type LayerKwargs,
  type LayerOptions,
  type LayerSettings,
} from './layers/index.js';
export type { Association } from './internal/layers/associate.js';
export type { ModuleTraining } from './internal/layers/tasks.js';
export {
  imageCompletion,
  imageCompletionSchema,
  type ImageCompletionOptions,
  type ImageCompletionResult,
  type CompletionRow,
  type CompletionFrames,
  type CompletionModel,
} from './experiments/completion.js';
export { poolingFitComparison, poolingFitSchema, type PoolingFitOptions, type PoolingFitResult } from './experiments/pooling-fit.js';
export { acceptanceNumbers, flipBits, logLogSlope, type AcceptanceOptions } from './experiments/acceptance.js';

declare module '@engram/core' {
  interface ModelKinds {
    'hopfield/classical': { config: ClassicalHopfieldConfig; model: ClassicalHopfield };
    'hopfield/dense': { config: DenseAMConfig; model: DenseAssociativeMemory };
    'hopfield/modern': { config: ModernHopfieldConfig; model: ModernHopfield };
    'hopfield/drdam': { config: DrDAMConfig; model: DrDAM };
    'hopfield/association': { config: HopfieldConfig; model: Hopfield };
    'hopfield/pooling': { config: HopfieldPoolingConfig; model: HopfieldPooling };
    'hopfield/layer': { config: HopfieldLayerConfig; model: HopfieldLayer };
  }
}
