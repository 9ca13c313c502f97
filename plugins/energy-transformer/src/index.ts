/**
 * @engram/energy-transformer — the Energy Transformer (Hoover et al., NeurIPS 2023)
 * on engram: one energy block whose tokens evolve by descent on an engineered
 * energy (energy attention + Hopfield module on LayerNorm activations), for image
 * completion and graph anomaly detection.
 *
 * @packageDocumentation
 */
import { definePlugin, type JsonObject } from '@engram/core';
import { EnergyTransformerBlock } from './block.js';
export { type PatchGeometry, patchGeometry, patchify, unpatchify, randomPatchMasks } from './image/patches.js';
export { type PatchCodecVariables, PatchCodec, maskedPatchMse } from './image/codec.js';
export { type MaskedPatchModel, type ImageEtOptions, type ImageCompletionStep, ImageEnergyTransformer } from './image/image-model.js';
export { type TransformerBaselineOptions, TransformerEncoderBaseline, matchedMlpHidden, meanTrainingPatch } from './image/transformer-baseline.js';
export { type ImageExperimentOptions, type ImageExperimentResult, runImageExperiment } from './image/experiment.js';
export { ET_TRAIN_USAGE, etTrainCommand } from './commands/et-train.js';
export { ET_GRAPH_USAGE, etGraphCommand } from './commands/et-graph.js';
export { type SymmetricEigen, symmetricEigen, jacobiEigen } from './graph/eigen.js';
export { normalizedLaplacian, laplacianPositionalEncoding } from './graph/laplacian.js';
export { type AnomalyGraphOptions, type AnomalyGraph, anomalyGraph, degrees } from './graph/anomaly-data.js';
export { rocAuc } from './graph/roc.js';
export { type GraphEtOptions, type GraphInput, GraphEnergyTransformer, weightedBce } from './graph/graph-model.js';
export { type GraphExperimentOptions, type GraphExperimentResult, runGraphExperiment, degreeFeatureHeuristic, neighbourhoodHeuristic } from './graph/experiment.js';
export { type EtBenchOptions, type EtBenchWorkload, etInferenceWorkload, etTrainStepWorkload } from './bench.js';
import { etLayerNormLagrangian } from './layernorm.js';
import { ImageEnergyTransformer } from './image/image-model.js';
import { ET_TRAIN_USAGE, etTrainCommand } from './commands/et-train.js';
import { ET_GRAPH_USAGE, etGraphCommand } from './commands/et-graph.js';
import { GraphEnergyTransformer } from './graph/graph-model.js';

export { type EtBlockOptions, type EtBlockConfig, type HopfieldKind, type GradientMode, resolveBlockConfig } from './config.js';
export { etLayerNorm, etLayerNormEnergy, etLayerNormLagrangian, etLayerNormLagrangianValue } from './layernorm.js';
export {
  type EtEnergyWeights,
  type EtEnergyTerms,
  type FusedWeights,
  type EtForwardResult,
  MASKED_LOGIT,
  etEnergyReference,
  etTokenEnergies,
  etForward,
  prepareFused,
} from './energy.js';
export { buildLogMask } from './mask.js';
export {
  TOKEN_LAYER,
  type BlockRunOptions,
  type BlockEvolveOptions,
  type EtBlockVariables,
  EnergyTransformerBlock,
  disposeFused,
} from './block.js';

/** The plugin: models 'et/block', 'et/image', 'et/graph', the Lagrangian 'et/layernorm' and the commands. */
const plugin = definePlugin({
  name: 'et',
  version: '0.1.0',
  engram: '^0.1.0',
  description: 'Energy Transformer (Hoover et al. 2023): energy attention + Hopfield block, image completion and graph anomaly detection',
  register(ctx) {
    ctx.model('block', (config: JsonObject) => new EnergyTransformerBlock(config), 'One Energy Transformer block on tokens [B, N, D]');
    ctx.model('image', (config: JsonObject) => new ImageEnergyTransformer(config), 'Image ET: patches, CLS/MASK tokens, position embedding, ET block, decoder');
    ctx.command('et-train', (args, io, engram) => etTrainCommand(args, io, engram), {
      description: 'Train the image ET on Fashion-MNIST masked-patch completion against two baselines',
      usage: ET_TRAIN_USAGE,
    });
    ctx.model('graph', (config: JsonObject) => new GraphEnergyTransformer(config), 'Graph ET: edge-restricted attention, Laplacian positional encodings, node readout');
    ctx.command('et-graph', (args, io) => etGraphCommand(args, io), {
      description: 'Graph anomaly detection (injected cliques and contextual outliers): ET vs feature MLP vs degree/feature heuristic',
      usage: ET_GRAPH_USAGE,
    });
    ctx.lagrangian('layernorm', (params: JsonObject) => etLayerNormLagrangian(params as { gamma?: number; delta?: number; eps?: number }), 'ET LayerNorm Lagrangian (scalar gamma, shift delta)');
  },
});

export default plugin;
