/**
 * The plain layer normalisation (x - mean) / sqrt(var + eps) over the last
 * axis, used by the readouts (the image decoder, the graph readout, the
 * transformer baseline) before their own per-feature scale and shift. It is
 * core's layernorm Lagrangian's activation with gamma 1 and delta 0: one
 * formula for every layer norm in the plugin, the energy one included.
 */
import type * as tf from '@tensorflow/tfjs';
import { lagrangians } from '@engram/core';

const unit = lagrangians.layernorm({ gamma: 1, delta: 0, eps: 1e-5 });

/** (x - mean x) / sqrt(var x + 1e-5) over the last axis (new tensor; differentiable at any order). */
export function normalizeLastAxis(x: tf.Tensor): tf.Tensor {
  return unit.activation(x);
}
