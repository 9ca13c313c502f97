/**
 * Dense associative memory (Krotov & Hopfield 2016; Demircigil et al. 2017) on
 * ±1 neurons: E(s) = -sum_mu F(xi_mu . s), F one of core's separation functions
 * ('power' h^n, 'rectified-power' max(h, 0)^n, 'exp' exp(beta h), evaluated at
 * h - N for 'exp' so float32 stays finite). Neuron i takes the sign with the
 * lower energy, asynchronously (seeded order, the energy never rises) or
 * synchronously, keeping its value on an exact tie.
 */
import * as tf from '@tensorflow/tfjs';
import { memorySynapse, parseConfig, separation, separationSchema, z, type EnergyTerms, type Hypersynapse, type Separation, type TensorInput } from '@engram/core';
import { binaryPatterns } from '@engram/data';
import { denseSweep, hostMemory, type HostMemory } from '../internal/dense-sweep.js';
import { checkBinary, hostBinaryPatterns, hostState } from '../internal/binary.js';
import { BinaryModel, type BinaryRunOptions, type Sweep } from './binary-model.js';
import { noPatterns } from '../internal/errors.js';
import { STATE_LAYER } from '../internal/single-layer.js';

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
export type DenseRunOptions = BinaryRunOptions;

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
export class DenseAssociativeMemory extends BinaryModel<Config> {
  readonly kind = 'hopfield/dense';
  /** The separation function F. */
  readonly separation: Separation;
  private readonly seed: number;
  /** F is evaluated at h - shift: N for 'exp' (overlaps of ±1 states reach N), else 0. */
  private readonly shift: number;
  private synapse: Hypersynapse | undefined;
  private host: HostMemory;

  constructor(config: DenseAMConfig) {
    const c = parseConfig(denseSchema, config, 'hopfield/dense');
    super(c.size);
    this.seed = c.seed;
    this.separation = separation(c.separation, 'hopfield/dense');
    this.shift = c.separation.kind === 'exp' ? c.size : 0;
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

  /**
   * For each state [B, N] (binarised), whether no single neuron would change
   * under the update rule (a fixed point of both update modes).
   */
  isFixedPoint(states: TensorInput): boolean[] {
    this.assertAlive();
    this.assertReady();
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

  protected sweeper(): Sweep {
    const mem = this.host;
    return (s, batch, order, clamp) => denseSweep(s, batch, mem, order, clamp);
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

  protected override assertReady(): void {
    if (!this.synapse) throw noPatterns(this.kind);
  }

  /** E(s) = -sum_mu F(xi_mu . s) per sample, as the term 'memory'. */
  protected energyOf(s: tf.Tensor): EnergyTerms {
    const memory = this.synapse!.energy([s]);
    return { total: memory.clone(), terms: { memory } };
  }
}
