/**
 * Energy descent on an energy graph: tau dx/dt = -dE/dg, one explicit Euler
 * step at a time, as a {@link DynamicsSystem} for the engine (streamed runs)
 * and for {@link integrate} (unrolled, differentiable).
 */
import * as tf from '@tensorflow/tfjs';
import type { EnergyGraph } from '../graph/energy-graph.js';
import type { State } from '../state.js';
import type { DynamicsSystem, StepResult } from './system.js';

/** Options of {@link descentSystem}. */
export interface DescentOptions {
  /** Compute each energy term separately for the energy tree (default true). */
  energyTree?: boolean;
}

/**
 * One explicit Euler step of tau dx/dt = -dE/dg with step size dt. Returns the
 * next state and the energy of the input state (computed in the same pass).
 */
export function descentStep(graph: EnergyGraph, state: State, dt: number, options: DescentOptions = {}): StepResult {
  const energyTree = options.energyTree ?? true;
  return tf.tidy(() => {
    const g = graph.activations(state);
    const { dEdg, synapseEnergy } = graph.energyGradient(state, g);
    const next: State = {};
    const terms: Record<string, tf.Tensor1D> = {};
    for (const l of graph.layers) {
      next[l.name] = tf.sub(state[l.name]!, tf.mul(dEdg[l.name]!, dt / l.tau));
      terms[l.name] = l.lagrangian.energy(state[l.name]!);
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
