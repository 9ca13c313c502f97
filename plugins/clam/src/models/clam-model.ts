/**
 * ClAM as an engram model (kind 'clam/clam'): one layer x of `size`
 * features, the prototype synapse holding `memories` prototypes, and the
 * assignment dynamics x <- x + dt sum_mu softmax_mu(-(beta/2)||x - rho_mu||^2)
 * (rho_mu - x) streamed by `run` (core's engine: clamp masks hold entries,
 * 1 = held). The training face is the paper's mask-and-complete loss through
 * the T = 1/dt unrolled steps. `assign` is the paper's cluster assignment:
 * the unmasked dynamics for T steps, then the nearest prototype.
 */
import * as tf from '@tensorflow/tfjs';
import {
  EngramError,
  ErrorCodes,
  ModelBase,
  integrate,
  isArrayDataset,
  parseConfig,
  readState,
  toTensor,
  type DynamicsSystem,
  type EnergyTerms,
  type Engram,
  type Hypersynapse,
  type JsonObject,
  type RunDefaults,
  type RunOptions,
  type State,
  type StateInput,
  type StateLayer,
  type TensorInput,
  type TrainingFace,
} from '@engram/core';
import { readMatrix, type HostMatrix } from '../internal/host-matrix.js';
import { standardize } from '../datasets/standardize.js';
import { clamConfigSchema, clamTrainingSchema, resolveSteps, type ClamConfig, type ClamTrainingSettings } from './clam-schema.js';
import { CLAM_LAYER, clamSystem } from './clam-dynamics.js';
import { completionLoss } from './completion-loss.js';
import { fillValues, maskedBatches, type ClamBatch } from './masked-batches.js';
import { prototypeSynapse } from './prototype-synapse.js';

/** The registered kind. */
export const CLAM_KIND = 'clam/clam';

/** Rows per chunk when settling many samples at once (bounds memory). */
const SETTLE_CHUNK = 2048;

/** Options of {@link ClamModel.settle}. */
export interface SettleOptions {
  /** Number of steps (default the model's T). */
  steps?: number;
  /** Entries held at their start values, 1 = held (broadcasts against [batch, size]). */
  clamp?: TensorInput;
}

/** A ClAM model: prototypes, energy, assignment dynamics and the mask-and-complete training face. */
export class ClamModel extends ModelBase<ClamConfig> {
  readonly kind = CLAM_KIND;
  readonly layers: readonly StateLayer[];
  protected override readonly runDefaults: RunDefaults;
  /** The energy, with the prototypes as its variable `patterns`. */
  readonly synapse: Hypersynapse;
  private readonly config: ClamConfig;

  /** Builds a model from a config (checked against {@link clamConfigSchema}; use `engram.createModel('clam/clam', ...)` for coded config errors). */
  constructor(config: Partial<ClamConfig> & { size: number; memories: number }, patterns?: TensorInput) {
    super();
    const parsed = parseConfig(clamConfigSchema, config, CLAM_KIND);
    this.config = { ...parsed, steps: resolveSteps(parsed) };
    this.layers = [{ name: CLAM_LAYER, shape: [this.config.size] }];
    this.runDefaults = { maxSteps: this.config.steps, dt: this.config.dt };
    const { size, memories, beta, seed, initMean, initStd } = this.config;
    this.synapse = prototypeSynapse({ size, memories, beta, seed, initMean, initStd, ...(patterns !== undefined ? { patterns } : {}) });
  }

  /** Features per sample. */
  get size(): number {
    return this.config.size;
  }

  /** Number of prototypes (clusters). */
  get memories(): number {
    return this.config.memories;
  }

  /** Inverse temperature. */
  get beta(): number {
    return this.config.beta;
  }

  /** The number T of steps of the assignment (and of the unrolled training). */
  get steps(): number {
    return this.config.steps;
  }

  /** Step size alpha. */
  get dt(): number {
    return this.config.dt;
  }

  /** The prototypes [memories, size] (a copy the caller owns). */
  prototypes(): tf.Tensor2D {
    this.assertAlive();
    return (this.synapse.variables['patterns'] as tf.Variable).clone() as tf.Tensor2D;
  }

  /** The prototype variable itself (live: do not dispose). */
  get patterns(): tf.Variable {
    this.assertAlive();
    return this.synapse.variables['patterns'] as tf.Variable;
  }

  /** Energy per sample, with its one term. */
  energy(state: StateInput): EnergyTerms {
    this.assertAlive();
    const x = readState(state, this.layers, 'state');
    try {
      return clamSystem(this.synapse, this.beta).energy!(x);
    } finally {
      for (const t of Object.values(x)) t.dispose();
    }
  }

