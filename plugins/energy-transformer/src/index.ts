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
import { etLayerNormLagrangian } from './layernorm.js';

export { type EtBlockOptions, type EtBlockConfig, type HopfieldKind, type GradientMode, resolveBlockConfig } from './config.js';
export { etLayerNorm, etLayerNormEnergy, etLayerNormLagrangian, etLayerNormLagrangianValue } from './layernorm.js';
export {
  type EtEnergyWeights,
  type EtEnergyTerms,
  type FusedWeights,
  type EtForwardResult,
  MASKED_LOGIT,
  etEnergyReference,
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
    ctx.lagrangian('layernorm', (params: JsonObject) => etLayerNormLagrangian(params as { gamma?: number; delta?: number; eps?: number }), 'ET LayerNorm Lagrangian (scalar gamma, shift delta)');
  },
});

export default plugin;
