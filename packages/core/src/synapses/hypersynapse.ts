import * as tf from '@tensorflow/tfjs';
import type { JsonObject } from '../numerics/tensor-input.js';

/**
 * An undirected hyperedge of the energy graph: a function from the activations of
 * k >= 1 layers to an energy per sample, with trainable parameters. It may connect
 * a layer to itself (list the same layer twice).
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
  /** Trainable parameters by local name (e.g. 'W'); empty when none. */
  readonly variables: Readonly<Record<string, tf.Variable>>;
  /**
   * Optional check of the connected layer shapes (without batch), called when the
   * synapse is added to a graph; throws an EngramError on mismatch.
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
  validate?(layerShapes: readonly (readonly number[])[]): void;
}

/** Builds a {@link Hypersynapse} from an energy function and its parameters. */
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
  if (def.validate) syn.validate = def.validate;
  return syn;
}