  /**
   * Runs the dynamics synchronously for `steps` (default T) steps from `x`
   * [batch, size] and returns the final states (caller owns them).
   * Differentiable when called inside a gradient tape.
   */
  settle(x: TensorInput, options: SettleOptions = {}): tf.Tensor2D {
    this.assertAlive();
    const steps = options.steps ?? this.steps;
    const start = toTensor(x, 'settle input', { shape: ['batch', this.size], batch: true, finite: true }) as tf.Tensor2D;
    const system = clamSystem(this.synapse, this.beta, { energy: false });
    try {
      const clamp = options.clamp !== undefined ? { [CLAM_LAYER]: options.clamp } : undefined;
      const run = (rows: tf.Tensor2D): tf.Tensor2D => integrate(system, { [CLAM_LAYER]: rows }, { steps, dt: this.dt, ...(clamp ? { clamp } : {}) })[CLAM_LAYER] as tf.Tensor2D;
      if (start.shape[0] <= SETTLE_CHUNK || clamp) return run(start);
      const parts: tf.Tensor2D[] = [];
      try {
        for (let i = 0; i < start.shape[0]; i += SETTLE_CHUNK) {
          const rows = tf.slice(start, [i, 0], [Math.min(SETTLE_CHUNK, start.shape[0] - i), this.size]);
          parts.push(run(rows));
          rows.dispose();
        }
        return tf.concat(parts, 0);
      } finally {
        tf.dispose(parts);
      }
    } finally {
      system.dispose();
      start.dispose();
    }
  }

  /** Index of the nearest prototype of each row of `x` [batch, size]. */
  nearest(x: TensorInput): Int32Array {
    this.assertAlive();
    return tf.tidy(() => {
      const t = toTensor(x, 'nearest input', { shape: ['batch', this.size], batch: true, finite: true }) as tf.Tensor2D;
      const p = this.patterns as unknown as tf.Tensor2D;
      // argmin ||x - rho||^2 = argmax (x . rho - ||rho||^2 / 2)
      const score = tf.sub(tf.matMul(t, p, false, true), tf.mul(tf.sum(tf.square(p), 1), 0.5));
      return Int32Array.from(tf.argMax(score, 1).dataSync());
    });
  }

  /** The paper's assignment: the unmasked dynamics for T steps, then the nearest prototype. */
  assign(x: TensorInput): Int32Array {
    this.assertAlive();
    const settled = this.settle(x);
    try {
      return this.nearest(settled);
    } finally {
      settled.dispose();
    }
  }

  protected dynamics(options: RunOptions, initial: State): DynamicsSystem {
    const x = initial[CLAM_LAYER]!;
    if (x.rank !== 2 || x.shape[1] !== this.size) throw new EngramError(ErrorCodes.SHAPE_MISMATCH, `initial state has shape [${x.shape}] but [batch, ${this.size}] was expected`, {});
    return clamSystem(this.synapse, this.beta, { energyTree: options.energyTree ?? true });
  }

  variables(): Record<string, tf.Variable> {
    return { patterns: this.synapse.variables['patterns'] as tf.Variable };
  }

  getConfig(): ClamConfig {
    return { ...this.config };
  }

  protected override release(): void {
    this.synapse.dispose();
  }

  /** The loss's view of the model. */
  private setup() {
    return { synapse: this.synapse, beta: this.beta, dt: this.dt, steps: this.steps };
  }

  /** The mask-and-complete loss of a batch (see completion-loss.ts). */
  loss(batch: ClamBatch): tf.Scalar {
    this.assertAlive();
    return completionLoss(this.setup(), batch);
  }

  /** Masked batches of `x` for these settings (the fill values come from `x`). */
  batchesOf(x: HostMatrix, settings: Pick<ClamTrainingSettings, 'batchSize' | 'hidden' | 'fill' | 'sharedMaskEvery' | 'seed'>) {
    return maskedBatches(x, { batchSize: settings.batchSize, hidden: settings.hidden, fill: fillValues(x, settings.fill), sharedMaskEvery: settings.sharedMaskEvery, seed: settings.seed });
  }

  /**
   * Mask-and-complete training on a data set: 'clam/blobs' in the model's
   * size with `memories` blobs by default (seeded), standardised.
   */
  override readonly training: TrainingFace<ClamBatch, ClamTrainingSettings> = {
    schema: clamTrainingSchema,
    data: async (s, engram: Engram) => {
      const id = s.data ?? 'clam/blobs';
      const options: JsonObject = id === 'clam/blobs' ? { count: s.limit, size: this.size, clusters: this.memories, seed: s.seed } : {};
      const set = await engram.dataset(id, options);
      if (!isArrayDataset(set) || set.shape.reduce((a, b) => a * b, 1) !== this.size) {
        throw new EngramError(ErrorCodes.SHAPE_MISMATCH, `data set '${id}' does not give samples of ${this.size} features for ${this.kind}`, { id, size: this.size });
      }
      const all = readMatrix(set, `data set '${id}'`);
      const n = Math.min(all.n, s.limit);
      const x: HostMatrix = { n, d: all.d, data: all.data.subarray(0, n * all.d) };
      return this.batchesOf(s.standardize ? standardize(x) : x, s);
    },
    loss: (batch) => this.loss(batch),
  };
}
