/**
 * The model protocol's face of an energy graph: the 'core/graph' kind. Build it
 * in code (addLayer / addSynapse), run energy descent as a stream, integrate
 * it unrolled for training, save and load it. Energy questions go to its
 * {@link EnergyGraph}; dynamics to dynamics/.
 */
import * as tf from '@tensorflow/tfjs';
import { randomNormal } from '../numerics/random.js';
import { z } from 'zod';
import { ErrorCodes, EngramError } from '../errors/index.js';
import { datasetBatches, isArrayDataset, type ArrayBatch } from '../dataset.js';
import { descentStep, descentSystem, type DescentOptions } from '../dynamics/descent.js';
import { integrate, type IntegrateOptions } from '../dynamics/integrate.js';
import type { DynamicsSystem, StepResult } from '../dynamics/system.js';
import type { EnergyTerms } from '../energy-terms.js';
import { EnergyGraph, type Connection, type EnergyGradientOptions } from '../graph/energy-graph.js';
import type { NeuronLayer, NeuronLayerSpec } from '../graph/neuron-layer.js';
import type { JsonObject } from '../numerics/tensor-input.js';
import type { Hypersynapse } from '../synapses/hypersynapse.js';
import type { State } from '../state.js';
import type { GenerateOptions } from './model.js';
import { ModelBase } from './model-base.js';
import { readState } from './read-state.js';
import { runOptionsSchema, type RunOptions, type StateInput } from './run-options.js';
import { trainingSettingsSchema, type TrainingFace } from './training.js';

/** Settings of a core graph's completion training (see {@link EnergyModel.training}). */
export const graphTrainingSchema = trainingSettingsSchema.extend({
  limit: z.number().int().min(1).default(256).describe('training samples'),
  lr: z.number().positive().default(0.01).describe('learning rate'),
  clipNorm: z.number().positive().default(10).describe('clip the global gradient norm to this'),
  data: z.string().optional().describe("data set id (default 'data/fashion-mnist' for a 784-unit first layer, else 'data/gaussian-patterns')"),
  steps: z.number().int().min(1).default(5).describe('unrolled descent steps'),
  dt: z.number().positive().default(0.5).describe('step size of the unrolled descent'),
  hidden: z.number().gt(0).lt(1).default(0.5).describe('fraction of the first layer hidden (its last entries: the bottom half of an image)'),
});

type GraphTraining = z.output<typeof graphTrainingSchema>;

/** Run options of an energy graph: core's, plus whether to compute the energy tree. */
const graphRunSchema = runOptionsSchema;

/**
 * An energy graph as a model (kind 'core/graph'). Its state is one tensor per
 * layer; `run` streams energy descent tau dx/dt = -dE/dg; layers missing from
 * `initial` start at zeros.
 *
 * @example
 * const model = new EnergyModel()
 *   .addLayer('x', { shape: [784], lagrangian: lagrangians.identity() })
 *   .addSynapse('memory', memorySynapse({ memories: 64, size: 784, patterns }), ['x']);
 * model.run({ initial: { x: query }, clamp: { x: visible }, dt: 0.1 }).subscribe(s => console.log(s.energy));
 */
export class EnergyModel extends ModelBase<JsonObject> {
  readonly kind: string = 'core/graph';
  override readonly runSchema = graphRunSchema;
  /** The graph: layers, synapses and their energies. */
  readonly graph = new EnergyGraph();

  /** Adds a neuron layer. Names are unique across layers and synapses. */
  addLayer(name: string, spec: NeuronLayerSpec): this {
    this.assertAlive();
    this.graph.addLayer(name, spec);
    return this;
  }

  /** Adds a hypersynapse; with `layers`, also connects it there (see {@link EnergyGraph.addSynapse}). */
  addSynapse(name: string, synapse: Hypersynapse, layers?: readonly string[]): this {
    this.assertAlive();
    this.graph.addSynapse(name, synapse, layers);
    return this;
  }

  /** Connects an added synapse (again) on `layers`: weight sharing (see {@link EnergyGraph.connect}). */
  connect(synapse: string, layers: readonly string[], name?: string): this {
    this.assertAlive();
    this.graph.connect(synapse, layers, name);
    return this;
  }

  /** The named layer. */
  layer(name: string): NeuronLayer {
    return this.graph.layer(name);
  }

  /** Layers in insertion order. */
  get layers(): readonly NeuronLayer[] {
    return this.graph.layers;
  }

  /** Synapse connections in insertion order. */
  get connections(): readonly Connection[] {
    return this.graph.connections;
  }

