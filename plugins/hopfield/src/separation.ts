/**
 * Separation (interaction) functions F of the dense associative memory,
 * E = -sum_mu F(xi_mu . s): polynomial x^n, rectified polynomial max(x, 0)^n
 * (Krotov & Hopfield 2016) and exponential (Demircigil et al. 2017).
 */
import * as tf from '@tensorflow/tfjs';
import { errors, type JsonObject } from '@engram/core';
import { checkOneOf, checkPositive, checkPositiveInt } from './internal/validate.js';

/** Which F: 'power' x^n, 'rectified-power' max(x,0)^n, 'exp' exp(beta (x - N)). */
export type SeparationKind = 'power' | 'rectified-power' | 'exp';

/** A separation function as JSON-able settings. */
export interface SeparationSpec {
  kind: SeparationKind;
  /** Exponent n of the power kinds (default 3; an integer >= 1 for 'power'). */
  n?: number;
  /** Inverse temperature of 'exp' (default 1). */
  beta?: number;
}

/** A validated separation function with host and tensor forms. */
export interface Separation {
  readonly spec: Required<SeparationSpec>;
  /** F on a host number. */
  host(x: number): number;
  /** F elementwise on a tensor (new tensor). */
  tensor(x: tf.Tensor): tf.Tensor;
  /** JSON form. */
  toJson(): JsonObject;
}

/**
 * Builds a separation function. For 'exp', F(x) = exp(beta (x - size)): the
 * shift by the largest possible overlap (size N for ±1 patterns) is a positive
 * factor exp(-beta N) on the energy, which changes no update and keeps the
 * float32 energy finite.
 */
export function separation(spec: SeparationSpec, size: number): Separation {
  if (!spec || typeof spec !== 'object') throw errors.invalidArgument('separation', "an object such as { kind: 'power', n: 3 }", spec);
  const kind = checkOneOf('separation.kind', spec.kind, ['power', 'rectified-power', 'exp'] as const);
  const n = kind === 'power' ? checkPositiveInt('separation.n', spec.n ?? 3) : checkPositive('separation.n', spec.n ?? 3);
  const beta = checkPositive('separation.beta', spec.beta ?? 1);
  const full = { kind, n, beta };
  let host: (x: number) => number;
  let tensor: (x: tf.Tensor) => tf.Tensor;
  if (kind === 'exp') {
    host = (x) => Math.exp(beta * (x - size));
    tensor = (x) => tf.tidy(() => tf.exp(tf.mul(tf.sub(x, size), beta)));
  } else if (kind === 'power') {
    host = n === 2 ? (x) => x * x : n === 3 ? (x) => x * x * x : (x) => x ** n;
    // Repeated products: exact for negative bases, unlike some pow kernels.
    tensor = (x) =>
      tf.tidy(() => {
        let y = x;
        for (let k = 1; k < n; k++) y = tf.mul(y, x);
        return n === 1 ? x.clone() : y;
      });
  } else {
    host = (x) => (x > 0 ? x ** n : 0);
    tensor = (x) => tf.tidy(() => tf.pow(tf.relu(x), n));
  }
  return { spec: full, host, tensor, toJson: () => ({ ...full }) };
}
