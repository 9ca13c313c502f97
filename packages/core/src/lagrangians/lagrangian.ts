import * as tf from '@tensorflow/tfjs';
import type { JsonObject } from '../numerics/tensor-input.js';

/**
 * A convex scalar function L(x) of a neuron layer's state. Its gradient
 * g = dL/dx is the layer's activation, and the layer's own energy is the
 * Legendre term E = <x, g> - L(x).
 *
 * All methods take a batched state `x` of shape [batch, ...layerShape] and
 * treat the first axis as the batch.
 */
export interface Lagrangian {
  /** Registered id, e.g. 'core/softmax'. */
  readonly kind: string;
  /** Hyper-parameters as JSON, enough to rebuild it through the registry. */
  readonly params: JsonObject;
  /** L(x) per sample: [batch, ...] -> [batch]. */
  lagrangian(x: tf.Tensor): tf.Tensor1D;
  /** g = dL/dx, same shape as x (closed form where one exists). */
  activation(x: tf.Tensor): tf.Tensor;
  /** Legendre energy <x, g> - L(x) per sample: [batch]. */
  energy(x: tf.Tensor): tf.Tensor1D;
  /** Trainable parameters (e.g. layernorm gamma/delta), keyed by local name; empty when none. */
  readonly variables: Readonly<Record<string, tf.Variable>>;
}

/** What {@link defineLagrangian} needs: L(x), and optionally a closed-form activation. */
export interface LagrangianDefinition {
  kind: string;
  params?: JsonObject;
  /** L(x) per sample: [batch, ...] -> [batch]. */
  lagrangian(x: tf.Tensor): tf.Tensor1D;
  /** Closed-form dL/dx; autodiff of `lagrangian` is used when absent. */
  activation?(x: tf.Tensor): tf.Tensor;
  variables?: Record<string, tf.Variable>;
}

/** Builds a Lagrangian from its L(x); the activation falls back to autodiff and the energy to the Legendre form. */
export function defineLagrangian(def: LagrangianDefinition): Lagrangian {
  const activation =
    def.activation ??
    ((x: tf.Tensor): tf.Tensor => tf.grad((z: tf.Tensor) => def.lagrangian(z).sum())(x));
  return {
    kind: def.kind,
    params: def.params ?? {},
    variables: def.variables ?? {},
    lagrangian: (x) => def.lagrangian(x),
    activation,
    energy: (x) =>
      tf.tidy(() => {
        const g = activation(x);
        const axes = x.shape.map((_, i) => i).slice(1);
        const xg = axes.length > 0 ? tf.sum(tf.mul(x, g), axes) : tf.mul(x, g);
        return tf.sub(xg, def.lagrangian(x)) as tf.Tensor1D;
      }),
  };
}
