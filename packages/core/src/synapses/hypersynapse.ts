import type * as tf from '@tensorflow/tfjs';
import type { JsonObject } from '../numerics/tensor-input.js';

/** A synapse's energy per sample and its gradient with respect to each connected activation, from one pass. */
export interface EnergyAndGradient {
  /** Energy per sample: [batch]. */
  energy: tf.Tensor1D;
  /** dE/dg_i for each connected activation, each shaped like its activation. */
  gradients: tf.Tensor[];
}

/**
 * An undirected hyperedge of the energy graph: a function from the activations of
 * k >= 1 layers to an energy per sample, with trainable parameters. It may connect
 * a layer to itself (list the same layer twice), and one synapse may be connected
 * several times in a graph (its parameters are then shared).
 */
export interface Hypersynapse {
  /** Registered id, e.g. 'core/dense'. */
  readonly kind: string;
  /** Hyper-parameters as JSON: with the weights, enough to rebuild it through the registry. */
  readonly config: JsonObject;
  /** Number of layers it connects (the length of the activation list it takes). */
  readonly arity: number;
  /**
   * Energy per sample. `activations[i]` has shape [batch, ...shape of the i-th
   * connected layer]; returns [batch].
   */
  energy(activations: readonly tf.Tensor[]): tf.Tensor1D;
  /**
   * Optional closed form of the energy and dE/dg_i in one pass. When present the
   * graph uses it instead of autodiff in descent (same values, fewer passes). It
   * must be written in differentiable tf ops, so that training through unrolled
   * steps (a gradient of this gradient) still works.
   */
  energyAndGradient?(activations: readonly tf.Tensor[]): EnergyAndGradient;
  /** Trainable parameters by local name (e.g. 'W'); empty when none. */
  readonly variables: Readonly<Record<string, tf.Variable>>;
  /**
   * Optional check of the connected layer shapes (without batch), called when the
   * synapse is connected in a graph; throws an EngramError on mismatch.
   */
  validate?(layerShapes: readonly (readonly number[])[]): void;
  /** Frees the parameters. */
  dispose(): void;
}

/** What {@link defineSynapse} needs. */
export interface SynapseDefinition {
  kind: string;
  config?: JsonObject;
  arity: number;
  variables?: Record<string, tf.Variable>;
  energy(activations: readonly tf.Tensor[], variables: Readonly<Record<string, tf.Variable>>): tf.Tensor1D;
  /** Optional closed-form energy and dE/dg (see {@link Hypersynapse.energyAndGradient}). */
  energyAndGradient?(activations: readonly tf.Tensor[], variables: Readonly<Record<string, tf.Variable>>): EnergyAndGradient;
  validate?(layerShapes: readonly (readonly number[])[]): void;
}

/** Builds a {@link Hypersynapse} from an energy function (and optionally its closed-form gradient) and its parameters. */
export function defineSynapse(def: SynapseDefinition): Hypersynapse {
  const variables = def.variables ?? {};
  let disposed = false;
  const syn: Hypersynapse = {
    kind: def.kind,
    config: def.config ?? {},
    arity: def.arity,
    variables,
    energy: (acts) => def.energy(acts, variables),
    dispose: () => {
      if (disposed) return;
      disposed = true;
      for (const v of Object.values(variables)) v.dispose();
    },
  };
  const closed = def.energyAndGradient;
  if (closed) syn.energyAndGradient = (acts) => closed(acts, variables);
  if (def.validate) syn.validate = def.validate;
  return syn;
}

/**
 * The same synapse without its closed-form gradient: the graph then
 * differentiates its energy by autodiff. It shares the original's variables
 * (dispose one of the two, not both). For checks and benchmarks of a closed form.
 */
export function autodiffOnly(synapse: Hypersynapse): Hypersynapse {
  const out: Hypersynapse = {
    kind: synapse.kind,
    config: synapse.config,
    arity: synapse.arity,
    variables: synapse.variables,
    energy: (acts) => synapse.energy(acts),
    dispose: () => synapse.dispose(),
  };
  if (synapse.validate) out.validate = (shapes) => synapse.validate!(shapes);
  return out;
}
