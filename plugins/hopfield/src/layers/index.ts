/** The tf.layers Hopfield layers (each registers itself for tf.io serialization on import). */
export { HopfieldLayerBase, type LayerArgs, type LayerKwargs } from './base.js';
export { layerShape, type LayerOptions, type LayerSettings } from './config.js';
export { HopfieldAttentionLayer, attentionLayerSchema, type HopfieldAttentionLayerArgs, type HopfieldAttentionLayerOptions } from './attention.js';
export { HopfieldPoolingLayer, poolingLayerSchema, type HopfieldPoolingLayerArgs, type HopfieldPoolingLayerOptions } from './pooling.js';
export { HopfieldLookupLayer, lookupLayerSchema, type HopfieldLookupLayerArgs, type HopfieldLookupLayerOptions } from './lookup.js';
