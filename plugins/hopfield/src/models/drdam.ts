/**
 * DrDAM, the distributed representation of a dense associative memory
 * (Hoover et al. 2024), on the plugin's 'hopfield/drdam' synapse: the exact
 * energy -1/beta log sum_mu exp(-beta/2 ||v - xi_mu||^2) is approximated with
 * random features as E~(v) = -1/beta log(max(phi(v) . T, eps)),
 * T = sum_mu phi(xi_mu), so adding a memory changes T, never the parameter
 * count. Retrieval is gradient descent x <- x - dt dE~/dx (closed-form
 * gradient), an explicit system, with clamp masks for completion.
 */
import * as tf from '@tensorflow/tfjs';
import {
  errors,
  ModelBase,
  parseConfig,
  readState,
  toTensor,
  z,
  type DynamicsSystem,
  type EnergyTerms,
  type RunOptions,
  type State,
  type StateInput,
  type StateLayer,
  type StepResult,
  type TensorInput,
} from '@engram/core';
import { drdamSynapse, drdamSynapseSchema, type DrdamSynapse } from '../synapses/drdam.js';
import { tfTrig, type Trig } from '../synapses/feature-maps.js';
import { hostSinCos } from '../internal/sincos.js';
import { finalState, STATE_LAYER } from '../internal/single-layer.js';

/** The config of 'hopfield/drdam': the synapse's, plus the number of memories folded in. */
export const drdamSchema = drdamSynapseSchema.omit({ trainable: true }).extend({
  memories: z.number().int().min(0).default(0).describe('number of patterns folded into T (set by store / addMemories; bookkeeping)'),
});

/** Config of a {@link DrDAM} (as written). */
export type DrDAMConfig = z.input<typeof drdamSchema>;
type Config = z.output<typeof drdamSchema>;

/** Options of {@link DrDAM.run}: core's run options (dt is the descent step). */
export type DrDAMRunOptions = RunOptions;

/**
 * The model's own update computes cos/sin on the host: tfjs-wasm's Cos/Sin
 * kernels are slow (see the README for the measurement), and the update needs
 * no gradient. The synapse (energy, closed form, training) always uses tf ops.
 */
const updateTrig: Trig = hostSinCos;

/**
 * Random-feature dense associative memory.
 *
 * @example
 * const dam = new DrDAM({ size: 30, features: 20000, beta: 10 });
 * dam.store(patterns);                        // T = sum phi(xi)
 * const e = dam.energy(queries);              // approximate energy (EnergyTerms)
 * const done = await dam.complete(cues, { clamp: mask, dt: 0.1, maxSteps: 200 });
 */
export class DrDAM extends ModelBase<Config> {
  readonly kind = 'hopfield/drdam';
  readonly layers: readonly StateLayer[];
  /** Memory size D. */
  readonly size: number;
  /** Random projections Y. */
  readonly features: number;
  /** Inverse temperature. */
  readonly beta: number;
  /** Feature map. */
  readonly kernel: Config['kernel'];
  /** Seed of the projections. */
  readonly seed: number;
  /** Floor inside the log. */
  readonly eps: number;
  /** The model's synapse (its energy, gradient and parameters). */
  readonly synapse: DrdamSynapse;
  private count: number;

  constructor(config: DrDAMConfig) {
    super();
    const c = parseConfig(drdamSchema, config, 'hopfield/drdam');
    this.size = c.size;
    this.features = c.features;
    this.beta = c.beta;
    this.kernel = c.kernel;
    this.seed = c.seed;
    this.eps = c.eps;
    this.count = c.memories;
    this.layers = [{ name: STATE_LAYER, shape: [c.size] }];
    this.synapse = drdamSynapse({ size: c.size, features: c.features, beta: c.beta, kernel: c.kernel, seed: c.seed, eps: c.eps });
  }

  /** Number of memories folded into T so far. */
  get memories(): number {
    return this.count;
  }

  /** Number of parameters (projections, phases and T): independent of the number of memories. */
  get parameterCount(): number {
    return Object.values(this.synapse.variables).reduce((a, v) => a + v.size, 0);
  }

