/**
 * engram's built-in Lagrangians: factories taking options objects with defaults
 * (`lagrangians.softmax({ beta: 2 })`), and the same factories keyed by local name
 * for the registry (`builtinLagrangians.softmax(params)`; the core plugin registers
 * them as 'core/<name>'). Bad parameters throw EngramError INVALID_ARGUMENT.
 */
import type { JsonObject } from '../numerics/tensor-input.js';
import { exp, identity, relu, repu, sigmoid, tanh } from './elementwise.js';
import type { Lagrangian } from './lagrangian.js';
import { layernorm, type LayerNormOptions } from './layernorm.js';
import { softmax } from './softmax.js';
import { spherical } from './spherical.js';

export { defineLagrangian, type Lagrangian, type LagrangianDefinition } from './lagrangian.js';
export type { BetaOptions, RepuOptions } from './elementwise.js';
export type { SoftmaxOptions } from './softmax.js';
export type { LayerNormOptions } from './layernorm.js';
export type { SphericalOptions } from './spherical.js';

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

/**
 * The built-in Lagrangians keyed by local name ('identity', 'relu', 'repu', 'exp',
 * 'tanh', 'sigmoid', 'softmax', 'layernorm', 'spherical'), each building one from
 * JSON params (as found in `lagrangian.params` or a model spec). Unknown keys and
 * out-of-range values throw EngramError INVALID_ARGUMENT.
 */
export const builtinLagrangians: Readonly<Record<string, (params: JsonObject) => Lagrangian>> = {
  identity: (p) => identity(p as Record<string, never>),
  relu: (p) => relu(p as Record<string, never>),
  repu: (p) => repu(p),
  exp: (p) => exp(p),
  tanh: (p) => tanh(p),
  sigmoid: (p) => sigmoid(p),
  softmax: (p) => softmax(p),
  layernorm: (p) => layernorm(p as LayerNormOptions),
  spherical: (p) => spherical(p),
};
