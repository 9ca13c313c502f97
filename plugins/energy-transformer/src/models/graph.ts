/**
 * The graph Energy Transformer ('energy-transformer/graph'): node tokens =
 * linear(features) + linear(Laplacian positional encodings); an ET block's
 * descent with attention restricted to the graph's edges; a node readout (a
 * small MLP on the final activations and the node's own energy terms: per-head
 * attention energy, degree-normalised, before and after the descent; Hopfield
 * energy; how far the descent moved it), one logit per node.
 *
 * Its state has three layers: `features` [n, F] and `encodings` [n, k] (held)
 * and `tokens` [n, D] (evolved; encoded from the other two when absent). Runs
 * take the graph's edges as the run key `adjacency` ([n, n], 1 = edge; every
 * node also attends to itself unless the block excludes the diagonal).
 */
import * as tf from '@tensorflow/tfjs';
import {
  errors,
  isTensorInput,
  ModelBase,
  parseConfig,
  runOptionsSchema,
  toTensor,
  z,
  type DynamicsSystem,
  type EnergyTerms,
  type GenerateOptions,
  type RunDefaults,
  type RunOptions,
  type State,
  type StateInput,
  type StateLayer,
  type TensorInput,
  type TrainingFace,
} from '@engram/core';
import { normalizeLastAxis } from '../internal/normalize.js';
import { constantVariable, normalVariable, parameterCount } from '../internal/variables.js';
import { EnergyTransformerBlock, TOKENS } from './block.js';
import type { BlockConfig } from './block-schema.js';
import { graphTrainingSet, weightedBce, type GraphBatch } from './graph-data.js';
import { graphSchema, graphTrainingSchema, type GraphOptions, type GraphTrainingSettings } from './graph-schema.js';

/** The registered id. */
export const GRAPH_KIND = 'energy-transformer/graph';
/** State layer names. */
export const FEATURES = 'features';
export const ENCODINGS = 'encodings';

/** The graph ET's config with every default resolved. */
export type GraphConfig = {
  readonly features: number;
  readonly nodes: number;
  readonly encodingSize: number;
  readonly block: Omit<BlockConfig, 'tokens'>;
  readonly seed: number;
};

/** One graph as the model reads it. */
export interface GraphInput {
  /** Node features [n, F]. */
  features: TensorInput;
  /** Positional encodings [n, k]. */
  encodings: TensorInput;
  /** Edges [n, n] (0/1; self-loops are added). */
  adjacency: TensorInput;
}

/** Run keys of a graph ET. */
export interface GraphRunKeys {
  /** The graph's edges [n, n] or [batch, n, n] (0/1); attention is restricted to them (plus self-loops). */
  adjacency?: TensorInput;
}

const adjacencyInput = z.custom<TensorInput>((v) => isTensorInput(v), { message: 'expected a tensor or an array of 0/1 entries' });

/** Run options of a graph ET: core's, plus the graph's edges. */
export const graphRunSchema = runOptionsSchema.extend({
  adjacency: adjacencyInput.optional().describe("the graph's edges [nodes, nodes] or [batch, nodes, nodes], 1 = edge (self-loops added); default: every pair"),
});

/** The graph Energy Transformer (see the module comment). */
export class GraphEnergyTransformer extends ModelBase<GraphConfig, GraphRunKeys> {
  readonly kind: string = GRAPH_KIND;
  readonly layers: readonly StateLayer[];
  override readonly runSchema = graphRunSchema;
  protected override readonly runDefaults: RunDefaults;
  readonly block: EnergyTransformerBlock;
  /** Encoder and readout weights. */
  readonly vars: Record<string, tf.Variable>;
  private readonly options: { features: number; nodes: number; encodingSize: number; seed: number };

  constructor(options: GraphOptions) {
    super();
    const c = parseConfig(graphSchema, options, GRAPH_KIND);
    this.options = { features: c.features, nodes: c.nodes, encodingSize: c.encodingSize, seed: c.seed };
    this.block = new EnergyTransformerBlock({ ...c.block, tokens: c.nodes });
    const { size: D, heads: H } = this.block.config;
    // Start with W^Q = W^K, so that each attention logit is a similarity between a node
    // and its neighbour and a node's attention energy says how well it fits its
    // neighbourhood (trained freely afterwards).
    const bv = this.block.variables();
    bv['attention/queries']!.assign(bv['attention/keys']!);
    const R = D + 2 * H + 3;
    const s = c.seed;
    this.vars = {
      encoder: normalVariable('encoder', [c.features, D], 1 / Math.sqrt(c.features), s * 13 + 1),
      encodingWeights: normalVariable('encodingWeights', [c.encodingSize, D], 1 / Math.sqrt(c.encodingSize), s * 13 + 2),
      encoderBias: constantVariable([D], 0),
      readoutScale: constantVariable([D], 1),
      readoutShift: constantVariable([D], 0),
      hidden: normalVariable('hidden', [R, D], 1 / Math.sqrt(R), s * 13 + 3),
      hiddenBias: constantVariable([D], 0),
      readout: normalVariable('readout', [D, 1], 1 / Math.sqrt(D), s * 13 + 4),
      readoutBias: constantVariable([1], 0),
    };
    this.layers = [
      { name: FEATURES, shape: [c.nodes, c.features] },
      { name: ENCODINGS, shape: [c.nodes, c.encodingSize] },
      { name: TOKENS, shape: [c.nodes, D] },
    ];
    this.runDefaults = { maxSteps: this.block.config.maxSteps, dt: this.block.config.dt };
  }

