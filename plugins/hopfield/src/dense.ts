/**
 * Dense associative memory (Krotov & Hopfield 2016) on ±1 neurons:
 * E(s) = -sum_mu F(xi_mu . s). Neuron i takes the sign that gives the lower
 * energy, sign(sum_mu F(xi_mu.s with s_i=+1) - F(xi_mu.s with s_i=-1)),
 * asynchronously (seeded order, the energy never rises) or synchronously.
 */
import * as tf from '@tensorflow/tfjs';
import type { Observable } from 'rxjs';
import { errors, explicitRule, type DynamicsStep, type DynamicsSystem, type EngramModel, type JsonObject, type TensorInput } from '@engram/core';
import { checkAlive, checkNonNegativeInt, checkOneOf, checkPositiveInt, toBinaryHostMatrix, toHostMatrix, withMatrix } from './internal/validate.js';
import { separation, type Separation, type SeparationSpec } from './separation.js';
import { sweepOrder } from './internal/seeded-order.js';
import { binaryRunInputs, finalState } from './internal/run-helpers.js';
import { deferredRun } from './internal/deferred-run.js';
import { STATE_LAYER, type HopfieldRunOptions } from './run-options.js';

/** Configuration of a {@link DenseAssociativeMemory}. */
export interface DenseAMConfig {
  /** Number of neurons N. */
  size: number;
  /** Separation function F (default { kind: 'power', n: 3 }). */
  separation?: SeparationSpec;
  /** Number of stored patterns K the model is created with (zeros until `store`; default 0). */
  count?: number;
}

/** Options of {@link DenseAssociativeMemory.run}. */
export interface DenseRunOptions extends HopfieldRunOptions {
  /** 'async' (default): one step is one sweep over the neurons in a seeded random order; 'sync': all at once. */
  mode?: 'async' | 'sync';
  /** Seed of the visiting order (default 0). */
  seed?: number;
}

/**
 * Dense associative memory with a polynomial, rectified-polynomial or
 * exponential separation function.
 *
 * @example
 * const dam = new DenseAssociativeMemory({ size: 100, separation: { kind: 'power', n: 3 } });
 * dam.store(patterns);                  // [K, 100] of ±1
 * const fixed = dam.isFixedPoint(patterns); // boolean per pattern
 */
export class DenseAssociativeMemory implements EngramModel {
  /** Registered model id. */
  readonly kind = 'hopfield/dense';
  /** Number of neurons. */
  readonly size: number;
  /** The separation function. */
  readonly separation: Separation;
  private count: number;
  /** Memories transposed, [N, K]: the layout of the hot product s @ X^T. */
  private memT: tf.Tensor2D;
  /** Host copy, neuron-major [N, K], for the asynchronous sweeps. */
  private hostT: Float32Array;
  private disposed = false;

  constructor(config: DenseAMConfig) {
    this.size = checkPositiveInt('size', config?.size);
    this.separation = separation(config.separation ?? { kind: 'power', n: 3 }, this.size);
    this.count = checkNonNegativeInt('count', config.count ?? 0);
    this.hostT = new Float32Array(this.size * this.count);
    this.memT = tf.zeros([this.size, this.count]);
  }

  /** Number of stored patterns K. */
  get patternCount(): number {
    return this.count;
  }

  /** Replaces the memories by `patterns` ([K, N], entries ±1). */
  store(patterns: TensorInput): this {
    checkAlive(this.disposed, 'DenseAssociativeMemory');
    const m = toBinaryHostMatrix('patterns', patterns, this.size);
    this.assign(m.data, m.rows);
    return this;
  }

  /** E(s) = -sum_mu F(xi_mu . s) per sample of states [B, N] (caller owns the result). */
  energy(states: TensorInput): tf.Tensor1D {
    checkAlive(this.disposed, 'DenseAssociativeMemory');
    return withMatrix('states', states, this.size, (s) => this.energyOf(s));
  }

  /**
   * For each state [B, N], whether no single neuron would change under the
   * update rule (the state is a fixed point of both update modes).
   */
  isFixedPoint(states: TensorInput): boolean[] {
    checkAlive(this.disposed, 'DenseAssociativeMemory');
    const s = toHostMatrix('states', states, this.size);
    const signs = s.data.map((v) => (v >= 0 ? 1 : -1));
    const next = Float32Array.from(signs);
    this.sweep(next, s.rows, null, false);
    const out: boolean[] = [];
    for (let r = 0; r < s.rows; r++) {
      let same = true;
      for (let i = r * this.size; i < (r + 1) * this.size && same; i++) same = next[i] === signs[i];
      out.push(same);
    }
    return out;
  }

