/**
 * ClAM's assignment dynamics as a core DynamicsSystem: explicit energy
 * descent x <- x - dt dE/dx = x + dt sum_mu softmax_mu(...) (rho_mu - x) on
 * the prototype synapse. A mask m (1 = evolves) is core's clamp (1 = held)
 * of 1 - m, applied by the engine or by `integrate`, so the masked update
 * x <- x + dt m * (...) of the paper is the same step with held entries.
 */
import * as tf from '@tensorflow/tfjs';
import type { DynamicsSystem, EnergyTerms, Hypersynapse, State } from '@engram/core';
import { prototypeGradient } from './prototype-synapse.js';

/** The name of the state's one layer. */
export const CLAM_LAYER = 'x';
/** The name of the energy term (the synapse). */
export const CLAM_TERM = 'prototypes';

/** Options of {@link clamSystem}. */
export interface ClamSystemOptions {
  /** Report the energy of each step (default true; training turns it off to save work). */
  energy?: boolean;
  /** Also report the energy tree's one term (default true). */
  energyTree?: boolean;
}

/**
 * Energy descent on the prototype synapse. With `energy: false` the step
 * computes only the gradient, with ||rho||^2/2 computed once when the system
 * is made (the cheap path that training unrolls; call `dispose` after use); otherwise the synapse's closed-form
 * `energyAndGradient` gives both in one pass.
 */
export function clamSystem(synapse: Hypersynapse, beta: number, options: ClamSystemOptions = {}): DynamicsSystem & { dispose(): void } {
  const withEnergy = options.energy ?? true;
  const tree = options.energyTree ?? true;
  const patterns = synapse.variables['patterns'] as tf.Variable;
  // Computed once, in the caller's scope (inside a training tape it is part of the graph).
  let halfNorms: tf.Tensor1D | undefined = withEnergy ? undefined : tf.tidy(() => tf.mul(tf.sum(tf.square(patterns), 1), 0.5) as tf.Tensor1D);
  const energyOf = (state: State): EnergyTerms =>
    tf.tidy(() => {
      const total = synapse.energy([state[CLAM_LAYER]!]);
      return tree ? { total, terms: { [CLAM_TERM]: total.clone() } } : { total };
    });
  return {
    step: (state, ctx) => {
      const x = state[CLAM_LAYER]! as tf.Tensor2D;
      if (!withEnergy) {
        const h = halfNorms!;
        return { next: { [CLAM_LAYER]: tf.tidy(() => tf.sub(x, tf.mul(prototypeGradient(x, patterns as unknown as tf.Tensor2D, beta, h), ctx.dt))) } };
      }
      return tf.tidy(() => {
        const { energy, gradients } = synapse.energyAndGradient!([x]);
        const next = { [CLAM_LAYER]: tf.sub(x, tf.mul(gradients[0]!, ctx.dt)) };
        return { next, energy: tree ? { total: energy, terms: { [CLAM_TERM]: energy.clone() } } : { total: energy } };
      });
    },
    energy: energyOf,
    dispose: () => {
      halfNorms?.dispose();
      halfNorms = undefined;
    },
  };
}
