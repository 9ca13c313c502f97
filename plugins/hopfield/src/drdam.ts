/**
 * DrDAM, the distributed representation of a dense associative memory
 * (Hoover et al. 2024). The exact energy
 *   E(v) = -1/beta log sum_mu exp(-beta/2 ||v - xi_mu||^2)
 * is approximated with random features as E~(v) = -1/beta log(phi(v) . T),
 * T = sum_mu phi(xi_mu): all memories live in ONE fixed-size vector T, so
 * adding a memory changes T, never the parameter count. Retrieval is gradient
 * descent on E~ (closed-form gradient), with clamp masks for completion.
 */
import * as tf from '@tensorflow/tfjs';
import type { Observable } from 'rxjs';
import { errors, type DynamicsStep, type DynamicsSystem, type EngramModel, type JsonObject, type TensorInput } from '@engram/core';
import { createRng } from '@engram/data';
import { checkAlive, checkNonNegativeInt, checkOneOf, checkPositive, checkPositiveInt, toMatrix } from './internal/validate.js';
import { broadcastMask } from './internal/mask.js';
import { deferredRun, hostMatrix } from './internal/deferred-run.js';
import { finalState } from './internal/run-helpers.js';
import { STATE_LAYER, type HopfieldRunOptions } from './run-options.js';
import { FEATURE_MAP_KINDS, featureLength, kernelSumAndGrad, phi, type FeatureMapKind, type FeatureParams } from './feature-maps.js';

/** Configuration of a {@link DrDAM}. */
export interface DrDAMConfig {
  /** Dimension D of the memories. */
  dim: number;
  /** Number Y of random projections (the feature vector has 2Y entries for 'sincos', Y otherwise). */
  features: number;
  /** Inverse temperature beta of the Gaussian kernel (default 1). */
  beta?: number;
  /** Feature map (default 'sincos'). */
  kernel?: FeatureMapKind;
  /** Seed of the random projections (default 0). */
  seed?: number;
  /** Floor of phi(v) . T inside the log (default 1e-5, as in the reference code). */
  eps?: number;
  /** Number of memories already folded into T (bookkeeping only; default 0). */
  memoryCount?: number;
}

/** Rows per chunk when folding memories into T: bounds the [chunk, Y] feature block. */
const CHUNK = 256;

/**
 * Random-feature dense associative memory.
 *
 * @example
 * const dam = new DrDAM({ dim: 30, features: 20000, beta: 10 });
 * dam.addMemories(memories);                  // T += sum phi(xi)
 * const e = dam.energy(queries);              // approximate energy [B]
 * const done = await dam.complete(cues, { clamp: mask, dt: 0.1, maxSteps: 200 });
 */
export class DrDAM implements EngramModel {
  /** Registered model id. */
  readonly kind = 'hopfield/drdam';
  /** Memory dimension D. */
  readonly dim: number;
  /** Random projections Y. */
  readonly features: number;
  /** Inverse temperature. */
  readonly beta: number;
  /** Feature map. */
  readonly kernel: FeatureMapKind;
  /** Seed of the projections. */
  readonly seed: number;
  /** Floor inside the log. */
  readonly eps: number;
  private params: FeatureParams;
  private t: tf.Tensor1D;
  private count: number;
  private disposed = false;

  constructor(config: DrDAMConfig) {
    this.dim = checkPositiveInt('dim', config?.dim);
    this.features = checkPositiveInt('features', config.features);
    this.beta = checkPositive('beta', config.beta ?? 1);
    this.kernel = checkOneOf('kernel', config.kernel ?? 'sincos', FEATURE_MAP_KINDS);
    this.seed = config.seed ?? 0;
    if (!Number.isSafeInteger(this.seed)) throw errors.invalidArgument('seed', 'a safe integer', config.seed);
    this.eps = checkPositive('eps', config.eps ?? 1e-5);
    this.count = checkNonNegativeInt('memoryCount', config.memoryCount ?? 0);
    const rng = createRng(this.seed);
    const y = this.features;
    const d = this.dim;
    const s = new Float32Array(y * d);
    for (let i = 0; i < s.length; i++) s[i] = rng.normal();
    const b = new Float32Array(y);
    for (let i = 0; i < y; i++) b[i] = rng.uniform(0, 2 * Math.PI);
    this.params = this.makeParams(tf.tensor2d(s, [y, d]), tf.tensor1d(b));
    this.t = tf.zeros([featureLength(this.kernel, y)]);
  }

