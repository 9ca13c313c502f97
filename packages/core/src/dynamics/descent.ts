/**
 * Energy descent on an energy graph: tau dx/dt = -dE/dg, one explicit Euler
 * step at a time, as a {@link DynamicsSystem} for the engine (streamed runs)
 * and for {@link integrate} (unrolled, differentiable).
 */
import * as tf from '@tensorflow/tfjs';
import type { EnergyGraph } from '../graph/energy-graph.js';
import { axpby } from '../numerics/ops.js';
import type { State } from '../state.js';
import type { DynamicsSystem, StepResult } from './system.js';

/** Options of {@link descentSystem}. */
export interface DescentOptions {
  /** Compute each energy term separately for the energy tree (default true). */
  energyTree?: boolean;
  /**
   * Include the layers' Legendre terms in the update (default true: HAMUX's
   * tau dx/dt = -dE/dg = -(x + dE_syn/dg), whose x is a leak towards 0).
   * false follows -dE_syn/dg only, as the Energy Transformer's update does;
   * the reported energy is then the synapse energies alone.
   */
  legendre?: boolean;
}

/**
 * One explicit Euler step of tau dx/dt = -dE/dg with step size dt. Returns the
 * next state and the energy of the input state (computed in the same pass).
 */
export function descentStep(graph: EnergyGraph, state: State, dt: number, options: DescentOptions = {}): StepResult {
  const energyTree = options.energyTree ?? true;
  const legendre = options.legendre ?? true;
  return tf.tidy(() => {
    const g = graph.activations(state);
    // dE_syn/dg alone: the Legendre term's x is folded into the step below, x - c (x + d) = (1 - c) x - c d,
    // one pass over the state (ops.axpby) instead of the Add, Multiply and Sub of the unfolded form.
    const { dEdg: dSyn, synapseEnergy } = graph.energyGradient(state, g, { legendre: false });
    const next: State = {};
    const terms: Record<string, tf.Tensor1D> = {};
    for (const l of graph.layers) {
      const x = state[l.name]!;
      const c = dt / l.tau;
      next[l.name] = axpby(legendre ? 1 - c : 1, x, -c, dSyn[l.name]!);
      if (legendre) terms[l.name] = l.lagrangian.energy(x);
    }
    Object.assign(terms, synapseEnergy);
    const total = tf.addN(Object.values(terms)) as tf.Tensor1D;
    return energyTree ? { next, energy: { total, terms } } : { next, energy: { total } };
  });
}

/** Energy descent on `graph` as a {@link DynamicsSystem}. */
export function descentSystem(graph: EnergyGraph, options: DescentOptions = {}): DynamicsSystem {
  return {
    step: (state, ctx) => descentStep(graph, state, ctx.dt, options),
    energy: (state) => graph.energy(state),
  };
}
