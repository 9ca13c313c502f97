import * as tf from '@tensorflow/tfjs';
import { errors, EngramError, ErrorCodes } from '../errors/index.js';
import type { Hypersynapse } from '../synapses/hypersynapse.js';
import type { JsonObject } from '../numerics/tensor-input.js';
import type { EnergyTerms } from '../energy-terms.js';
import { NeuronLayer, type NeuronLayerSpec } from './neuron-layer.js';
import type { State } from '../state.js';

/** A synapse placed in the graph: which synapse, and the layers it connects (in order). */
/** Options of {@link EnergyGraph.energyGradient}. */
export interface EnergyGradientOptions {
  /** Include each layer's Legendre part x in dE/dg (default true: dE/dg = x + dE_syn/dg). */
  legendre?: boolean;
}

export interface Connection {
  /** Name of the placement (its term in the energy tree). */
  readonly name: string;
  /** Name of the synapse (its parameters are listed under this name). */
  readonly synapseName: string;
  readonly synapse: Hypersynapse;
  readonly layers: readonly string[];
}

/**
 * The energy graph (HAMUX style): named neuron layers, each with a Lagrangian;
 * named hypersynapses; and connections placing a synapse on layers. A synapse
 * may be connected several times (weight sharing: its parameters are listed,
 * saved and trained once, and gradients from every placement add up).
 * Total energy = sum of the layers' Legendre energies + sum over connections of
 * the synapse energies. Energy only: the dynamics on it (descent, runs,
 * unrolled integration) live in dynamics/ as functions of a graph, and the model
 * protocol's face of a graph is `EnergyModel`.
 *
 * States are `Record<layerName, Tensor[batch, ...shape]>`. Methods return new
 * tensors owned by the caller and never dispose their inputs.
 */
export class EnergyGraph {
  private readonly layerMap = new Map<string, NeuronLayer>();
  private readonly synapseMap = new Map<string, Hypersynapse>();
  private readonly connectionMap = new Map<string, Connection>();
  private disposed = false;

  /** Adds a neuron layer. Names are unique across layers, synapses and connections. */
  addLayer(name: string, spec: NeuronLayerSpec): this {
    this.assertAlive();
    this.assertFreshName(name);
    this.layerMap.set(name, new NeuronLayer(name, spec));
    return this;
  }

  /**
   * Adds a hypersynapse under `name`. With `layers`, also connects it there (a
   * connection of the same name): the common case of a synapse used once.
   */
  addSynapse(name: string, synapse: Hypersynapse, layers?: readonly string[]): this {
    this.assertAlive();
    this.assertFreshName(name);
    if (!synapse || typeof synapse.energy !== 'function') throw errors.invalidArgument(`synapse '${name}'`, 'a Hypersynapse (see defineSynapse)', synapse);
    if ([...this.synapseMap.values()].includes(synapse)) {
      throw new EngramError(ErrorCodes.DUPLICATE_ID, `this synapse is already in the graph under another name: connect it again with connect() to share its weights`, { name });
    }
    if (layers) this.checkPlacement(name, synapse, layers);
    this.synapseMap.set(name, synapse);
    if (layers) this.connectionMap.set(name, { name, synapseName: name, synapse, layers: [...layers] });
    return this;
  }

