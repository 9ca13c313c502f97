/**
 * @engram/energy-transformer — the Energy Transformer (Hoover et al., NeurIPS
 * 2023) on engram: its energy attention and Hopfield module as synapse kinds of
 * the core energy graph, one ET block composed of them on core's layer norm,
 * and the image-completion and graph anomaly-detection models and experiments.
 * This entry imports no Node built-in, so it bundles for browsers; the image
 * experiment (checkpoints and PNGs on disk), the `et-train` and `et-graph`
 * commands and a plugin of the same name that registers them are in
 * `@engram/energy-transformer/node`. (Bench workloads:
 * '@engram/energy-transformer/bench'.)
 *
 * @packageDocumentation
 */
import type { EnergyTransformerBlock } from './models/block.js';
import type { BlockOptions } from './models/block-schema.js';
import type { GraphEnergyTransformer } from './models/graph.js';
import type { GraphOptions } from './models/graph-schema.js';
import type { ImageEnergyTransformer } from './models/image.js';
import type { ImageOptions } from './models/image-schema.js';

export { energyTransformerPlugin, energyTransformerPlugin as default } from './plugin.js';

// Synapse kinds for any core energy graph.
export { attentionSynapse, resolveAttentionConfig, ATTENTION_KIND, type AttentionConfig, type AttentionSynapseOptions } from './synapses/attention.js';
export { hopfieldSynapse, resolveHopfieldConfig, HOPFIELD_KIND, type HopfieldConfig, type HopfieldSynapseOptions } from './synapses/hopfield.js';
export { attentionSynapseSchema, hopfieldSynapseSchema, DEFAULT_HOPFIELD_SEPARATION } from './synapses/schemas.js';

// Models.
export { EnergyTransformerBlock, BLOCK_KIND, TOKENS, blockRunSchema, type BlockRunKeys, type EvolveOptions, type TokenEnergies } from './models/block.js';
export { blockSchema, type BlockOptions, type BlockConfig } from './models/block-schema.js';
export { ImageEnergyTransformer, IMAGE_KIND, IMAGE, HIDDEN, type ImageConfig, type HiddenPatchModel } from './models/image.js';
export { imageSchema, imageBlockSchema, imageTrainingSchema, type ImageOptions, type ImageTrainingSettings } from './models/image-schema.js';
export { type HiddenPatchBatch, hiddenPatchBatches, fashionMnistImages } from './models/image-data.js';
export { PatchCodec, type PatchCodecVariables } from './models/patch-codec.js';
export { type PatchGeometry, patchGeometry, patchify, unpatchify, randomHiddenPatches, hiddenPatchMse } from './models/patches.js';
export { GraphEnergyTransformer, GRAPH_KIND, FEATURES, ENCODINGS, graphRunSchema, type GraphConfig, type GraphInput, type GraphRunKeys } from './models/graph.js';
export { graphSchema, graphBlockSchema, graphTrainingSchema, type GraphOptions, type GraphTrainingSettings } from './models/graph-schema.js';
export { graphTrainingSet, weightedBce, type GraphBatch, type GraphTensors, type GraphTrainingSet } from './models/graph-data.js';

// The block as a tf.layers layer (registered for tf.io serialization on import).
export { EnergyTransformerLayer, energyTransformerLayerSchema, type EnergyTransformerLayerArgs, type EnergyTransformerLayerOptions, type EtLayerArgs } from './layers/block.js';

// Graph data.
export { type AnomalyGraphOptions, type AnomalyGraph, anomalyGraph, defaultAnomalies, degrees } from './data/anomaly-graph.js';
export { type GraphInputArrays, anomalyGraphInputs, standardize, standardizeColumns } from './data/graph-inputs.js';
export { normalizedLaplacian, laplacianPositionalEncoding } from './data/laplacian.js';

// Experiments.
export { type TransformerBaselineOptions, TransformerEncoderBaseline, matchedMlpHidden, meanTrainingPatch } from './experiments/transformer-baseline.js';
export { type GraphExperimentOptions, type GraphExperimentResult, runGraphExperiment } from './experiments/graph-anomaly.js';
export { degreeFeatureHeuristic, neighbourhoodHeuristic } from './experiments/heuristics.js';
export { rocAuc } from './experiments/roc.js';

declare module '@engram/core' {
  interface ModelKinds {
    'energy-transformer/block': { config: BlockOptions; model: EnergyTransformerBlock };
    'energy-transformer/image': { config: ImageOptions; model: ImageEnergyTransformer };
    'energy-transformer/graph': { config: GraphOptions; model: GraphEnergyTransformer };
  }
}
