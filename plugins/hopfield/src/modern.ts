/**
 * The modern continuous Hopfield network (Ramsauer et al. 2020):
 * E(x) = -1/beta lse(beta X x) + 1/2 x^T x + 1/beta log K + 1/2 M^2
 * (X the stored patterns as rows, M the largest pattern norm), with the
 * update x <- X^T softmax(beta X x), which never raises E (CCCP).
 */
import * as tf from '@tensorflow/tfjs';
import type { Observable } from 'rxjs';
import { errors, explicitRule, type DynamicsStep, type DynamicsSystem, type EngramModel, type JsonObject, type TensorInput } from '@engram/core';
import { checkAlive, checkNonNegativeInt, checkOneOf, checkPositive, checkPositiveInt, toMatrix } from './internal/validate.js';
import { broadcastMask } from './internal/mask.js';
import { deferredRun, hostMatrix } from './internal/deferred-run.js';
import { finalState } from './internal/run-helpers.js';
import { STATE_LAYER, type HopfieldRunOptions } from './run-options.js';

/** Configuration of a {@link ModernHopfield} network. */
export interface ModernHopfieldConfig {
  /** Pattern dimension D. */
  dim: number;
  /** Inverse temperature beta (default 1). */
  beta?: number;
  /** Number of memories the model is created with (zeros until `store`; default 0). */
  count?: number;
}

/** Options of {@link ModernHopfield.run}. */
export interface ModernRunOptions extends HopfieldRunOptions {
  /**
   * 'cccp' (default): the fixed-point update x <- X^T softmax(beta X x);
   * 'descent': x <- x - dt * dE/dx = x + dt (X^T softmax(beta X x) - x) (dt = 1 is the CCCP update).
   */
  update?: 'cccp' | 'descent';
}

/**
 * Modern Hopfield network with the energy reported at every step.
 *
 * @example
 * const net = new ModernHopfield({ dim: 100, beta: 1 }).store(patterns); // [K, 100]
 * const out = net.retrieve(queries, 1);       // one update, [B, 100]
 * net.run({ initial: queries, tolerance: 1e-4 }).subscribe(s => console.log(s.step, s.energy));
 */
export class ModernHopfield implements EngramModel {
  /** Registered model id. */
  readonly kind = 'hopfield/modern';
  /** Pattern dimension. */
  readonly dim: number;
  /** Inverse temperature. */
  readonly beta: number;
  private mem: tf.Tensor2D;
  private memT: tf.Tensor2D;
  private maxNormSq = 0;
  private disposed = false;

  constructor(config: ModernHopfieldConfig) {
    this.dim = checkPositiveInt('dim', config?.dim);
    this.beta = checkPositive('beta', config.beta ?? 1);
    const k = checkNonNegativeInt('count', config.count ?? 0);
    this.mem = tf.zeros([k, this.dim]);
    this.memT = tf.zeros([this.dim, k]);
  }

  /** Number of stored patterns K. */
  get count(): number {
    return this.mem.shape[0];
  }

  /** Replaces the stored patterns by `patterns` [K, D]. */
  store(patterns: TensorInput): this {
    checkAlive(this.disposed, 'ModernHopfield');
    this.assign(toMatrix('patterns', patterns, this.dim));
    return this;
  }

  /** Appends patterns [k, D] to the memory. */
  add(patterns: TensorInput): this {
    checkAlive(this.disposed, 'ModernHopfield');
    const p = toMatrix('patterns', patterns, this.dim);
    const all = tf.concat([this.mem, p]) as tf.Tensor2D;
    p.dispose();
    this.assign(all);
    return this;
  }

  /** The stored patterns [K, D] (live tensor: do not dispose). */
  get patterns(): tf.Tensor2D {
    return this.mem;
  }

  /** Energy per sample of states [B, D] (caller owns the result). */
  energy(states: TensorInput): tf.Tensor1D {
    checkAlive(this.disposed, 'ModernHopfield');
    const x = toMatrix('states', states, this.dim);
    try {
      return this.energyOf(x);
    } finally {
      x.dispose();
    }
  }

  /**
   * The association (softmax) matrix softmax(beta X x), [B, K], per state:
   * one weight near 1 is a retrieved pattern, spread weights a metastable state
   * (an average over several patterns).
   */
  association(states: TensorInput): tf.Tensor2D {
    checkAlive(this.disposed, 'ModernHopfield');
    const x = toMatrix('states', states, this.dim);
    try {
      return this.assoc(x);
    } finally {
      x.dispose();
    }
  }

  /** `steps` CCCP updates of `queries` [B, D], synchronously; returns [B, D] (caller owns it). */
  retrieve(queries: TensorInput, steps = 1): tf.Tensor2D {
    checkAlive(this.disposed, 'ModernHopfield');
    checkNonNegativeInt('steps', steps);
    let x = toMatrix('queries', queries, this.dim);
    for (let i = 0; i < steps; i++) {
      const next = this.updateOf(x);
      x.dispose();
      x = next;
    }
    return x;
  }

