/**
 * engram's built-in Lagrangians: factories taking options objects with defaults
 * (`lagrangians.softmax({ beta: 2 })`), their schemas (`lagrangianSchemas`), and
 * both keyed by local name for the registry (the core plugin registers them as
 * 'core/<name>'). Bad parameters throw ENGRAM_ERR_INVALID_CONFIG.
 */
import { exp, identity, relu, repu, sigmoid, tanh } from './elementwise.js';
import { layernorm } from './layernorm.js';
import { softmax } from './softmax.js';
import { spherical } from './spherical.js';

export { defineLagrangian, type Lagrangian, type LagrangianDefinition } from './lagrangian.js';
export type { BetaOptions, RepuOptions } from './elementwise.js';
export type { SoftmaxOptions } from './softmax.js';
export type { LayerNormOptions } from './layernorm.js';
export type { SphericalOptions } from './spherical.js';
export { lagrangianSchemas } from './schemas.js';

/** Factories of the built-in Lagrangians (see each one for its L and activation). */
export const lagrangians = {
  identity,
  relu,
  repu,
  exp,
  tanh,
  sigmoid,
  softmax,
  layernorm,
  spherical,
} as const;
