/**
 * The modern continuous Hopfield network (Ramsauer et al. 2020) as a thin
 * composition of core parts: one layer on core's identity Lagrangian
 * (Legendre energy 1/2 x^T x) and core's memory synapse ('lse', beta) holding
 * the patterns X (E_mem = -1/beta lse(beta X x)). Energy descent on that graph,
 * x <- x - dt dE/dg with dE/dg = x - X^T softmax(beta X x), is the CCCP update
 * x <- X^T softmax(beta X x) at dt = 1, which never raises E. The reported
 * energy adds Ramsauer's constants 1/beta log K + 1/2 M^2 (M the largest
 * pattern norm), so E >= 0.
 */
import * as tf from '@tensorflow/tfjs';
import { defer, type Observable } from 'rxjs';
import {
  descentStep,
  EnergyGraph,
  errors,
  lagrangians,
  memorySynapse,
  ModelBase,
  parseConfig,
  readState,
  runOptionsSchema,
  separation,
  toTensor,
  z,
  type DynamicsStep,
  type DynamicsSystem,
  type EnergyTerms,
  type RunOptions,
  type Separation,
  type State,
  type StateInput,
  type StateLayer,
  type StepResult,
  type TensorInput,
} from '@engram/core';
import { gaussianPatterns } from '@engram/data';
import { noPatterns } from '../internal/errors.js';
import { finalState, STATE_LAYER } from '../internal/single-layer.js';

/** The config of 'hopfield/modern'. */
export const modernSchema = z.strictObject({
  size: z.number().int().positive().describe('pattern size D'),
  beta: z.number().positive().default(1).describe('inverse temperature beta'),
  memories: z.number().int().min(0).default(0).describe('number of stored patterns K (seeded normal(0, 1/size) patterns until store; 0: empty)'),
  seed: z.number().int().default(0).describe('seed of the initial patterns'),
});

/** Config of a {@link ModernHopfield} (as written). */
export type ModernHopfieldConfig = z.input<typeof modernSchema>;
type Config = z.output<typeof modernSchema>;

/** The model's own run keys. */
export interface ModernRunKeys {
  /**
   * 'cccp' (default): the fixed-point update x <- X^T softmax(beta X x), i.e.
   * descent with dt = 1 (a `dt` given with it is ignored);
   * 'descent': x <- x - dt dE/dx with the run's dt.
   */
  update?: 'cccp' | 'descent';
}

/** Options of {@link ModernHopfield.run}. */
export type ModernRunOptions = RunOptions & ModernRunKeys;

/** Run options of the modern network: core's plus `update`. */
export const modernRunSchema = runOptionsSchema.extend({
  update: z.enum(['cccp', 'descent']).optional().describe("'cccp' (default): x <- X^T softmax(beta X x), descent at dt = 1; 'descent': steps of the run's dt"),
});

/** Name of the memory synapse in the model's graph (its term in the energy tree). */
const MEMORY = 'memory';

/**
 * Modern Hopfield network with the energy reported at every step.
 *
 * @example
 * const net = new ModernHopfield({ size: 100, beta: 1 }).store(patterns); // [K, 100]
 * const out = net.retrieve(queries, 1);       // one update, [B, 100]
 * net.run({ initial: queries, tolerance: 1e-4 }).subscribe(s => console.log(s.step, s.energy));
 */
export class ModernHopfield extends ModelBase<Config, ModernRunKeys> {
  readonly kind = 'hopfield/modern';
  override readonly runSchema = modernRunSchema;
  readonly layers: readonly StateLayer[];
  /** Pattern size D. */
  readonly size: number;
  /** Inverse temperature. */
  readonly beta: number;
  private readonly seed: number;
  private readonly lse: Separation;
  private graph: EnergyGraph | undefined;
  /** 1/beta log K + 1/2 M^2. */
  private constant = 0;