  /** The memory vector T (live variable). */
  get memoryVector(): tf.Variable {
    return this.synapse.variables['memoryVector']!;
  }

  /** Feature map phi(x) of states [B, D] (caller owns the result; differentiable). */
  featureMap(x: TensorInput): tf.Tensor2D {
    this.assertAlive();
    const m = this.readRows(x, 'x');
    try {
      return this.synapse.featureMap(m);
    } finally {
      m.dispose();
    }
  }

  /** Folds patterns [k, D] into T (T += sum phi(xi)); the parameter count does not change. */
  addMemories(patterns: TensorInput): this {
    this.assertAlive();
    const m = this.readRows(patterns, 'patterns');
    try {
      this.synapse.addMemories(m, updateTrig);
      this.count += m.shape[0];
    } finally {
      m.dispose();
    }
    return this;
  }

  /** Replaces the memories: T is reset, then `patterns` [K, D] are folded in. */
  store(patterns: TensorInput): this {
    this.assertAlive();
    const m = this.readRows(patterns, 'patterns');
    try {
      this.synapse.clearMemories();
      this.count = 0;
      return this.addMemories(m);
    } finally {
      m.dispose();
    }
  }

  /** Approximate energy -1/beta log(max(phi(v) . T, eps)) per state, as the term 'memory' (differentiable). */
  energy(state: StateInput): EnergyTerms {
    this.assertAlive();
    const x = readState(state, this.layers, 'state');
    try {
      const memory = this.synapse.energy([x[STATE_LAYER]!]);
      return { total: memory.clone(), terms: { memory } };
    } finally {
      x[STATE_LAYER]!.dispose();
    }
  }

  /** Closed-form gradient dE~/dx at states [B, D] (caller owns it; tf ops, differentiable). */
  energyGradient(states: TensorInput): tf.Tensor2D {
    this.assertAlive();
    const x = this.readRows(states, 'states');
    try {
      const { energy, gradient } = this.synapse.energyAndGradientOf(x, tfTrig);
      energy.dispose();
      return gradient;
    } finally {
      x.dispose();
    }
  }

  /** Runs to `tolerance` or `maxSteps` and resolves with the final states (caller owns them). */
  async complete(initial: TensorInput, options: Omit<DrDAMRunOptions, 'initial' | 'onFinal'> = {}): Promise<tf.Tensor2D> {
    return (await finalState((onFinal) => this.run({ ...options, initial, onFinal }), STATE_LAYER)) as tf.Tensor2D;
  }

  /** `projections` S [Y, D], `phases` b [Y] and `memoryVector` T. */
  variables(): Record<string, tf.Variable> {
    return { ...this.synapse.variables };
  }

  getConfig(): Config {
    return { size: this.size, features: this.features, beta: this.beta, kernel: this.kernel, seed: this.seed, eps: this.eps, memories: this.count };
  }

  /**
   * Gradient descent x <- x - dt dE~/dx. Each step reports the energy of its
   * input from the same kernel sum the gradient needs (features computed once).
   * An empty memory (T = 0) exerts no force: every state stays where it is.
   */
  protected dynamics(): DynamicsSystem {
    return {
      step: (st, ctx): StepResult => {
        const x = st[STATE_LAYER] as tf.Tensor2D;
        return tf.tidy(() => {
          const { energy, gradient } = this.synapse.energyAndGradientOf(x, updateTrig);
          return { next: { [STATE_LAYER]: tf.sub(x, tf.mul(gradient, ctx.dt)) }, energy: { total: energy, terms: { memory: energy.clone() } } };
        });
      },
      energy: (st: State) => {
        const memory = this.synapse.energy([st[STATE_LAYER]!]);
        return { total: memory.clone(), terms: { memory } };
      },
    };
  }

  protected override release(): void {
    this.synapse.dispose();
  }

  private readRows(x: TensorInput, name: string): tf.Tensor2D {
    const t = toTensor(x, name, { shape: [null, this.size], batch: true, finite: true }) as tf.Tensor2D;
    if (t.shape[0] === 0) {
      t.dispose();
      throw errors.invalidArgument(`${name} (shape [0, ${this.size}])`, 'at least one row', 0);
    }
    return t;
  }
}
