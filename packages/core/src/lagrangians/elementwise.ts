/**
 * Elementwise Lagrangians, HAMUX conventions (bhoov/hamux, lagrangians): L is a sum
 * over every entry of the layer of a convex scalar function, and the activation is
 * its derivative applied entrywise.
 */
import * as tf from '@tensorflow/tfjs';
import { logCosh, sumPerSample } from '../numerics/ops.js';
import { defineLagrangian, type Lagrangian } from './lagrangian.js';
import { parseConfig } from '../schema/parse-config.js';
import { betaSchema, noParamsSchema, repuSchema } from './schemas.js';

/** Options of the Lagrangians with an inverse temperature. */
export interface BetaOptions {
  /** Inverse temperature beta > 0; default 1. */
  beta?: number;
}

/** Options of {@link repu}. */
export interface RepuOptions {
  /** Degree n of the Lagrangian, an integer >= 2; default 2 (which is {@link relu}). */
  n?: number;
}

/** Identity: L = sum x^2 / 2, g = x. */
export function identity(options: Record<string, never> = {}): Lagrangian {
  parseConfig(noParamsSchema, options, 'core/identity', 'params');
  return defineLagrangian({
    kind: 'core/identity',
    params: {},
    lagrangian: (x) => tf.mul(0.5, sumPerSample(tf.square(x))) as tf.Tensor1D,
    activation: (x) => tf.clone(x),
    // <x, x> - |x|^2/2 = |x|^2/2: one pass instead of three.
    energy: (x) => tf.mul(0.5, sumPerSample(tf.square(x))) as tf.Tensor1D,
  });
}

/**
 * Rectified power unit of degree n (HAMUX `lagr_repu`): L = sum relu(x)^n / n,
 * g = relu(x)^(n-1). n = 2 gives the ReLU activation; n = 3 the rectified
 * square of dense associative memories.
 */
export function repu(options: RepuOptions = {}): Lagrangian {
  const { n } = parseConfig(repuSchema, options, 'core/repu', 'params');
  return defineLagrangian({
    kind: 'core/repu',
    params: { n },
    lagrangian: (x) => tf.div(sumPerSample(tf.pow(tf.relu(x), n)), n) as tf.Tensor1D,
    activation: (x) => (n === 2 ? tf.relu(x) : tf.pow(tf.relu(x), n - 1)),
    // <x, relu(x)^(n-1)> = sum relu(x)^n, so the Legendre energy is (n - 1) L.
    energy: (x) => tf.mul(sumPerSample(tf.pow(tf.relu(x), n)), (n - 1) / n) as tf.Tensor1D,
  });
}

/** ReLU activation (HAMUX `lagr_relu`, repu of degree 2): L = sum relu(x)^2 / 2, g = relu(x). */
export function relu(options: Record<string, never> = {}): Lagrangian {
  parseConfig(noParamsSchema, options, 'core/relu', 'params');
  return defineLagrangian({
    kind: 'core/relu',
    params: {},
    lagrangian: (x) => tf.mul(0.5, sumPerSample(tf.square(tf.relu(x)))) as tf.Tensor1D,
    activation: (x) => tf.relu(x),
    // <x, relu(x)> - relu(x)^2/2 = relu(x)^2/2 = L.
    energy: (x) => tf.mul(0.5, sumPerSample(tf.square(tf.relu(x)))) as tf.Tensor1D,
  });
}

/** Exponential (HAMUX `lagr_exp`): L = sum exp(beta x) / beta, g = exp(beta x). */
export function exp(options: BetaOptions = {}): Lagrangian {
  const { beta } = parseConfig(betaSchema, options, 'core/exp', 'params');
  return defineLagrangian({
    kind: 'core/exp',
    params: { beta },
    lagrangian: (x) => tf.div(sumPerSample(tf.exp(tf.mul(x, beta))), beta) as tf.Tensor1D,
    activation: (x) => tf.exp(tf.mul(x, beta)),
  });
}

/** Tanh (HAMUX `lagr_tanh`): L = sum log(cosh(beta x)) / beta (computed stably), g = tanh(beta x). */
export function tanh(options: BetaOptions = {}): Lagrangian {
  const { beta } = parseConfig(betaSchema, options, 'core/tanh', 'params');
  return defineLagrangian({
    kind: 'core/tanh',
    params: { beta },
    lagrangian: (x) => tf.div(sumPerSample(logCosh(tf.mul(x, beta))), beta) as tf.Tensor1D,
    activation: (x) => tf.tanh(tf.mul(x, beta)),
  });
}

/** Sigmoid (HAMUX `lagr_sigmoid` with scale 1): L = sum softplus(beta x) / beta, g = sigmoid(beta x). */
export function sigmoid(options: BetaOptions = {}): Lagrangian {
  const { beta } = parseConfig(betaSchema, options, 'core/sigmoid', 'params');
  return defineLagrangian({
    kind: 'core/sigmoid',
    params: { beta },
    lagrangian: (x) => tf.div(sumPerSample(tf.softplus(tf.mul(x, beta))), beta) as tf.Tensor1D,
    activation: (x) => tf.sigmoid(tf.mul(x, beta)),
  });
}
