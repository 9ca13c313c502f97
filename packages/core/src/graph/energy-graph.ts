import * as tf from '@tensorflow/tfjs';
import { errors, EngramError, ErrorCodes } from '../errors/index.js';
import type { Hypersynapse } from '../synapses/hypersynapse.js';
import type { JsonObject } from '../numerics/tensor-input.js';
import type { EnergyTerms } from '../energy-terms.js';
import { NeuronLayer, type NeuronLayerSpec } from './neuron-layer.js';
import type { State } from '../state.js';

/** A synapse placed in the graph, with the layers it connects (in order). */
export interface Connection {
  readonly name: string;
  readonly synapse: Hypersynapse;
  readonly layers: readonly string[];
}

/**
 * The energy graph (HAMUX style): named neuron layers, each with a Lagrangian, and
 * named hypersynapses connecting them. Total energy = sum of the layers' Legendre
 * energies + sum of the synapse energies. Energy only: the dynamics on it
 * (descent, runs, unrolled integration) live in dynamics/ as functions of a graph,
 * and the model protocol's face of a graph is {@link EnergyModel}.
 *
 * States are `Record<layerName, Tensor[batch, ...shape]>`. Methods return new
 * tensors owned by the caller and never dispose their inputs.
 */
export class EnergyGraph {
  private readonly layerMap = new Map<string, NeuronLayer>();
  private readonly connectionMap = new Map<string, Connection>();
  private disposed = false;

  /** Adds a neuron layer. Names are unique across layers and synapses. */
  addLayer(name: string, spec: NeuronLayerSpec): this {
    this.assertFreshName(name);
    this.layerMap.set(name, new NeuronLayer(name, spec));
    return this;
  }

  /** Adds a hypersynapse connecting the named layers (in the order its energy expects). */
  addSynapse(name: string, synapse: Hypersynapse, layers: readonly string[]): this {
    this.assertFreshName(name);
    if (layers.length !== synapse.arity) {
      throw errors.invalidArgument(`layers of synapse '${name}' (${synapse.kind})`, `a list of ${synapse.arity} layer name(s)`, layers);
    }
    for (const l of layers) this.layer(l);
    synapse.validate?.(layers.map((l) => this.layer(l).shape));
    this.connectionMap.set(name, { name, synapse, layers: [...layers] });
    return this;
  }

  /** The named layer; throws an UNKNOWN_KIND error listing the layers when absent. */
  layer(name: string): NeuronLayer {
    const l = this.layerMap.get(name);
    if (!l) throw errors.unknownKind('layer', name, [...this.layerMap.keys()]);
    return l;
  }

  /** Layers in insertion order. */
  get layers(): readonly NeuronLayer[] {
    return [...this.layerMap.values()];
  }

  /** Synapse connections in insertion order. */
  get connections(): readonly Connection[] {
    return [...this.connectionMap.values()];
  }

  /**
   * Checks that `state` has one finite-shaped tensor per layer with a common batch size;
   * returns the batch size.
   */
  checkState(state: State, what = 'state'): number {
    let batch = -1;
    for (const layer of this.layerMap.values()) {
      const x = state[layer.name];
      if (!x) throw errors.invalidArgument(`${what}.${layer.name}`, `a tensor of shape [batch, ${layer.shape.join(', ')}]`, 'missing');
      const tail = x.shape.slice(1);
      if (x.rank !== layer.shape.length + 1 || tail.some((d, i) => d !== layer.shape[i])) {
        throw errors.shapeMismatch(`${what}.${layer.name}`, ['batch', ...layer.shape], x.shape);
      }
      if (batch >= 0 && x.shape[0] !== batch) throw errors.shapeMismatch(`${what}.${layer.name} (batch)`, [batch], [x.shape[0]!]);
      batch = x.shape[0]!;
    }
    return batch;
  }

  /** Activations g = dL/dx of every layer. */
  activations(state: State): State {
    const out: State = {};
    for (const l of this.layerMap.values()) out[l.name] = l.lagrangian.activation(state[l.name]!);
    return out;
  }

