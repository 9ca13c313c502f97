/**
 * The classical binary Hopfield network (Hopfield 1982): ±1 neurons,
 * symmetric weights with a zero diagonal, energy E = -1/2 s^T W s + b^T s,
 * asynchronous (seeded random order) or synchronous sign updates.
 */
import * as tf from '@tensorflow/tfjs';
import type { Observable } from 'rxjs';
import { errors, explicitRule, type DynamicsStep, type DynamicsSystem, type EngramModel, type JsonObject, type TensorInput } from '@engram/core';
import { checkAlive, checkNonNegativeInt, checkOneOf, checkPositiveInt, toBinaryHostMatrix, toHostMatrix, withMatrix } from './internal/validate.js';
import { learnWeights, type ClassicalRule } from './internal/learning-rules.js';
import { sweepOrder } from './internal/seeded-order.js';
import { binaryRunInputs, finalState } from './internal/run-helpers.js';
import { STATE_LAYER, type HopfieldRunOptions } from './run-options.js';
import { deferredRun } from './internal/deferred-run.js';

export type { ClassicalRule } from './internal/learning-rules.js';

/** Configuration of a {@link ClassicalHopfield} network. */
export interface ClassicalHopfieldConfig {
  /** Number of neurons N. */
  size: number;
  /** Storage rule used by `store` (default 'hebbian'). */
  rule?: ClassicalRule;
  /** Number of patterns the weights hold (bookkeeping, restored by deserialization; default 0). */
  patternCount?: number;
}

/** How neurons update: one at a time in a seeded random order, or all at once. */
export type ClassicalUpdateMode = 'async' | 'sync';

/** Options of {@link ClassicalHopfield.run}. */
export interface ClassicalRunOptions extends HopfieldRunOptions {
  /** 'async' (default): one engine step is one sweep over all neurons in a seeded random order. */
  mode?: ClassicalUpdateMode;
  /** Seed of the visiting order (default 0). */
  seed?: number;
}

/**
 * Classical Hopfield network. Store ±1 patterns with `store`, then `run` a cue
 * (an Observable of steps, each with the energy) or `recall` it (a promise of
 * the fixed point).
 *
 * @example
 * const net = new ClassicalHopfield({ size: 100 });
 * net.store(patterns);                       // [P, 100] of ±1
 * const out = await net.recall(cues);        // [B, 100], asynchronous sweeps until stable
 */
export class ClassicalHopfield implements EngramModel {
  /** Registered model id. */
  readonly kind = 'hopfield/classical';
  /** Number of neurons. */
  readonly size: number;
  /** Storage rule. */
  readonly rule: ClassicalRule;
  private w: tf.Tensor2D;
  private b: tf.Tensor1D;
  private hostW: Float32Array;
  private hostB: Float32Array;
  private stored = 0;
  private disposed = false;

  constructor(config: ClassicalHopfieldConfig) {
    this.size = checkPositiveInt('size', config?.size);
    this.rule = checkOneOf('rule', config.rule ?? 'hebbian', ['hebbian', 'pseudo-inverse'] as const);
    this.stored = checkNonNegativeInt('patternCount', config.patternCount ?? 0);
    this.hostW = new Float32Array(this.size * this.size);
    this.hostB = new Float32Array(this.size);
    this.w = tf.zeros([this.size, this.size]);
    this.b = tf.zeros([this.size]);
  }

  /** Number of patterns stored by the last `store` call. */
  get patternCount(): number {
    return this.stored;
  }

  /**
   * Replaces the weights by those that store `patterns` ([P, N], entries ±1)
   * with the configured rule; `bias` (length N, default 0) sets the thresholds b.
   */
  store(patterns: TensorInput, bias?: TensorInput): this {
    checkAlive(this.disposed, 'ClassicalHopfield');
    const { data, rows } = toBinaryHostMatrix('patterns', patterns, this.size);
    const w = learnWeights(data, rows, this.size, this.rule);
    const b = bias === undefined ? new Float32Array(this.size) : toHostMatrix('bias', bias, this.size).data;
    this.assign(w, b);
    this.stored = rows;
    return this;
  }

  /** Energy per sample, E = -1/2 s^T W s + b^T s, of states [B, N] (caller owns the result). */
  energy(states: TensorInput): tf.Tensor1D {
    checkAlive(this.disposed, 'ClassicalHopfield');
    return withMatrix('states', states, this.size, (s) => this.energyOf(s));
  }

