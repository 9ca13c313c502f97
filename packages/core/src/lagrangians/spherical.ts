/**
 * Spherical Lagrangian (HAMUX `lagr_spherical_norm`), over the last axis of the
 * layer (summed over the others):
 *   L = gamma sqrt(||x||^2 + eps),   g = gamma x / sqrt(||x||^2 + eps).
 * eps > 0 smooths the cone at x = 0 so that L is differentiable (twice) everywhere
 * and g is defined at 0; ||g|| -> gamma when ||x||^2 >> eps.
 */
import * as tf from '@tensorflow/tfjs';
import { shapeMismatch } from '../errors/factories.js';
import { sumPerSample } from '../numerics/ops.js';
import { defineLagrangian, type Lagrangian } from './lagrangian.js';
import { parseConfig } from '../schema/parse-config.js';
import { sphericalSchema } from './schemas.js';

/** Options of {@link spherical}. */
export interface SphericalOptions {
  /** Radius gamma > 0 the activation tends to; default 1. */
  gamma?: number;
  /** Smoothing added to ||x||^2, > 0; default 1e-5. */
  eps?: number;
}

/** Projection onto the sphere of radius gamma over the last axis, as an energy-model activation. */
export function spherical(options: SphericalOptions = {}): Lagrangian {
  const kind = 'core/spherical';
  const { gamma, eps } = parseConfig(sphericalSchema, options, kind, 'params');
  const norm = (x: tf.Tensor): tf.Tensor => {
    if (x.rank < 2) throw shapeMismatch(`${kind} state`, ['batch', 'D'], x.shape);
    return tf.sqrt(tf.add(tf.sum(tf.square(x), -1, true), eps));
  };
  return defineLagrangian({
    kind,
    params: { gamma, eps },
    lagrangian: (x) => tf.mul(gamma, sumPerSample(norm(x))) as tf.Tensor1D,
    activation: (x) => tf.mul(tf.div(x, norm(x)), gamma),
  });
}
