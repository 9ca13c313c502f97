/**
 * Descent of a token layer on a core energy graph, in the Energy Transformer's
 * form or in core's.
 *
 * Core's `descentSystem` is HAMUX descent, tau dx/dt = -dE/dg with dE/dg =
 * x + dE_syn/dg: the layer's Legendre term pulls x towards 0 (a leak), and the
 * total energy, Legendre term included, is what falls. The ET paper's update
 * has no leak, x <- x - dt dE_syn/dg (eq. 6), and E_syn = E_ATT + E_HN is what
 * falls (dE_syn/dt = -(dE/dg)^T (d^2 L/dx^2) (dE/dg) <= 0). With a layer norm
 * the leak moves x only along directions LN ignores (its scale and mean), but
 * it does change the trajectory, so the ET form is the default and `leak: true`
 * gives core's descent unchanged. Both take dE/dg from the graph's one pass
 * (the synapses' closed forms); the ET form drops the Legendre part x.
 */
import * as tf from '@tensorflow/tfjs';
import { descentSystem, disposeEnergy, ops, type DynamicsSystem, type EnergyGraph, type EnergyTerms, type State } from '@engram/core';

/** Options of {@link tokenDescentSystem}. */
export interface TokenDescentOptions {
  /** Core's HAMUX descent with the Legendre pull (true), or the ET update (false). */
  leak: boolean;
  /** Report each energy term (default true). */
  energyTree?: boolean;
  /**
   * Report the energy with each step (default true); false for unrolled descents
   * that discard it (a stream would then ask `energy()` for it separately).
   */
  report?: boolean;
}

/** Synapse energies only (the ET form's Lyapunov function): the layer terms are left out of the total. */
function withoutLayerTerms(graph: EnergyGraph, e: EnergyTerms): EnergyTerms {
  const names = graph.connections.map((c) => c.name);
  const total = tf.addN(names.map((n) => e.terms![n]!)) as tf.Tensor1D;
  e.total.dispose();
  return { total, terms: e.terms! };
}

/**
 * Descent of the graph's one token layer as a DynamicsSystem (for core's
 * engine and `integrate`). With `leak` it is core's `descentSystem`.
 */
export function tokenDescentSystem(graph: EnergyGraph, options: TokenDescentOptions): DynamicsSystem {
  const energyTree = options.energyTree ?? true;
  const report = options.report ?? true;
  if (options.leak) {
    const core = descentSystem(graph, { energyTree });
    if (report) return core;
    return {
      step: (state, ctx) => {
        const r = core.step(state, ctx);
        if (r.energy) disposeEnergy(r.energy);
        return { next: r.next };
      },
      energy: (state) => core.energy!(state),
    };
  }
  const layer = graph.layers[0]!;
  const name = layer.name;
  const rate = 1 / layer.tau;
  return {
    step: (state, ctx) =>
      tf.tidy(() => {
        const x = state[name]!;
        // The ET update uses dE_syn/dg alone (without the Legendre part x).
        const { dEdg, synapseEnergy } = graph.energyGradient(state, graph.activations(state), { legendre: false });
        // x - dt rate dE/dg as one pass (ops.axpby: one native kernel) instead of a Multiply and a Sub.
        const next: State = { [name]: ops.axpby(1, x, -ctx.dt * rate, dEdg[name]!) };
        if (!report) return { next };
        const total = tf.addN(Object.values(synapseEnergy)) as tf.Tensor1D;
        if (!energyTree) return { next, energy: { total } };
        return { next, energy: { total, terms: { [name]: layer.lagrangian.energy(x), ...synapseEnergy } } };
      }),
    energy: (state) => withoutLayerTerms(graph, graph.energy(state)),
  };
}

/** The energy a token descent reports for a state: the graph's, without the layer term in the total unless `leak`. */
export function tokenEnergy(graph: EnergyGraph, state: State, leak: boolean): EnergyTerms {
  const e = graph.energy(state);
  return leak ? e : withoutLayerTerms(graph, e);
}