  /** The update rule as a core DynamicsSystem (async sweeps or a synchronous update), with the energy. */
  system(options: { mode?: 'async' | 'sync'; seed?: number; clamp?: Float32Array } = {}): DynamicsSystem {
    const mode = checkOneOf('mode', options.mode ?? 'async', ['async', 'sync'] as const);
    const seed = options.seed ?? 0;
    if (!Number.isSafeInteger(seed)) throw errors.invalidArgument('seed', 'a safe integer', seed);
    return explicitRule({
      update: (st, ctx) => {
        const s = st[STATE_LAYER]!;
        const data = Float32Array.from(s.dataSync() as Float32Array);
        const order = mode === 'async' ? sweepOrder(this.size, seed, ctx.step) : null;
        this.sweep(data, s.shape[0]!, order, mode === 'async', options.clamp);
        return { [STATE_LAYER]: tf.tensor2d(data, s.shape as [number, number]) };
      },
      energy: (st) => ({ total: this.energyOf(st[STATE_LAYER] as tf.Tensor2D) }),
    });
  }

  /** Runs the dynamics from `initial` (binarised) as an Observable of steps with the energy. */
  run(options: DenseRunOptions): Observable<DynamicsStep> {
    checkAlive(this.disposed, 'DenseAssociativeMemory');
    const { initial, clamp, mode, seed, ...rest } = options;
    const { host, hostMask } = binaryRunInputs(initial, clamp, this.size);
    return deferredRun(this.system({ mode, seed, clamp: hostMask?.data }), host, hostMask, rest);
  }

  /** Iterates until no neuron changes (or `maxSteps`, default 100) and resolves with the final states. */
  async recall(cues: TensorInput, options: Omit<DenseRunOptions, 'initial' | 'onFinal'> = {}): Promise<tf.Tensor2D> {
    const { state } = await finalState((onFinal) => this.run({ tolerance: 0.5, ...options, initial: cues, onFinal }), STATE_LAYER);
    return state as tf.Tensor2D;
  }

  /** Size, separation and pattern count as JSON. */
  getConfig(): JsonObject {
    return { size: this.size, separation: this.separation.toJson(), count: this.count };
  }

  /** The memories, stored transposed as `memoriesT` [N, K] (the layout the energy's product needs; live tensor). */
  getWeights(): Record<string, tf.Tensor> {
    checkAlive(this.disposed, 'DenseAssociativeMemory');
    return { memoriesT: this.memT };
  }

  /** Sets the memories from `memoriesT` [N, K]. */
  setWeights(weights: Record<string, tf.Tensor>): void {
    checkAlive(this.disposed, 'DenseAssociativeMemory');
    const t = weights['memoriesT'];
    if (!t) throw errors.invalidArgument('weights', "an object with 'memoriesT' [N, K]", Object.keys(weights));
    if (t.rank !== 2 || t.shape[0] !== this.size) throw errors.shapeMismatch('memoriesT', [this.size, 'K'], t.shape);
    const k = t.shape[1]!;
    const hostT = Float32Array.from(t.dataSync() as Float32Array);
    this.memT.dispose();
    this.hostT = hostT;
    this.count = k;
    this.memT = tf.tensor2d(hostT, [this.size, k]);
  }

  /** Frees the memories. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.memT.dispose();
  }

  private assign(rowsMajor: Float32Array, k: number): void {
    const n = this.size;
    const hostT = new Float32Array(n * k);
    for (let mu = 0; mu < k; mu++) for (let i = 0; i < n; i++) hostT[i * k + mu] = rowsMajor[mu * n + i]!;
    this.memT.dispose();
    this.hostT = hostT;
    this.count = k;
    this.memT = tf.tensor2d(hostT, [n, k]);
  }

  private energyOf(s: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(() => tf.neg(tf.sum(this.separation.tensor(tf.matMul(s, this.memT)), 1)) as tf.Tensor1D);
  }

  /**
   * One update of every (unclamped) neuron in place. With `order` and
   * `inPlace` the fields follow each flip (asynchronous); otherwise every
   * neuron sees the old state (synchronous).
   */
  private sweep(s: Float32Array, batch: number, order: Int32Array | null, inPlace: boolean, clamp?: Float32Array): void {
    const n = this.size;
    const k = this.count;
    const xt = this.hostT;
    const F = this.separation.host;
    const h = new Float64Array(k);
    const old = new Float32Array(n);
    for (let r = 0; r < batch; r++) {
      const off = r * n;
      h.fill(0);
      for (let i = 0; i < n; i++) {
        const si = s[off + i]!;
        old[i] = si;
        const row = i * k;
        for (let mu = 0; mu < k; mu++) h[mu]! += xt[row + mu]! * si;
      }
      for (let kk = 0; kk < n; kk++) {
        const i = order ? order[kk]! : kk;
        if (clamp && clamp[off + i] !== 0) continue;
        const si = inPlace ? s[off + i]! : old[i]!;
        const row = i * k;
        let diff = 0;
        for (let mu = 0; mu < k; mu++) {
          const x = xt[row + mu]!;
          const a = h[mu]! - x * si;
          diff += F(a + x) - F(a - x);
        }
        const next = diff > 0 ? 1 : diff < 0 ? -1 : si;
        s[off + i] = next;
        if (inPlace && next !== si) {
          const d = next - si;
          for (let mu = 0; mu < k; mu++) h[mu]! += xt[row + mu]! * d;
        }
      }
    }
  }
}
