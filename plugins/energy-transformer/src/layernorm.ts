/**
 * The Energy Transformer's LayerNorm as a Lagrangian (over the last axis, per token):
 *   L(x) = D gamma sqrt(var(x) + eps) + sum_i delta_i x_i,
 *   g = dL/dx = gamma (x - mean x) / sqrt(var(x) + eps) + delta,
 * with a scalar gamma (so L stays convex: its Hessian is gamma times a PSD matrix)
 * and a vector delta. The layer's Legendre energy <x, g> - L equals
 * -gamma D eps / sqrt(var + eps) per token: O(eps), reported in the energy tree.
 */
import * as tf from '@tensorflow/tfjs';
import { defineLagrangian, errors, type Lagrangian } from '@engram/core';

/** g = LN(x) over the last axis with scalar `gamma` and vector `delta`; differentiable at any order. */
export function etLayerNorm(x: tf.Tensor, gamma: tf.Tensor | number, delta: tf.Tensor | number, eps: number): tf.Tensor {
  return tf.tidy(() => {
    const centered = tf.sub(x, tf.mean(x, -1, true));
    const std = tf.sqrt(tf.add(tf.mean(tf.square(centered), -1, true), eps));
    return tf.add(tf.mul(gamma, tf.div(centered, std)), delta);
  });
}

/** L(x) summed over tokens, per sample: [B, ..., D] -> [B]. */
export function etLayerNormLagrangianValue(x: tf.Tensor, gamma: tf.Tensor | number, delta: tf.Tensor | number, eps: number): tf.Tensor1D {
  return tf.tidy(() => {
    const D = x.shape[x.rank - 1] as number;
    const centered = tf.sub(x, tf.mean(x, -1, true));
    const std = tf.sqrt(tf.add(tf.mean(tf.square(centered), -1, true), eps));
    const perToken = tf.add(tf.mul(tf.mul(gamma, D), std), tf.sum(tf.mul(delta, x), -1, true));
    return tf.sum(tf.reshape(perToken, [x.shape[0] as number, -1]), 1) as tf.Tensor1D;
  });
}

/** Legendre energy <x, g> - L(x) per sample, from x and its activation g. */
export function etLayerNormEnergy(x: tf.Tensor, g: tf.Tensor, gamma: tf.Tensor | number, delta: tf.Tensor | number, eps: number): tf.Tensor1D {
  return tf.tidy(() => {
    const B = x.shape[0] as number;
    const xg = tf.sum(tf.reshape(tf.mul(x, g), [B, -1]), 1);
    return tf.sub(xg, etLayerNormLagrangianValue(x, gamma, delta, eps)) as tf.Tensor1D;
  });
}

/**
 * The ET LayerNorm as an engram Lagrangian ('et/layernorm'), with constant gamma and
 * delta, so it can be used in any core EnergyModel layer.
 */
export function etLayerNormLagrangian(params: { gamma?: number; delta?: number; eps?: number } = {}): Lagrangian {
  const gamma = params.gamma ?? 1;
  const delta = params.delta ?? 0;
  const eps = params.eps ?? 1e-5;
  if (!(gamma > 0)) throw errors.invalidArgument('et/layernorm gamma', 'a positive number', params.gamma);
  if (!(eps > 0)) throw errors.invalidArgument('et/layernorm eps', 'a positive number', params.eps);
  if (!Number.isFinite(delta)) throw errors.invalidArgument('et/layernorm delta', 'a finite number', params.delta);
  return defineLagrangian({
    kind: 'et/layernorm',
    params: { gamma, delta, eps },
    lagrangian: (x) => etLayerNormLagrangianValue(x, gamma, delta, eps),
    activation: (x) => etLayerNorm(x, gamma, delta, eps),
  });
}