  /** Every energy term per sample (layers' Legendre energies and synapse energies), by name, and the total. */
  energy(state: State): EnergyTerms {
    this.assertAlive();
    this.checkState(state);
    return tf.tidy(() => {
      const g = this.activations(state);
      const terms: Record<string, tf.Tensor1D> = {};
      for (const l of this.layerMap.values()) terms[l.name] = l.lagrangian.energy(state[l.name]!);
      for (const c of this.connectionMap.values()) terms[c.name] = c.synapse.energy(c.layers.map((n) => g[n]!));
      const total = tf.addN(Object.values(terms)) as tf.Tensor1D;
      return { total, terms };
    });
  }

  /**
   * dE/dg per layer: x + dE_syn/dg (the Legendre term contributes x). Also returns
   * the synapse energy per sample computed in the same pass.
   */
  energyGradient(state: State, g?: State): { dEdg: State; synapseEnergy: Record<string, tf.Tensor1D> } {
    this.assertAlive();
    return tf.tidy(() => {
      const acts = g ?? this.activations(state);
      const connected = this.layers.filter((l) => this.connections.some((c) => c.layers.includes(l.name)));
      const names = connected.map((l) => l.name);
      const perTerm: Record<string, tf.Tensor1D> = {};
      const f = (...gs: tf.Tensor[]): tf.Scalar => {
        const byName: State = {};
        names.forEach((n, i) => (byName[n] = gs[i]!));
        let sum: tf.Tensor | null = null;
        for (const c of this.connectionMap.values()) {
          const e = c.synapse.energy(c.layers.map((n) => byName[n]!));
          perTerm[c.name] = tf.keep(e);
          sum = sum ? tf.add(sum, e.sum()) : e.sum();
        }
        return (sum ?? tf.scalar(0)) as tf.Scalar;
      };
      const grads = names.length > 0 ? tf.grads(f)(names.map((n) => acts[n]!)) : [];
      // The per-term energies were kept out of tf.grads' inner tidy; hand the enclosing
      // tidy clones (cheap: they share data) and free the kept originals.
      const synapseEnergy: Record<string, tf.Tensor1D> = {};
      for (const [k, v] of Object.entries(perTerm)) {
        synapseEnergy[k] = v.clone();
        v.dispose();
      }
      const dEdg: State = {};
      for (const l of this.layerMap.values()) {
        const i = names.indexOf(l.name);
        dEdg[l.name] = i >= 0 ? tf.add(state[l.name]!, grads[i]!) : state[l.name]!.clone();
      }
      return { dEdg, synapseEnergy };
    });
  }

  /** Every trainable tensor: synapse parameters as 'synapse/param', Lagrangian parameters as 'layer/param'. */
  variables(): Record<string, tf.Variable> {
    const out: Record<string, tf.Variable> = {};
    for (const l of this.layerMap.values()) for (const [k, v] of Object.entries(l.lagrangian.variables)) out[`${l.name}/${k}`] = v;
    for (const c of this.connectionMap.values()) for (const [k, v] of Object.entries(c.synapse.variables)) out[`${c.name}/${k}`] = v;
    return out;
  }

  /** The graph's structure and hyper-parameters as JSON (weights excluded). */
  getConfig(): JsonObject {
    return {
      layers: this.layers.map((l) => ({
        name: l.name,
        shape: [...l.shape],
        tau: l.tau,
        lagrangian: { kind: l.lagrangian.kind, params: l.lagrangian.params },
      })),
      synapses: this.connections.map((c) => ({ name: c.name, kind: c.synapse.kind, layers: [...c.layers], config: c.synapse.config })),
    };
  }

  /** Frees every parameter. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const c of this.connectionMap.values()) c.synapse.dispose();
    for (const l of this.layerMap.values()) for (const v of Object.values(l.lagrangian.variables)) v.dispose();
  }

  private assertFreshName(name: string): void {
    if (typeof name !== 'string' || name.length === 0) throw errors.invalidArgument('name', 'a non-empty string', name);
    if (this.layerMap.has(name) || this.connectionMap.has(name)) {
      throw new EngramError(ErrorCodes.DUPLICATE_ID, `the graph already has a layer or synapse named '${name}': choose another name`, { name });
    }
  }

  /** Throws ENGRAM_ERR_DISPOSED after dispose(). */
  assertAlive(): void {
    if (this.disposed) throw errors.disposed('EnergyGraph');
  }
}