  /** The update rule as a core DynamicsSystem (for runDynamics / integrate). */
  system(options: { mode?: ClassicalUpdateMode; seed?: number; clamp?: Float32Array } = {}): DynamicsSystem {
    const mode = checkOneOf('mode', options.mode ?? 'async', ['async', 'sync'] as const);
    const seed = options.seed ?? 0;
    if (!Number.isSafeInteger(seed)) throw errors.invalidArgument('seed', 'a safe integer', seed);
    const energy = (st: Record<string, tf.Tensor>) => ({ total: this.energyOf(st[STATE_LAYER]! as tf.Tensor2D) });
    if (mode === 'sync') {
      return explicitRule({
        update: (st) => ({
          [STATE_LAYER]: tf.tidy(() => {
            const s = st[STATE_LAYER]!;
            const field = tf.sub(tf.matMul(s as tf.Tensor2D, this.w), this.b);
            // Ties (zero field) keep the current value, as in the asynchronous rule.
            return tf.where(tf.greater(field, 0), tf.onesLike(s), tf.where(tf.less(field, 0), tf.onesLike(s).neg(), s));
          }),
        }),
        energy,
      });
    }
    return explicitRule({
      update: (st, ctx) => {
        const s = st[STATE_LAYER]!;
        const data = Float32Array.from(s.dataSync() as Float32Array);
        asyncSweep(data, s.shape[0]!, this.size, this.hostW, this.hostB, sweepOrder(this.size, seed, ctx.step), options.clamp);
        return { [STATE_LAYER]: tf.tensor2d(data, s.shape as [number, number]) };
      },
      energy,
    });
  }

  /**
   * Runs the dynamics from `initial` (binarised: entries >= 0 become +1) as an
   * Observable of steps with the energy. Asynchronous mode never raises the energy.
   */
  run(options: ClassicalRunOptions): Observable<DynamicsStep> {
    checkAlive(this.disposed, 'ClassicalHopfield');
    const { initial, clamp, mode, seed, ...rest } = options;
    const { host, hostMask } = binaryRunInputs(initial, clamp, this.size);
    const system = this.system({ mode, seed, clamp: hostMask?.data });
    return deferredRun(system, host, hostMask, rest);
  }

  /**
   * Iterates until no neuron changes (or `maxSteps` sweeps, default 100) and
   * resolves with the final states [B, N] (caller owns them).
   */
  async recall(cues: TensorInput, options: Omit<ClassicalRunOptions, 'initial' | 'onFinal'> = {}): Promise<tf.Tensor2D> {
    const { state } = await finalState((onFinal) => this.run({ tolerance: 0.5, ...options, initial: cues, onFinal }), STATE_LAYER);
    return state as tf.Tensor2D;
  }

  /** Hyper-parameters as JSON (for serialization). */
  getConfig(): JsonObject {
    return { size: this.size, rule: this.rule, patternCount: this.stored };
  }

  /** Weights W [N, N] and thresholds b [N] (live tensors). */
  getWeights(): Record<string, tf.Tensor> {
    checkAlive(this.disposed, 'ClassicalHopfield');
    return { weights: this.w, bias: this.b };
  }

  /** Copies W and b in; W must be symmetric for the energy to be a Lyapunov function. */
  setWeights(weights: Record<string, tf.Tensor>): void {
    checkAlive(this.disposed, 'ClassicalHopfield');
    const w = weights['weights'];
    const b = weights['bias'];
    if (!w || !b) throw errors.invalidArgument('weights', "an object with 'weights' and 'bias'", Object.keys(weights));
    if (!tf.util.arraysEqual(w.shape, [this.size, this.size])) throw errors.shapeMismatch('weights', [this.size, this.size], w.shape);
    if (!tf.util.arraysEqual(b.shape, [this.size])) throw errors.shapeMismatch('bias', [this.size], b.shape);
    this.assign(Float32Array.from(w.dataSync() as Float32Array), Float32Array.from(b.dataSync() as Float32Array));
  }

  /** Frees the weights. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.w.dispose();
    this.b.dispose();
  }

  private assign(w: Float32Array, b: Float32Array): void {
    this.w.dispose();
    this.b.dispose();
    this.hostW = w;
    this.hostB = b;
    this.w = tf.tensor2d(w, [this.size, this.size]);
    this.b = tf.tensor1d(b);
  }

  private energyOf(s: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(() => {
      const quad = tf.sum(tf.mul(tf.matMul(s, this.w), s), 1);
      return tf.add(tf.mul(quad, -0.5), tf.sum(tf.mul(s, this.b), 1)) as tf.Tensor1D;
    });
  }
}

/**
 * One asynchronous sweep in place over a batch of ±1 states: neuron i takes
 * sign(h_i - b_i) (ties keep it), and the local fields are updated after each
 * flip, so every flip lowers E = -1/2 s^T W s + b^T s (W symmetric, zero diagonal).
 */
function asyncSweep(s: Float32Array, batch: number, n: number, w: Float32Array, b: Float32Array, order: Int32Array, clamp?: Float32Array): void {
  const h = new Float64Array(n);
  for (let r = 0; r < batch; r++) {
    const off = r * n;
    h.fill(0);
    for (let j = 0; j < n; j++) {
      const sj = s[off + j]!;
      const row = j * n; // W symmetric: column j equals row j
      for (let i = 0; i < n; i++) h[i]! += w[row + i]! * sj;
    }
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      if (clamp && clamp[off + i] !== 0) continue;
      const field = h[i]! - b[i]!;
      const old = s[off + i]!;
      const next = field > 0 ? 1 : field < 0 ? -1 : old;
      if (next === old) continue;
      s[off + i] = next;
      const d = next - old;
      const row = i * n;
      for (let j = 0; j < n; j++) h[j]! += w[row + j]! * d;
    }
  }
}