  /** Number of memories folded into T so far. */
  get memoryCount(): number {
    return this.count;
  }

  /** Number of parameters (projections, phases and T): independent of the number of memories. */
  get parameterCount(): number {
    return this.params.s.size + this.params.b.size + this.t.size;
  }

  /** The feature vector T (live tensor). */
  get memoryVector(): tf.Tensor1D {
    return this.t;
  }

  /** Feature map phi(x) of states [B, D] (caller owns the result). */
  featureMap(x: TensorInput): tf.Tensor2D {
    checkAlive(this.disposed, 'DrDAM');
    const m = toMatrix('x', x, this.dim);
    try {
      return phi(this.params, m);
    } finally {
      m.dispose();
    }
  }

  /** Folds memories [k, D] into T (T += sum phi(xi)); the parameter count does not change. */
  addMemories(memories: TensorInput): this {
    checkAlive(this.disposed, 'DrDAM');
    const m = toMatrix('memories', memories, this.dim);
    try {
      const rows = m.shape[0];
      for (let start = 0; start < rows; start += CHUNK) {
        const size = Math.min(CHUNK, rows - start);
        const next = tf.tidy(() => tf.add(this.t, tf.sum(phi(this.params, tf.slice(m, [start, 0], [size, this.dim]), false), 0))) as tf.Tensor1D;
        this.t.dispose();
        this.t = next;
      }
      this.count += rows;
    } finally {
      m.dispose();
    }
    return this;
  }

  /** Replaces the memories: T is reset, then `memories` are folded in. */
  store(memories: TensorInput): this {
    checkAlive(this.disposed, 'DrDAM');
    const m = toMatrix('memories', memories, this.dim);
    this.t.dispose();
    this.t = tf.zeros([featureLength(this.kernel, this.features)]);
    this.count = 0;
    try {
      return this.addMemories(m);
    } finally {
      m.dispose();
    }
  }

  /** Approximate energy -1/beta log(max(phi(v) . T, eps)) per state [B, D] (caller owns it; differentiable with tf.grad). */
  energy(states: TensorInput): tf.Tensor1D {
    checkAlive(this.disposed, 'DrDAM');
    const x = toMatrix('states', states, this.dim);
    try {
      return tf.tidy(() => this.energyFromSum(tf.sum(tf.mul(phi(this.params, x), this.t), 1) as tf.Tensor1D));
    } finally {
      x.dispose();
    }
  }

  /** Gradient of the approximate energy at states [B, D] (closed form; caller owns it). */
  energyGradient(states: TensorInput): tf.Tensor2D {
    checkAlive(this.disposed, 'DrDAM');
    const x = toMatrix('states', states, this.dim);
    try {
      return tf.tidy(() => this.gradOf(x).grad);
    } finally {
      x.dispose();
    }
  }

  /**
   * Gradient descent x <- x - dt dE~/dx as a core DynamicsSystem (the engine
   * passes dt). Each step reports the energy of its input from the same
   * kernel sum the gradient needs, so the features are computed once per step.
   */
  system(): DynamicsSystem {
    return {
      step: (st, ctx) => {
        const x = st[STATE_LAYER] as tf.Tensor2D;
        const [next, total] = tf.tidy(() => {
          const { grad, u } = this.gradOf(x);
          return [tf.sub(x, tf.mul(grad, ctx.dt)), this.energyFromSum(u)] as const;
        });
        return { next: { [STATE_LAYER]: next }, energy: { total } };
      },
      energy: (st) => ({
        total: tf.tidy(() => this.energyFromSum(tf.sum(tf.mul(phi(this.params, st[STATE_LAYER] as tf.Tensor2D, false), this.t), 1) as tf.Tensor1D)),
      }),
    };
  }

  /** Runs descent on the approximate energy as an Observable of steps with the energy; `clamp` holds entries. */
  run(options: HopfieldRunOptions): Observable<DynamicsStep> {
    checkAlive(this.disposed, 'DrDAM');
    if (this.count === 0) throw errors.invalidArgument('memories', 'at least one memory (call addMemories first)', 0);
    const { initial, clamp, ...rest } = options;
    const x0 = toMatrix('initial', initial, this.dim);
    let mask: tf.Tensor2D | undefined;
    try {
      mask = clamp === undefined ? undefined : broadcastMask(clamp, x0.shape);
      return deferredRun(this.system(), hostMatrix(x0), mask ? hostMatrix(mask) : undefined, rest);
    } finally {
      x0.dispose();
      mask?.dispose();
    }
  }

