/**
 * Softmax Lagrangian (HAMUX `lagr_softmax`): L = (1/beta) logsumexp(beta x) along
 * one axis, summed over the other axes of the layer; g = softmax(beta x) along that axis.
 */
import * as tf from '@tensorflow/tfjs';
import { invalidArgument } from '../errors/factories.js';
import { logSumExp, softmax as softmaxOp, sumPerSample } from '../numerics/ops.js';
import { defineLagrangian, type Lagrangian } from './lagrangian.js';
import { parseConfig } from '../schema/parse-config.js';
import { softmaxSchema } from './schemas.js';

/** Options of {@link softmax}. */
export interface SoftmaxOptions {
  /** Inverse temperature beta > 0; default 1. */
  beta?: number;
  /**
   * Axis of the softmax, counted over the layer's own shape (without the batch
   * axis); negative counts from the end. Default -1 (the last axis).
   */
  axis?: number;
}

/** Maps a layer axis (no batch axis) to an axis of the batched tensor x. */
function batchedAxis(axis: number, rank: number): number {
  const a = axis < 0 ? rank + axis : axis + 1;
  if (a < 1 || a >= rank) {
    throw invalidArgument('core/softmax axis', `an axis of the layer shape [${rank - 1} dims], i.e. in [${-(rank - 1)}, ${rank - 2}]`, axis);
  }
  return a;
}

/** Softmax activation over `axis` with inverse temperature `beta`. */
export function softmax(options: SoftmaxOptions = {}): Lagrangian {
  const { beta, axis } = parseConfig(softmaxSchema, options, 'core/softmax', 'params');
  return defineLagrangian({
    kind: 'core/softmax',
    params: { beta, axis },
    lagrangian: (x) => tf.div(sumPerSample(logSumExp(tf.mul(x, beta), batchedAxis(axis, x.rank))), beta) as tf.Tensor1D,
    activation: (x) => softmaxOp(tf.mul(x, beta), batchedAxis(axis, x.rank)),
  });
}
