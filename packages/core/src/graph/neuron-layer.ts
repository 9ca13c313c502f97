import type { Lagrangian } from '../lagrangians/lagrangian.js';
import { errors } from '../errors/index.js';

/** How a layer is declared in {@link EnergyModel.addLayer}. */
export interface NeuronLayerSpec {
  /** Shape of one sample's state, without the batch axis. */
  shape: readonly number[];
  /** The layer's convex Lagrangian; its gradient is the activation. */
  lagrangian: Lagrangian;
  /** Time constant tau of tau dx/dt = -dE/dg (default 1). */
  tau?: number;
}

/** A named neuron layer of the energy graph. */
export class NeuronLayer {
  readonly shape: readonly number[];
  readonly lagrangian: Lagrangian;
  readonly tau: number;
  /** Number of neurons per sample. */
  readonly size: number;

  constructor(readonly name: string, spec: NeuronLayerSpec) {
    if (!Array.isArray(spec.shape) || spec.shape.length === 0 || spec.shape.some((d) => !Number.isInteger(d) || d <= 0)) {
      throw errors.invalidArgument(`shape of layer '${name}'`, 'a non-empty array of positive integers', spec.shape);
    }
    const tau = spec.tau ?? 1;
    if (!Number.isFinite(tau) || tau <= 0) throw errors.invalidArgument(`tau of layer '${name}'`, 'a positive number', tau);
    this.shape = [...spec.shape];
    this.lagrangian = spec.lagrangian;
    this.tau = tau;
    this.size = this.shape.reduce((a, b) => a * b, 1);
  }
}