  /** Activations g = dL/dx of every layer. */
  activations(state: State): State {
    this.assertAlive();
    return this.graph.activations(state);
  }

  /** Every energy term per sample (layers' Legendre energies and synapse energies), by name, and the total. */
  energy(state: StateInput): EnergyTerms {
    this.assertAlive();
    const x = readState(state, this.layers, 'state');
    try {
      this.graph.checkState(x);
      return this.graph.energy(x);
    } finally {
      for (const t of Object.values(x)) t.dispose();
    }
  }

  /** dE/dg per layer and the synapse energies, in one pass (see {@link EnergyGraph.energyGradient}). */
  energyGradient(state: State, g?: State, options?: EnergyGradientOptions): { dEdg: State; synapseEnergy: Record<string, tf.Tensor1D> } {
    this.assertAlive();
    return this.graph.energyGradient(state, g, options);
  }

  /** Applies `steps` descent updates synchronously (differentiable, for training); see {@link integrate}. */
  integrate(initial: State, options: IntegrateOptions): State {
    this.assertAlive();
    this.graph.checkState(initial, 'initial');
    return integrate(descentSystem(this.graph, { energyTree: false }), initial, options);
  }

  /** One explicit Euler step of the descent (see {@link descentStep}); for tests and custom loops. */
  descentStep(state: State, dt: number, options: DescentOptions = {}): StepResult {
    this.assertAlive();
    return descentStep(this.graph, state, dt, options);
  }

  /** A zero state, or seeded normal noise with `std` in every layer (layer i uses seed + i). */
  protected override generateState(batch: number, options: GenerateOptions): State {
    const state: State = {};
    this.layers.forEach((l, i) => {
      const shape = [batch, ...l.shape];
      state[l.name] = options.std ? randomNormal(shape, 0, options.std, (options.seed ?? 0) + i) : tf.zeros(shape);
    });
    return state;
  }

  protected dynamics(options: RunOptions, initial: State): DynamicsSystem {
    this.graph.checkState(initial, 'initial');
    return descentSystem(this.graph, { energyTree: options.energyTree ?? true });
  }

  /** Every parameter: synapse parameters as 'synapse/param', Lagrangian parameters as 'layer/param'. */
  variables(): Record<string, tf.Variable> {
    return this.graph.variables();
  }

  /** The graph's structure and hyper-parameters as JSON (weights excluded). */
  getConfig(): JsonObject {
    return this.graph.getConfig();
  }

  protected override release(): void {
    this.graph.dispose();
  }

  /**
   * Completion training: the first layer holds a sample with its last `hidden`
   * fraction of entries hidden; the visible entries are clamped, the descent is
   * unrolled `steps` times, and the loss is the squared error on the hidden
   * entries, back-propagated through the unrolled dynamics.
   */
  override readonly training: TrainingFace<ArrayBatch, GraphTraining> = {
    schema: graphTrainingSchema,
    data: async (s, engram) => {
      const first = this.layers[0];
      if (!first) throw new EngramError(ErrorCodes.INVALID_ARGUMENT, 'a core graph needs at least one layer to train', {});
      const size = first.size;
      const id = s.data ?? (size === 784 ? 'data/fashion-mnist' : 'data/gaussian-patterns');
      const options: JsonObject = id === 'data/fashion-mnist' ? { limit: s.limit } : id === 'data/gaussian-patterns' ? { count: s.limit, size, seed: s.seed } : {};
      const set = await engram.dataset(id, options);
      if (!isArrayDataset(set) || set.shape.reduce((a, b) => a * b, 1) !== size) {
        throw new EngramError(ErrorCodes.INVALID_ARGUMENT, `data set '${id}' does not give samples of ${size} values for the first layer '${first.name}'`, { id, size });
      }
      return datasetBatches(set, { batchSize: s.batchSize, seed: s.seed, limit: s.limit });
    },
    loss: ({ x }, s) => {
      const first = this.layers[0]!;
      const size = first.size;
      const keep = Math.round(size * (1 - s.hidden));
      return tf.tidy(() => {
        const visible = tf.concat([tf.ones([keep]), tf.zeros([size - keep])]).reshape([1, ...first.shape]);
        const target = x.reshape([x.shape[0]!, ...first.shape]);
        const initial = this.initialState({ [first.name]: tf.mul(target, visible) });
        const final = this.integrate(initial, { steps: s.steps, dt: s.dt, clamp: { [first.name]: visible } });
        const err = tf.mul(tf.square(tf.sub(final[first.name]!, target)), tf.sub(1, visible));
        return tf.div(tf.sum(err), x.shape[0]! * (size - keep)) as tf.Scalar;
      });
    },
  };
}