  /**
   * Places the synapse `synapse` (added with addSynapse) on `layers`, as the
   * connection `name` (default: the synapse name, or '<synapse>#<k>' when taken).
   * Connecting one synapse several times shares its weights.
   */
  connect(synapse: string, layers: readonly string[], name?: string): this {
    this.assertAlive();
    const syn = this.synapseMap.get(synapse);
    if (!syn) throw errors.unknownKind('synapse', synapse, [...this.synapseMap.keys()]);
    // A connection may share its synapse's name; it may not take another layer's, synapse's or connection's.
    const free = (n: string): boolean => !this.layerMap.has(n) && !this.connectionMap.has(n) && (n === synapse || !this.synapseMap.has(n));
    let conn = name ?? synapse;
    if (name === undefined) for (let k = 2; !free(conn); k++) conn = `${synapse}#${k}`;
    else if (typeof name !== 'string' || name.length === 0) throw errors.invalidArgument('connection name', 'a non-empty string', name);
    else if (!free(conn)) {
      throw new EngramError(ErrorCodes.DUPLICATE_ID, `the graph already has a layer, synapse or connection named '${conn}': choose another name`, { name: conn });
    }
    this.checkPlacement(conn, syn, layers);
    this.connectionMap.set(conn, { name: conn, synapseName: synapse, synapse: syn, layers: [...layers] });
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

  /** Synapses by name, in insertion order. */
  get synapses(): ReadonlyMap<string, Hypersynapse> {
    return this.synapseMap;
  }

  /** Connections in insertion order. */
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

  /** Every energy term per sample (layers' Legendre energies and connection energies), by name, and the total. */
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
   * each connection's energy per sample, computed in the same pass. Connections
   * whose synapse has a closed form use it; the others share one autodiff pass.
   * With `legendre: false` the x is left out: dEdg is dE_syn/dg alone (what the
   * Energy Transformer's update follows), without adding x only to subtract it.
   */
  energyGradient(state: State, g?: State, options: EnergyGradientOptions = {}): { dEdg: State; synapseEnergy: Record<string, tf.Tensor1D> } {
    const legendre = options.legendre ?? true;
    this.assertAlive();
    return tf.tidy(() => {
      const acts = g ?? this.activations(state);
      const grad: State = {};
      const addGrad = (layer: string, d: tf.Tensor): void => {
        grad[layer] = grad[layer] ? tf.add(grad[layer]!, d) : d;
      };
      const synapseEnergy: Record<string, tf.Tensor1D> = {};
      const viaAutodiff: Connection[] = [];
      for (const c of this.connectionMap.values()) {
        if (!c.synapse.energyAndGradient) {
          viaAutodiff.push(c);
          continue;
        }
        const { energy, gradients } = c.synapse.energyAndGradient(c.layers.map((n) => acts[n]!));
        synapseEnergy[c.name] = energy;
        c.layers.forEach((n, i) => addGrad(n, gradients[i]!));
      }
      if (viaAutodiff.length > 0) {
        const names = this.layers.map((l) => l.name).filter((n) => viaAutodiff.some((c) => c.layers.includes(n)));
        const perTerm: Record<string, tf.Tensor1D> = {};
        const single = viaAutodiff.length === 1;
        const xs = names.map((n) => acts[n]!);
        const batch = xs[0]!.shape[0] ?? 1;
        // f is the energy per sample, differentiated with dy = ones: the gradient of its sum without the
        // Sum forward and its three backward kernels; with one connection f's value is that term.
        const f = (...gs: tf.Tensor[]): tf.Tensor1D => {
          const byName: State = {};
          names.forEach((n, i) => (byName[n] = gs[i]!));
          let total: tf.Tensor1D | null = null;
          for (const c of viaAutodiff) {
            const e = c.synapse.energy(c.layers.map((n) => byName[n]!));
            if (e.rank !== 1 || e.shape[0] !== batch) {
              // Thrown after the pass: a throw inside it would strand the tape's saved tensors.
              // Its stand-in keeps every layer on the tape's path, so the pass completes and cleans up.
              misshapen ??= errors.shapeMismatch(`energy of connection '${c.name}' (${c.synapse.kind}), per sample`, [batch], e.shape);
              const standIn = tf.mul(tf.sum(tf.reshape(byName[c.layers[0]!]!, [batch, -1]), 1), 0) as tf.Tensor1D;
              total = total ? (tf.add(total, standIn) as tf.Tensor1D) : standIn;
              continue;
            }
            if (!single) perTerm[c.name] = tf.keep(e);
            total = total ? (tf.add(total, e) as tf.Tensor1D) : e;
          }
          return total!;
        };
        let misshapen: Error | undefined;
        let result: { value: tf.Tensor; grads: tf.Tensor[] };
        try {
          result = tf.valueAndGrads(f)(xs, tf.ones([batch]));
          if (misshapen) throw misshapen;
        } catch (e) {
          // The kept per-term energies are outside every tidy (the rest goes with the enclosing one).
          tf.dispose(Object.values(perTerm));
          throw e;
        }
        const { value, grads } = result;
        names.forEach((n, i) => addGrad(n, grads[i]!));
        if (single) synapseEnergy[viaAutodiff[0]!.name] = value as tf.Tensor1D;
        // The per-term energies were kept out of tf.grads' inner tidy; hand the enclosing
        // tidy clones (cheap: they share data) and free the kept originals.
        for (const [k, v] of Object.entries(perTerm)) {
          synapseEnergy[k] = v.clone();
          v.dispose();
        }
      }
      const dEdg: State = {};
      // Tensors the caller already owns: handed back as dE/dg (a closed form may return g itself, e.g.
      // for a quadratic energy), they must be copied. Only without the Legendre term, whose Add copies.
      const given = legendre ? undefined : new Set<tf.Tensor>([...Object.values(state), ...Object.values(acts)]);
      for (const l of this.layerMap.values()) {
        const d = grad[l.name];
        const x = state[l.name]!;
        // A reshape to the same shape is still a kernel: only where the synapse flattened the layer.
        const shaped = d && !tf.util.arraysEqual(d.shape, x.shape) ? d.reshape(x.shape) : d;
        if (legendre) dEdg[l.name] = shaped ? tf.add(x, shaped) : x.clone();
        else dEdg[l.name] = !shaped ? tf.zerosLike(x) : shaped instanceof tf.Variable || given!.has(shaped) ? shaped.clone() : shaped;
      }
      // Energy tree in connection order, whichever path computed each term.
      const ordered: Record<string, tf.Tensor1D> = {};
      for (const c of this.connectionMap.values()) ordered[c.name] = synapseEnergy[c.name]!;
      return { dEdg, synapseEnergy: ordered };
    });
  }

  /** Every parameter, once per synapse: synapse parameters as 'synapse/param', Lagrangian parameters as 'layer/param'. */
  variables(): Record<string, tf.Variable> {
    const out: Record<string, tf.Variable> = {};
    for (const l of this.layerMap.values()) for (const [k, v] of Object.entries(l.lagrangian.variables)) out[`${l.name}/${k}`] = v;
    for (const [name, s] of this.synapseMap) for (const [k, v] of Object.entries(s.variables)) out[`${name}/${k}`] = v;
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
      synapses: [...this.synapseMap].map(([name, s]) => ({ name, kind: s.kind, config: s.config })),
      connections: this.connections.map((c) => ({ name: c.name, synapse: c.synapseName, layers: [...c.layers] })),
    };
  }

  /** Frees every parameter (each synapse once). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const s of this.synapseMap.values()) s.dispose();
    for (const l of this.layerMap.values()) for (const v of Object.values(l.lagrangian.variables)) v.dispose();
  }

  /** Throws ENGRAM_ERR_DISPOSED after dispose(). */
  assertAlive(): void {
    if (this.disposed) throw errors.disposed('EnergyGraph');
  }

  private checkPlacement(name: string, synapse: Hypersynapse, layers: readonly string[]): void {
    if (!Array.isArray(layers) || layers.length !== synapse.arity) {
      throw errors.invalidArgument(`layers of connection '${name}' (${synapse.kind})`, `a list of ${synapse.arity} layer name(s)`, layers);
    }
    for (const l of layers) this.layer(l);
    synapse.validate?.(layers.map((l) => this.layer(l).shape));
  }

  private assertFreshName(name: string): void {
    if (typeof name !== 'string' || name.length === 0) throw errors.invalidArgument('name', 'a non-empty string', name);
    if (this.layerMap.has(name) || this.synapseMap.has(name) || this.connectionMap.has(name)) {
      throw new EngramError(ErrorCodes.DUPLICATE_ID, `the graph already has a layer, synapse or connection named '${name}': choose another name`, { name });
    }
  }
}