  /** Tokens [B, n, D] of features [B, n, F] and encodings [B, n, k] (differentiable). */
  private encode(features: tf.Tensor, encodings: tf.Tensor): tf.Tensor3D {
    return tf.tidy(() => {
      const [B, n] = features.shape as [number, number];
      const D = this.block.config.size;
      const f = tf.matMul(tf.reshape(features, [B * n, -1]), this.vars['encoder']!);
      const e = tf.matMul(tf.reshape(encodings, [B * n, -1]), this.vars['encodingWeights']!);
      return tf.reshape(tf.add(tf.add(f, e), this.vars['encoderBias']!), [B, n, D]) as tf.Tensor3D;
    });
  }

  /** Allowed attention pairs of edges: the adjacency with self-loops (new tensor). */
  private allowedOf(adjacency: TensorInput): tf.Tensor {
    const n = this.options.nodes;
    const a = toTensor(adjacency, 'adjacency', { finite: true });
    try {
      if ((a.rank !== 2 && a.rank !== 3) || a.shape[a.rank - 1] !== n || a.shape[a.rank - 2] !== n) throw errors.shapeMismatch('adjacency', ['batch or none', n, n], a.shape);
      return tf.tidy(() => tf.maximum(a, tf.eye(n)));
    } finally {
      a.dispose();
    }
  }

  protected override prepareState(state: State): State {
    if (state[TOKENS]) {
      if (!state[FEATURES] || !state[ENCODINGS]) throw errors.invalidArgument(`initial.${FEATURES} and initial.${ENCODINGS}`, 'given with the tokens', 'missing');
      return state;
    }
    if (!state[FEATURES] || !state[ENCODINGS]) {
      throw errors.invalidArgument(`initial.${state[FEATURES] ? ENCODINGS : FEATURES}`, 'node features and positional encodings (the tokens are encoded from them)', 'missing');
    }
    return { ...state, [TOKENS]: this.encode(state[FEATURES]!, state[ENCODINGS]!) };
  }

  /** Seeded normal features and encodings; the tokens encoded from them. */
  protected override generateState(batch: number, options: GenerateOptions): State {
    const seed = options.seed ?? 0;
    const { nodes: n, features: F, encodingSize: k } = this.options;
    return { [FEATURES]: tf.randomNormal([batch, n, F], 0, options.std || 1, 'float32', seed), [ENCODINGS]: tf.randomNormal([batch, n, k], 0, 1, 'float32', seed + 1) };
  }

  private graphSystem(adjacency: TensorInput | undefined, batch: number, energyTree: boolean): DynamicsSystem {
    let tokens: DynamicsSystem;
    if (adjacency === undefined) tokens = this.block.system({ energyTree });
    else {
      const allowed = this.allowedOf(adjacency);
      try {
        tokens = this.block.system({ allowed, batch, energyTree });
      } finally {
        allowed.dispose();
      }
    }
    return {
      step: (state, ctx) => {
        const r = tokens.step({ [TOKENS]: state[TOKENS]! }, ctx);
        const next: State = { [TOKENS]: r.next[TOKENS]!, [FEATURES]: state[FEATURES]!.clone(), [ENCODINGS]: state[ENCODINGS]!.clone() };
        return r.energy ? { next, energy: r.energy } : { next };
      },
      energy: (state) => tokens.energy!({ [TOKENS]: state[TOKENS]! }),
    };
  }

  protected dynamics(options: RunOptions & GraphRunKeys, initial: State): DynamicsSystem {
    return this.graphSystem(options.adjacency, initial[TOKENS]!.shape[0]!, options.energyTree ?? true);
  }

  /** Energy per sample of a state (its tokens, encoded when absent), on the graph's edges when `adjacency` is given. */
  energy(state: StateInput, options: GraphRunKeys = {}): EnergyTerms {
    this.assertAlive();
    const x = this.initialState(state);
    try {
      if (options.adjacency === undefined) return this.block.energy({ [TOKENS]: x[TOKENS]! });
      const allowed = this.allowedOf(options.adjacency);
      try {
        return this.block.energy({ [TOKENS]: x[TOKENS]! }, { allowed });
      } finally {
        allowed.dispose();
      }
    } finally {
      for (const t of Object.values(x)) t.dispose();
    }
  }