  /** The dynamics as a core DynamicsSystem. */
  system(options: { update?: 'cccp' | 'descent' } = {}): DynamicsSystem {
    const mode = checkOneOf('update', options.update ?? 'cccp', ['cccp', 'descent'] as const);
    return explicitRule({
      update: (st, ctx) => {
        const x = st[STATE_LAYER] as tf.Tensor2D;
        if (mode === 'cccp') return { [STATE_LAYER]: this.updateOf(x) };
        return { [STATE_LAYER]: tf.tidy(() => tf.add(x, tf.mul(tf.sub(this.updateOf(x), x), ctx.dt))) };
      },
      energy: (st) => ({ total: this.energyOf(st[STATE_LAYER] as tf.Tensor2D) }),
    });
  }

  /** Runs the dynamics as an Observable of steps with the energy; `clamp` holds entries (completion). */
  run(options: ModernRunOptions): Observable<DynamicsStep> {
    checkAlive(this.disposed, 'ModernHopfield');
    if (this.count === 0) throw errors.invalidArgument('patterns', 'at least one stored pattern (call store first)', 0);
    const { initial, clamp, update, ...rest } = options;
    const x0 = toMatrix('initial', initial, this.dim);
    let mask: tf.Tensor2D | undefined;
    try {
      mask = clamp === undefined ? undefined : broadcastMask(clamp, x0.shape);
      return deferredRun(this.system({ update }), hostMatrix(x0), mask ? hostMatrix(mask) : undefined, rest);
    } finally {
      x0.dispose();
      mask?.dispose();
    }
  }

  /** Runs to `tolerance` (default 1e-4) or `maxSteps` and resolves with the final states (caller owns them). */
  async complete(initial: TensorInput, options: Omit<ModernRunOptions, 'initial' | 'onFinal'> = {}): Promise<tf.Tensor2D> {
    const { state } = await finalState((onFinal) => this.run({ tolerance: 1e-4, ...options, initial, onFinal }), STATE_LAYER);
    return state as tf.Tensor2D;
  }

  /** Dimension, beta and pattern count as JSON. */
  getConfig(): JsonObject {
    return { dim: this.dim, beta: this.beta, count: this.count };
  }

  /** The stored patterns `memories` [K, D] (live tensor). */
  getWeights(): Record<string, tf.Tensor> {
    checkAlive(this.disposed, 'ModernHopfield');
    return { memories: this.mem };
  }

  /** Sets the stored patterns from `memories` [K, D]. */
  setWeights(weights: Record<string, tf.Tensor>): void {
    checkAlive(this.disposed, 'ModernHopfield');
    const m = weights['memories'];
    if (!m) throw errors.invalidArgument('weights', "an object with 'memories' [K, D]", Object.keys(weights));
    if (m.rank !== 2 || m.shape[1] !== this.dim) throw errors.shapeMismatch('memories', ['K', this.dim], m.shape);
    this.assign(m.toFloat().clone() as tf.Tensor2D);
  }

  /** Frees the patterns. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.mem.dispose();
    this.memT.dispose();
  }

  private assign(mem: tf.Tensor2D): void {
    this.mem.dispose();
    this.memT.dispose();
    this.mem = mem;
    this.memT = tf.tidy(() => tf.transpose(mem).clone()) as tf.Tensor2D;
    this.maxNormSq = mem.shape[0] === 0 ? 0 : tf.tidy(() => tf.max(tf.sum(tf.square(mem), 1)).dataSync()[0]!);
  }

  private assoc(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.softmax(tf.mul(tf.matMul(x, this.memT), this.beta))) as tf.Tensor2D;
  }

  private updateOf(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.matMul(this.assoc(x), this.mem)) as tf.Tensor2D;
  }

  private energyOf(x: tf.Tensor2D): tf.Tensor1D {
    const k = this.count;
    if (k === 0) throw errors.invalidArgument('patterns', 'at least one stored pattern (call store first)', 0);
    const b = this.beta;
    return tf.tidy(() => {
      // -1/beta (lse - log K): subtracting log K inside keeps float32 accurate for small beta,
      // where -lse/beta and log(K)/beta are two large terms that nearly cancel.
      const lse = tf.logSumExp(tf.sub(tf.mul(tf.matMul(x, this.memT), b), Math.log(k)), 1);
      const half = tf.mul(tf.sum(tf.square(x), 1), 0.5);
      return tf.add(tf.add(tf.mul(lse, -1 / b), half), 0.5 * this.maxNormSq) as tf.Tensor1D;
    });
  }
}