  constructor(config: ModernHopfieldConfig) {
    super();
    const c = parseConfig(modernSchema, config, 'hopfield/modern');
    this.size = c.size;
    this.beta = c.beta;
    this.seed = c.seed;
    this.lse = separation({ kind: 'lse', beta: c.beta });
    this.layers = [{ name: STATE_LAYER, shape: [c.size] }];
    if (c.memories > 0) {
      // Initial patterns from @engram/data's generator, a stream apart from the tf seeds of generated states.
      const patterns = gaussianPatterns({ count: c.memories, size: c.size, seed: c.seed, std: 1 / Math.sqrt(c.size) }).data as Float32Array;
      this.install(memorySynapse({ ...this.synapseConfig(c.memories), patterns }));
    }
  }

  /** Number of stored patterns K. */
  get memories(): number {
    return this.patterns?.shape[0] ?? 0;
  }

  /** The stored patterns [K, D] (live variable: do not dispose), or undefined while empty. */
  get patterns(): tf.Variable | undefined {
    return this.graph?.synapses.get(MEMORY)?.variables['patterns'];
  }

  /** The core graph the model runs on: layer 'x' (identity Lagrangian) and synapse 'memory' (core/memory, lse). */
  get energyGraph(): EnergyGraph | undefined {
    return this.graph;
  }

  /** Replaces the stored patterns by `patterns` [K, D]. */
  store(patterns: TensorInput): this {
    this.assertAlive();
    const p = this.readPatterns(patterns);
    try {
      this.install(memorySynapse({ ...this.synapseConfig(p.shape[0]!), patterns: p }));
    } finally {
      p.dispose();
    }
    return this;
  }

  /** Appends patterns [k, D] to the memory. */
  add(patterns: TensorInput): this {
    this.assertAlive();
    const p = this.readPatterns(patterns);
    const current = this.patterns;
    const all = current ? tf.concat([current, p]) : p.clone();
    p.dispose();
    try {
      this.install(memorySynapse({ ...this.synapseConfig(all.shape[0]!), patterns: all }));
    } finally {
      all.dispose();
    }
    return this;
  }

  /** E(x) = -1/beta lse(beta X x) + 1/2 x^T x + 1/beta log K + 1/2 M^2 per sample, with terms 'x', 'memory' and 'constant'. */
  energy(state: StateInput): EnergyTerms {
    this.assertAlive();
    const graph = this.requireGraph();
    const x = readState(state, this.layers, 'state');
    try {
      return withConstant(graph.energy(x), this.constant);
    } finally {
      x[STATE_LAYER]!.dispose();
    }
  }

  /**
   * The association (softmax) matrix softmax(beta X x), [B, K], per state:
   * one weight near 1 is a retrieved pattern, spread weights a metastable state.
   */
  association(states: TensorInput): tf.Tensor2D {
    this.assertAlive();
    this.requireGraph();
    const x = this.readStates(states, 'states');
    try {
      return tf.tidy(() => this.lse.weights(tf.matMul(x, this.patterns!, false, true) as tf.Tensor2D));
    } finally {
      x.dispose();
    }
  }

  /** `steps` CCCP updates of `queries` [B, D] (descent steps of dt = 1 on the graph), synchronously; caller owns the result. */
  retrieve(queries: TensorInput, steps = 1): tf.Tensor2D {
    this.assertAlive();
    const graph = this.requireGraph();
    if (!Number.isInteger(steps) || steps < 0) throw errors.invalidArgument('steps', 'a non-negative integer', steps);
    let x = this.readStates(queries, 'queries');
    for (let i = 0; i < steps; i++) {
      const prev = x;
      x = tf.tidy(() => {
        const r = descentStep(graph, { [STATE_LAYER]: prev }, 1, { energyTree: false });
        return r.next[STATE_LAYER] as tf.Tensor2D;
      });
      prev.dispose();
    }
    return x;
  }

  /**
   * Runs the dynamics; with 'cccp' (default) every step is the CCCP update and
   * the engine's time advances by dt = 1 per step (a valid `dt` given with it
   * is ignored; an invalid one is still rejected).
   */
  override run(options: ModernRunOptions): Observable<DynamicsStep> {
    return defer(() => {
      const o = options as Partial<ModernRunOptions> | null;
      const cccp = o !== null && typeof o === 'object' && (o.update === undefined || o.update === 'cccp');
      const validDt = o?.dt === undefined || (typeof o.dt === 'number' && Number.isFinite(o.dt) && o.dt > 0);
      return super.run(cccp && validDt ? { ...options, dt: 1 } : options);
    });
  }