  /** Runs to `tolerance` or `maxSteps` and resolves with the final states (caller owns them). */
  async complete(initial: TensorInput, options: Omit<HopfieldRunOptions, 'initial' | 'onFinal'> = {}): Promise<tf.Tensor2D> {
    const { state } = await finalState((onFinal) => this.run({ ...options, initial, onFinal }), STATE_LAYER);
    return state as tf.Tensor2D;
  }

  /** Hyper-parameters as JSON (the projections are weights, so a loaded model is exact). */
  getConfig(): JsonObject {
    return { dim: this.dim, features: this.features, beta: this.beta, kernel: this.kernel, seed: this.seed, eps: this.eps, memoryCount: this.count };
  }

  /** `projections` S [Y, D], `phases` b [Y] and `memoryVector` T (live tensors). */
  getWeights(): Record<string, tf.Tensor> {
    checkAlive(this.disposed, 'DrDAM');
    return { projections: this.params.s, phases: this.params.b, memoryVector: this.t };
  }

  /** Copies S, b and T in (shapes must match the configuration). */
  setWeights(weights: Record<string, tf.Tensor>): void {
    checkAlive(this.disposed, 'DrDAM');
    const { projections: s, phases: b, memoryVector: t } = weights;
    if (!s || !b || !t) throw errors.invalidArgument('weights', "an object with 'projections', 'phases' and 'memoryVector'", Object.keys(weights));
    const want: [string, tf.Tensor, number[]][] = [
      ['projections', s, [this.features, this.dim]],
      ['phases', b, [this.features]],
      ['memoryVector', t, [featureLength(this.kernel, this.features)]],
    ];
    for (const [name, x, shape] of want) if (!tf.util.arraysEqual(x.shape, shape)) throw errors.shapeMismatch(name, shape, x.shape);
    this.disposeParams();
    this.params = this.makeParams(s.toFloat().clone() as tf.Tensor2D, b.toFloat().clone() as tf.Tensor1D);
    this.t.dispose();
    this.t = t.toFloat().clone() as tf.Tensor1D;
  }

  /** Frees projections and T. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposeParams();
    this.t.dispose();
  }

  private makeParams(s: tf.Tensor2D, b: tf.Tensor1D): FeatureParams {
    return { kind: this.kernel, beta: this.beta, s, b, st: tf.tidy(() => tf.transpose(s).clone()) as tf.Tensor2D };
  }

  private disposeParams(): void {
    this.params.s.dispose();
    this.params.st.dispose();
    this.params.b.dispose();
  }

  private energyFromSum(u: tf.Tensor1D): tf.Tensor1D {
    return tf.mul(tf.log(tf.maximum(u, this.eps)), -1 / this.beta) as tf.Tensor1D;
  }

  private gradOf(x: tf.Tensor2D): { grad: tf.Tensor2D; u: tf.Tensor1D } {
    const { u, du } = kernelSumAndGrad(this.params, x, this.t);
    // dE/dx = -du / (beta u); zero where u is floored at eps (the clip has no gradient there).
    const live = tf.greater(u, this.eps);
    const scale = tf.where(live, tf.div(-1 / this.beta, tf.maximum(u, this.eps)), tf.zerosLike(u));
    return { grad: tf.mul(du, scale.reshape([-1, 1])) as tf.Tensor2D, u };
  }
}

/**
 * The exact DrDAM energy -1/beta log sum_mu exp(-beta/2 ||v - xi_mu||^2) of
 * states [B, D] against memories [K, D] (caller owns the result).
 */
export function drdamExactEnergy(states: TensorInput, memories: TensorInput, beta: number): tf.Tensor1D {
  checkPositive('beta', beta);
  const m = toMatrix('memories', memories);
  const x = toMatrix('states', states, m.shape[1]);
  try {
    return tf.tidy(() => {
      // ||v - xi||^2 = |v|^2 - 2 v.xi + |xi|^2, with xi^T materialised once (no transposed matMul).
      const d2 = tf.add(tf.sub(tf.sum(tf.square(x), 1, true), tf.mul(tf.matMul(x, tf.transpose(m)), 2)), tf.sum(tf.square(m), 1).reshape([1, -1]));
      return tf.mul(tf.logSumExp(tf.mul(tf.relu(d2), -beta / 2), 1), -1 / beta) as tf.Tensor1D;
    });
  } finally {
    m.dispose();
    x.dispose();
  }
}