  /** Node logits [n] of one graph (higher = more anomalous): tokens, the descent on its edges, the readout. Differentiable. */
  logits(graph: GraphInput): tf.Tensor1D {
    this.assertAlive();
    const { nodes: n, features: F, encodingSize: k } = this.options;
    const features = toTensor(graph.features, 'features', { shape: [n, F], finite: true });
    const encodings = toTensor(graph.encodings, 'encodings', { shape: [n, k], finite: true });
    let allowed: tf.Tensor | undefined;
    try {
      allowed = this.allowedOf(graph.adjacency);
      if (allowed.rank !== 2) throw errors.shapeMismatch('adjacency (one graph)', [n, n], allowed.shape);
      return this.readout(features, encodings, allowed);
    } finally {
      tf.dispose([features, encodings]);
      allowed?.dispose();
    }
  }

  private readout(features: tf.Tensor, encodings: tf.Tensor, allowed: tf.Tensor): tf.Tensor1D {
    const block = this.block;
    const { beta, excludeDiagonal } = block.config;
    return tf.tidy(() => {
      const n = this.options.nodes;
      const x0 = this.encode(tf.expandDims(features, 0), tf.expandDims(encodings, 0));
      const xT = block.evolve(x0, { allowed });
      const e = block.tokenEnergies(xT, { allowed });
      // ... and of the initial tokens, before the descent pulls nodes towards their neighbours.
      const e0 = block.tokenEnergies(x0, { allowed });
      const x = tf.squeeze(xT, [0]);
      const ln = tf.add(tf.mul(normalizeLastAxis(x), this.vars['readoutScale']!), this.vars['readoutShift']!);
      // How far the descent moved each node (its tokens and activations): a node that
      // disagrees with its neighbourhood is pulled further.
      const move = tf.sqrt(tf.add(tf.sum(tf.square(tf.sub(xT, x0)), -1), 1e-9));
      const gmove = tf.sqrt(tf.add(tf.sum(tf.square(tf.sub(block.activation(xT), block.activation(x0))), -1), 1e-9));
      // Attention energies per head made degree-free: -1/beta log MEAN exp over the node's
      // neighbours (adding 1/beta log #neighbours), so that they measure how well a node
      // matches its neighbourhood rather than how many neighbours it has.
      const keys = excludeDiagonal ? tf.mul(allowed, tf.sub(1, tf.eye(n))) : allowed;
      const logCount = tf.log(tf.maximum(tf.sum(keys, 1, true), 1));
      const att = tf.add(tf.squeeze(e.attention, [0]), tf.mul(logCount, 1 / beta));
      const att0 = tf.add(tf.squeeze(e0.attention, [0]), tf.mul(logCount, 1 / beta));
      const en = tf.concat([att, att0, tf.transpose(e.hopfield), tf.transpose(move), tf.transpose(gmove)], 1);
      // Node energies, centred and scaled over the graph (their raw scale is arbitrary).
      const m = tf.moments(en, 0, true);
      const enz = tf.div(tf.sub(en, m.mean), tf.sqrt(tf.add(m.variance, 1e-6)));
      const hid = tf.relu(tf.add(tf.matMul(tf.concat([ln, enz], 1), this.vars['hidden']!), this.vars['hiddenBias']!));
      return tf.reshape(tf.add(tf.matMul(hid, this.vars['readout']!), this.vars['readoutBias']!), [-1]) as tf.Tensor1D;
    });
  }

  /** Every weight: 'block/...' (see the block), the encoder and the readout. */
  variables(): Record<string, tf.Variable> {
    const out: Record<string, tf.Variable> = {};
    for (const [k, v] of Object.entries(this.block.variables())) out[`block/${k}`] = v;
    return { ...out, ...this.vars };
  }

  /** Number of trained parameters. */
  parameterCount(): number {
    return parameterCount(this.variables());
  }

  getConfig(): GraphConfig {
    const { tokens: _tokens, ...block } = this.block.getConfig();
    return { ...this.options, block };
  }

  protected override release(): void {
    this.block.dispose();
    for (const v of Object.values(this.vars)) v.dispose();
  }

  /** Node anomaly detection on the seeded benchmark graph (labelled subset), through the unrolled descent. */
  override readonly training: TrainingFace<GraphBatch, GraphTrainingSettings> = {
    schema: graphTrainingSchema,
    data: (s) => graphTrainingSet(this.options, s).data,
    loss: (b) =>
      tf.tidy(() => {
        const g = b.graph;
        return weightedBce(this.readout(g.features, tf.mul(g.encodings, b.signs), tf.maximum(g.adjacency, tf.eye(this.options.nodes))), g.labels, b.weights);
      }),
  };
}
