import * as tf from '@tensorflow/tfjs';
import { invalidArgument } from '../errors/factories.js';
import { dotPerSample } from '../numerics/ops.js';
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
  /**
   * Closed-form Legendre energy <x, g> - L(x) per sample, where a cheaper
   * formula exists (identity: |x|^2 / 2 = L); it must equal the Legendre form.
   * Default: the Legendre form.
   */
  energy?(x: tf.Tensor): tf.Tensor1D;
  variables?: Record<string, tf.Variable>;
}

/**
 * Builds a Lagrangian from its L(x). The activation falls back to autodiff of L
 * when no closed form is given, and the energy is always the Legendre form
 * <x, g> - L(x) per sample. Every method is tidy: it returns one new tensor that
 * the caller owns, and works inside gradient tapes (at second order too).
 */
export function defineLagrangian(def: LagrangianDefinition): Lagrangian {
  if (typeof def.kind !== 'string' || def.kind.length === 0) throw invalidArgument('Lagrangian kind', "a non-empty id such as 'core/relu'", def.kind);
  const lagrangian = (x: tf.Tensor): tf.Tensor1D => tf.tidy(() => def.lagrangian(x));
  const closedForm = def.activation;
  const closedEnergy = def.energy;
  const activation = closedForm
    ? (x: tf.Tensor): tf.Tensor => tf.tidy(() => closedForm(x))
    : (x: tf.Tensor): tf.Tensor => tf.tidy(() => tf.grad((z: tf.Tensor) => tf.sum(def.lagrangian(z)))(x));
  return {
    kind: def.kind,
    params: def.params ?? {},
    variables: def.variables ?? {},
    lagrangian,
    activation,
    energy: closedEnergy
      ? (x) => tf.tidy(() => closedEnergy(x))
      : (x) => tf.tidy(() => tf.sub(dotPerSample(x, activation(x)), def.lagrangian(x)) as tf.Tensor1D),
  };
}
