/**
 * Dense associative memory (Krotov & Hopfield 2016; Demircigil et al. 2017) on
 * ±1 neurons: E(s) = -sum_mu F(xi_mu . s), F one of core's separation functions
 * ('power' h^n, 'rectified-power' max(h, 0)^n, 'exp' exp(beta h), evaluated at
 * h - N for 'exp' so float32 stays finite). Neuron i takes the sign with the
 * lower energy, asynchronously (seeded order, the energy never rises) or
 * synchronously, keeping its value on an exact tie.
 */
import * as tf from '@tensorflow/tfjs';
import {
  explicitRule,
  memorySynapse,
  ModelBase,
  parseConfig,
  readState,
  separation,
  separationSchema,
  z,
  type DynamicsSystem,
  type EnergyTerms,
  type GenerateOptions,
  type Hypersynapse,
  type Separation,
  type State,
  type StateInput,
  type StateLayer,
  type TensorInput,
} from '@engram/core';
import { binaryPatterns } from '@engram/data';
import { sweepOrder } from '../internal/seeded-order.js';
import { denseSweep, hostMemory, type HostMemory } from '../internal/dense-sweep.js';
import { binarize, binaryNoise, checkBinary, hostBinaryPatterns, hostClamp, hostState } from '../internal/binary.js';
import { finalState } from '../internal/final-state.js';
import { noPatterns } from '../internal/errors.js';
import { binaryRunSchema, STATE_LAYER, type ClassicalRunKeys, type ClassicalRunOptions } from './classical.js';

/** Separation functions of the dense memory: core's, without 'lse' (that is the modern network), n = 3 by default. */
export const denseSeparationSchema = separationSchema.extend({
  kind: z.enum(['power', 'rectified-power', 'exp']).default('power').describe("F: 'power' h^n, 'rectified-power' max(h,0)^n, 'exp' exp(beta h)"),
  n: z.number().positive().default(3).describe('exponent of the power kinds (an integer for power)'),
});

/** The config of 'hopfield/dense'. */
export const denseSchema = z.strictObject({
  size: z.number().int().positive().describe('number of ±1 neurons N'),
  separation: denseSeparationSchema.default({ kind: 'power', n: 3, beta: 1 }).describe('separation function F (default power, n = 3)'),
  memories: z.number().int().min(0).default(0).describe('number of stored patterns K (seeded ±1 patterns until store)'),
  seed: z.number().int().default(0).describe('seed of the initial patterns'),
});

/** Config of a {@link DenseAssociativeMemory} (as written). */
export type DenseAMConfig = z.input<typeof denseSchema>;
type Config = z.output<typeof denseSchema>;

/** Options of {@link DenseAssociativeMemory.run} (the same keys as the classical network's). */
export type DenseRunOptions = ClassicalRunOptions;

/**
 * Dense associative memory. Its energy is core's `memorySynapse` with the
 * chosen separation on the stored ±1 patterns; its updates are an explicit
 * system of host sweeps (float64, F from the same separation's `host` form).
 * Created with `memories: K`, it holds K seeded ±1 patterns until `store`.
 *
 * @example
 * const dam = new DenseAssociativeMemory({ size: 100, separation: { kind: 'power', n: 3 } });
 * dam.store(patterns);                      // [K, 100] of ±1
 * const fixed = dam.isFixedPoint(patterns); // boolean per pattern
 */
export class DenseAssociativeMemory extends ModelBase<Config, ClassicalRunKeys> {
  readonly kind = 'hopfield/dense';
  override readonly runSchema = binaryRunSchema;
  readonly layers: readonly StateLayer[];
  /** Number of neurons N. */
  readonly size: number;
  /** The separation function F. */
  readonly separation: Separation;
  private readonly seed: number;
  /** F is evaluated at h - shift: N for 'exp' (overlaps of ±1 states reach N), else 0. */
  private readonly shift: number;
  private synapse: Hypersynapse | undefined;
  private host: HostMemory;

  constructor(config: DenseAMConfig) {
    super();
    const c = parseConfig(denseSchema, config, 'hopfield/dense');
    this.size = c.size;
    this.seed = c.seed;
    this.separation = separation(c.separation, 'hopfield/dense');
    this.shift = c.separation.kind === 'exp' ? c.size : 0;
    this.layers = [{ name: STATE_LAYER, shape: [c.size] }];
    // Initial patterns from @engram/data's generator, a stream apart from the tf seeds of generated states.
    const initial = c.memories > 0 ? (binaryPatterns({ count: c.memories, size: c.size, seed: c.seed }).data as Float32Array) : new Float32Array(0);
    this.host = this.install(initial, c.memories);
  }

  /** Number of stored patterns K. */
  get memories(): number {
    return this.host.k;
  }

  /** Core's memory synapse holding the patterns (the model's energy), or undefined while empty. */
  get memorySynapse(): Hypersynapse | undefined {
    return this.synapse;
  }

  /** The stored patterns [K, N] (live variable), or undefined while empty. */
  get patterns(): tf.Variable | undefined {
    return this.synapse?.variables['patterns'];
  }

