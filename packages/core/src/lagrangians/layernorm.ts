/**
 * Layer-norm Lagrangian (HAMUX `lagr_layernorm`, Energy Transformer), over the last
 * axis of the layer (and summed over the others, e.g. over tokens):
 *   L = D gamma sqrt(var(x) + eps) + sum(delta x),
 *   g = gamma (x - mean(x)) / sqrt(var(x) + eps) + delta,
 * with D the size of the last axis and var the biased variance. Convex for gamma >= 0.
 */
import * as tf from '@tensorflow/tfjs';
import { shapeMismatch } from '../errors/factories.js';
import { EngramError, ErrorCodes } from '../errors/index.js';
import { layerNorm, layerNormStats, sumPerSample } from '../numerics/ops.js';
import { defineLagrangian, type Lagrangian } from './lagrangian.js';
import { parseConfig } from '../schema/parse-config.js';
import type { JsonObject } from '../numerics/tensor-input.js';
import { layernormSchema } from './schemas.js';

/** Options of {@link layernorm}. */
export interface LayerNormOptions {
  /** Scale gamma > 0 of the normalised state; default 1. */
  gamma?: number;
  /** Shift delta: a number, or one value per entry of the last axis; default 0. */
  delta?: number | readonly number[];
  /** Added to the variance, > 0; default 1e-5. */
  eps?: number;
  /** When set, a scalar delta is expanded to a vector of this size (the last axis). */
  size?: number;
  /** Make gamma and delta trainable tf.Variables, exposed as `variables.gamma` / `variables.delta`; default false. */
  trainable?: boolean;
}

/** Layer normalisation over the last axis, as an energy-model activation. */
export function layernorm(options: LayerNormOptions = {}): Lagrangian {
  const kind = 'core/layernorm';
  const { gamma, eps, trainable, size, delta: givenDelta } = parseConfig(layernormSchema, options, kind, 'params');
  let delta: number | number[] = givenDelta;
  if (Array.isArray(delta) && size !== undefined && delta.length !== size) {
    throw new EngramError(ErrorCodes.INVALID_CONFIG, `params key 'delta' of ${kind} must be a number or ${size} numbers (size), got ${delta.length} numbers`, {
      owner: kind,
      key: 'delta',
    });
  }
  if (typeof delta === 'number' && size !== undefined) delta = new Array<number>(size).fill(delta);
  const deltaSize = Array.isArray(delta) ? delta.length : undefined;

  const variables: Record<string, tf.Variable> = {};
  if (trainable) {
    // In a tidy: tf.variable keeps its own reference, the initial values are freed.
    tf.tidy(() => {
      variables['gamma'] = tf.variable(tf.scalar(gamma), true);
      variables['delta'] = tf.variable(Array.isArray(delta) ? tf.tensor1d(delta) : tf.scalar(delta), true);
    });
  }
  const constDelta = delta;
  const gammaOf = (): tf.Tensor | number => variables['gamma'] ?? gamma;
  const deltaOf = (x: tf.Tensor): tf.Tensor | number => {
    const d = x.shape[x.rank - 1] as number;
    if (deltaSize !== undefined && deltaSize !== d) throw shapeMismatch(`${kind} state (last axis vs delta)`, ['batch', '...', deltaSize], x.shape);
    return variables['delta'] ?? (Array.isArray(constDelta) ? tf.tensor1d(constDelta) : constDelta);
  };
  const checkRank = (x: tf.Tensor): void => {
    if (x.rank < 2) throw shapeMismatch(`${kind} state`, ['batch', 'D'], x.shape);
  };
  const stats = (x: tf.Tensor): { centered: tf.Tensor; std: tf.Tensor } => layerNormStats(x, eps);
  return defineLagrangian({
    kind,
    params: { gamma, delta: givenDelta, eps, ...(size !== undefined ? { size } : {}), trainable } as JsonObject,
    variables,
    lagrangian: (x) => {
      checkRank(x);
      const D = x.shape[x.rank - 1] as number;
      const { std } = stats(x);
      return tf.add(tf.mul(tf.mul(gammaOf(), D), sumPerSample(std)), sumPerSample(tf.mul(deltaOf(x), x))) as tf.Tensor1D;
    },
    activation: (x) => {
      checkRank(x);
      // ops.layerNorm: one fused kernel on the native path, the same formula otherwise.
      return tf.add(tf.mul(gammaOf(), layerNorm(x, undefined, undefined, eps)), deltaOf(x));
    },
  });
}