  /** Runs to `tolerance` (default 1e-4) or `maxSteps` and resolves with the final states (caller owns them). */
  async complete(initial: TensorInput, options: Omit<ModernRunOptions, 'initial' | 'onFinal'> = {}): Promise<tf.Tensor2D> {
    return (await finalState((onFinal) => this.run({ tolerance: 1e-4, ...options, initial, onFinal }), STATE_LAYER)) as tf.Tensor2D;
  }

  /** The stored patterns [K, D] as 'patterns' (nothing while empty). */
  variables(): Record<string, tf.Variable> {
    const p = this.patterns;
    return p ? { patterns: p } : {};
  }

  getConfig(): Config {
    return { size: this.size, beta: this.beta, memories: this.memories, seed: this.seed };
  }

  protected override weightsChanged(): void {
    this.constant = this.constantOf();
  }

  protected dynamics(options: ModernRunOptions, _initial: State): DynamicsSystem {
    const graph = this.requireGraph();
    const tree = options.energyTree ?? true;
    const constant = this.constant;
    const cccp = (options.update ?? 'cccp') === 'cccp';
    return {
      step: (state, ctx): StepResult => {
        const r = descentStep(graph, state, cccp ? 1 : ctx.dt, { energyTree: tree });
        return { next: r.next, energy: withConstant(r.energy!, constant) };
      },
      energy: (state) => withConstant(graph.energy(state), constant),
    };
  }

  protected override release(): void {
    this.graph?.dispose();
    this.graph = undefined;
  }

  private synapseConfig(memories: number) {
    return { memories, size: this.size, separation: 'lse' as const, beta: this.beta, trainable: false };
  }

  /** Puts a new memory synapse in a fresh graph (freeing the previous one). */
  private install(synapse: ReturnType<typeof memorySynapse>): void {
    const graph = new EnergyGraph().addLayer(STATE_LAYER, { shape: [this.size], lagrangian: lagrangians.identity() });
    graph.addSynapse(MEMORY, synapse, [STATE_LAYER]);
    this.graph?.dispose();
    this.graph = graph;
    this.constant = this.constantOf();
  }

  private constantOf(): number {
    const p = this.patterns;
    if (!p) return 0;
    const m2 = tf.tidy(() => tf.max(tf.sum(tf.square(p), 1)).dataSync()[0]!);
    return Math.log(p.shape[0]!) / this.beta + 0.5 * m2;
  }

  private requireGraph(): EnergyGraph {
    if (!this.graph) throw noPatterns(this.kind);
    return this.graph;
  }

  private readPatterns(patterns: TensorInput): tf.Tensor2D {
    const p = toTensor(patterns, 'patterns', { shape: [null, this.size], batch: true, finite: true }) as tf.Tensor2D;
    if (p.shape[0] === 0) {
      p.dispose();
      throw errors.invalidArgument('patterns', 'at least one pattern', 0);
    }
    return p;
  }

  private readStates(x: TensorInput, name: string): tf.Tensor2D {
    const t = toTensor(x, name, { shape: [null, this.size], batch: true, finite: true }) as tf.Tensor2D;
    if (t.shape[0] === 0) {
      t.dispose();
      throw errors.invalidArgument(`${name} batch size`, 'at least 1 sample', 0);
    }
    return t;
  }
}

/** Adds Ramsauer's constant to an energy (as the term 'constant'); takes ownership of `e`. */
function withConstant(e: EnergyTerms, constant: number): EnergyTerms {
  const total = tf.add(e.total, constant) as tf.Tensor1D;
  e.total.dispose();
  if (!e.terms) return { total };
  return { total, terms: { ...e.terms, constant: tf.fill(total.shape, constant) as tf.Tensor1D } };
}