  /** Replaces the memories by `patterns` ([K, N], entries ±1). */
  store(patterns: TensorInput): this {
    this.assertAlive();
    const m = hostBinaryPatterns(patterns, this.size);
    this.host = this.install(m.data, m.rows);
    return this;
  }

  /** E(s) = -sum_mu F(xi_mu . s) per sample, as the term 'memory' (caller owns the tensors). */
  energy(state: StateInput): EnergyTerms {
    this.assertAlive();
    this.assertStored();
    const s = readState(state, this.layers, 'state');
    try {
      return this.energyOf(s[STATE_LAYER]!);
    } finally {
      s[STATE_LAYER]!.dispose();
    }
  }

  /**
   * For each state [B, N] (binarised), whether no single neuron would change
   * under the update rule (a fixed point of both update modes).
   */
  isFixedPoint(states: TensorInput): boolean[] {
    this.assertAlive();
    this.assertStored();
    const x = this.initialState(states);
    const signs = hostState(x[STATE_LAYER]!);
    const rows = x[STATE_LAYER]!.shape[0]!;
    x[STATE_LAYER]!.dispose();
    const next = Float32Array.from(signs);
    denseSweep(next, rows, this.host, null);
    const out: boolean[] = [];
    for (let r = 0; r < rows; r++) {
      let same = true;
      for (let i = r * this.size; i < (r + 1) * this.size && same; i++) same = next[i] === signs[i];
      out.push(same);
    }
    return out;
  }

  /** Iterates until no neuron changes (or `maxSteps`, default 100) and resolves with the final states (caller owns them). */
  async recall(cues: TensorInput, options: Omit<DenseRunOptions, 'initial' | 'onFinal'> = {}): Promise<tf.Tensor2D> {
    return (await finalState((onFinal) => this.run({ tolerance: 0.5, ...options, initial: cues, onFinal }), STATE_LAYER)) as tf.Tensor2D;
  }

  /** The stored patterns [K, N] as 'patterns' (nothing while empty). */
  variables(): Record<string, tf.Variable> {
    return this.synapse ? { patterns: this.synapse.variables['patterns']! } : {};
  }

  /** Checks that the patterns are ±1 before they are assigned (the sweeps rely on it). */
  override setWeights(weights: Readonly<Record<string, tf.Tensor>>): void {
    this.assertAlive();
    const p = weights['patterns'];
    if (p) checkBinary(p.dataSync(), "weight 'patterns' of hopfield/dense");
    super.setWeights(weights);
  }

  getConfig(): Config {
    const { kind, n, beta } = this.separation.config;
    return { size: this.size, separation: { kind: kind as Config['separation']['kind'], n, beta }, memories: this.memories, seed: this.seed };
  }

  protected override weightsChanged(): void {
    const p = this.patterns;
    if (p) this.host = hostMemory(Float32Array.from(p.dataSync() as Float32Array), this.host.k, this.size, this.separation, this.shift);
  }

  protected override prepareState(state: State): State {
    const x = state[STATE_LAYER]!;
    const out = { [STATE_LAYER]: binarize(x) };
    x.dispose();
    return out;
  }

  /** A generated state: seeded ±1 noise (`std` is ignored). */
  protected override generateState(batch: number, options: GenerateOptions): State {
    return { [STATE_LAYER]: binaryNoise(batch, this.size, options.seed ?? 0) };
  }

  protected dynamics(options: DenseRunOptions, initial: State): DynamicsSystem {
    this.assertStored();
    const mode = options.mode ?? 'async';
    const seed = options.seed ?? 0;
    const clamp = hostClamp(options.clamp, initial, this.layers);
    const mem = this.host;
    return explicitRule({
      update: (st, ctx) => {
        const x = st[STATE_LAYER]!;
        const s = hostState(x);
        denseSweep(s, x.shape[0]!, mem, mode === 'async' ? sweepOrder(this.size, seed, ctx.step) : null, clamp);
        return { [STATE_LAYER]: tf.tensor2d(s, x.shape as [number, number]) };
      },
      energy: (st) => this.energyOf(st[STATE_LAYER]!),
    });
  }

  protected override release(): void {
    this.synapse?.dispose();
  }

  /** Builds the memory synapse on K patterns (replacing the previous one) and returns the host view. */
  private install(patterns: Float32Array, k: number): HostMemory {
    this.synapse?.dispose();
    this.synapse = undefined;
    if (k > 0) {
      const { kind, n, beta } = this.separation.config;
      this.synapse = memorySynapse({
        memories: k,
        size: this.size,
        separation: kind as Config['separation']['kind'],
        n,
        beta,
        shift: this.shift,
        trainable: false,
        patterns,
      });
    }
    return hostMemory(patterns, k, this.size, this.separation, this.shift);
  }

  private assertStored(): void {
    if (!this.synapse) throw noPatterns(this.kind);
  }

  private energyOf(s: tf.Tensor): EnergyTerms {
    const memory = this.synapse!.energy([s]);
    return { total: memory.clone(), terms: { memory } };
  }
}
