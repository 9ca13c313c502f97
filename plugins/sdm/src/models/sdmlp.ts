/**
 * The SDMLP: a one-hidden-layer MLP that implements Kanerva's Sparse
 * Distributed Memory (Bricken et al., ICLR 2023). Hidden neurons are SDM
 * storage locations: their input weights are addresses (non-negative, unit
 * norm, so the pre-activation is the cosine similarity to the normalised
 * input), GABA-switch Top-K keeps the k nearest addresses active, and the
 * non-negative readout holds the values written there. The same class, with
 * `sdm: false`, is the ReLU / Top-K MLP baseline.
 *
 * Its `run` is the forward pass as an explicit layered system on the core
 * engine: the state is { input, hidden, logits }; each step recomputes every
 * layer from the layer below it (input is a source), so step 1 reads the k
 * nearest addresses into `hidden` and step 2 the values into `logits`, after
 * which the state is a fixed point (the run stops after 2 steps by default).
 * `logits`, `predict` and the training loss use the same two layer maps.
 */
import * as tf from '@tensorflow/tfjs';
import {
  ModelBase,
  errors,
  explicitRule,
  isTensorInput,
  parseConfig,
  z,
  type DynamicsSystem,
  type GenerateOptions,
  type State,
  type StateInput,
  type StateLayer,
  type TrainingFace,
  type ArrayBatch,
} from '@engram/core';
import { gabaResponse, gabaTopK, topKMask } from './gaba-switch.js';
import { sdmlpTrainingFace, type SdmlpTrainingSettings } from './sdmlp-training.js';

/** Registered model id. */
export const SDMLP_KIND = 'sdm/sdmlp';

/** A neuron counts as dead when its summed activation over a data set is below this (the reference's active_threshold). */
export const DEAD_NEURON_THRESHOLD = 1e-4;

/** Hidden-layer non-linearity. */
export type HiddenActivation = 'gaba-topk' | 'topk' | 'relu';

/**
 * Config of 'sdm/sdmlp'. The SDMLP of Bricken et al. is `{ activation: 'gaba-topk', sdm: true }`
 * (the defaults: 28 x 28 images, 10 classes, N = 1,000, k = 10); `sdm: false` gives a plain
 * MLP (biases, unconstrained weights, raw inputs) with ReLU or Top-K.
 */
export const sdmlpSchema = z
  .strictObject({
    size: z.number().int().positive().default(784).describe('input size (784 for Fashion-MNIST)'),
    hiddenSize: z.number().int().positive().default(1000).describe('hidden neurons N, the storage locations (the paper: 1,000 or 10,000)'),
    classes: z.number().int().min(2).default(10).describe('output classes (one shared head)'),
    activation: z.enum(['gaba-topk', 'topk', 'relu']).default('gaba-topk').describe("hidden non-linearity: GABA-switch Top-K, exact Top-K by masking, or ReLU"),
    k: z.number().int().positive().default(10).describe("active neurons per input for 'gaba-topk' and 'topk' (the paper: 10 for N = 1,000)"),
    gabaHorizon: z
      .number()
      .positive()
      .default(60_000)
      .describe('GABA switch horizon: how often a neuron must have fired for its inhibition coefficient to move from -1 (dense) to +1 (exact Top-K)'),
    sdm: z
      .boolean()
      .default(true)
      .describe('SDM constraints: inputs ReLU-ed and L2-normalised, non-negative unit-norm addresses without bias, non-negative readout without bias; false: a standard MLP'),
    seed: z.number().int().min(0).default(0).describe('seed of the weight initialisation'),
  })
  .refine((c) => c.activation === 'relu' || c.k < c.hiddenSize, { message: 'less than hiddenSize (Top-K keeps k of the hidden neurons)', path: ['k'] });

/** Config of {@link Sdmlp}, as given. */
export type SdmlpConfigInput = z.input<typeof sdmlpSchema>;
/** Config of {@link Sdmlp}, defaults filled in. */
export type SdmlpConfig = z.output<typeof sdmlpSchema>;

/**
 * SDMLP (or baseline MLP) with trainable `w1 [size, hiddenSize]` (one column per
 * neuron address, the usual dense-layer layout), `w2 [hiddenSize, classes]` (+ biases
 * without `sdm`) and the non-trainable GABA activation `counts`.
 */
export class Sdmlp extends ModelBase<SdmlpConfig> {
  readonly kind = SDMLP_KIND;
  readonly layers: readonly StateLayer[];
  /** Hyper-parameters, defaults filled in. */
  readonly config: SdmlpConfig;
  /** Neuron addresses `[size, hiddenSize]`, one column per neuron. */
  readonly w1: tf.Variable;
  /** Readout `[hiddenSize, classes]`. */
  readonly w2: tf.Variable;
  /** Hidden bias (baselines only; null with `sdm`). */
  readonly b1: tf.Variable | null;
  /** Output bias (baselines only; null with `sdm`). */
  readonly b2: tf.Variable | null;
  /** How many times each neuron has fired in training (drives the GABA switch). Not trainable; saved. */
  readonly counts: tf.Variable;
  override readonly training: TrainingFace<ArrayBatch, SdmlpTrainingSettings>;
  protected override readonly runDefaults = { maxSteps: 2 };

  constructor(config: SdmlpConfigInput = {}) {
    super();
    const c = parseConfig(sdmlpSchema, config, SDMLP_KIND);
    this.config = c;
    this.layers = [
      { name: 'input', shape: [c.size] },
      { name: 'hidden', shape: [c.hiddenSize] },
      { name: 'logits', shape: [c.classes] },
    ];
    // PyTorch nn.Linear's default init, U(-1/sqrt(fan_in), 1/sqrt(fan_in)), as in the reference.
    const r1 = 1 / Math.sqrt(c.size);
    const r2 = 1 / Math.sqrt(c.hiddenSize);
    const uniform = (shape: number[], r: number, seed: number) => tf.tidy(() => tf.variable(tf.randomUniform(shape, -r, r, 'float32', seed), true));
    this.w1 = uniform([c.size, c.hiddenSize], r1, c.seed);
    this.w2 = uniform([c.hiddenSize, c.classes], r2, c.seed + 1);
    this.b1 = c.sdm ? null : uniform([c.hiddenSize], r1, c.seed + 2);
    this.b2 = c.sdm ? null : uniform([c.classes], r2, c.seed + 3);
    this.counts = tf.tidy(() => tf.variable(tf.zeros([c.hiddenSize]), false));
    this.project();
    this.training = sdmlpTrainingFace(this);
  }

  /** w1, w2, the GABA activation counts and (without `sdm`) b1, b2: every saved tensor. The trainable ones are trained. */
  variables(): Record<string, tf.Variable> {
    this.assertAlive();
    const v: Record<string, tf.Variable> = { w1: this.w1, w2: this.w2, counts: this.counts };
    if (this.b1) v['b1'] = this.b1;
    if (this.b2) v['b2'] = this.b2;
    return v;
  }

  getConfig(): SdmlpConfig {
    this.assertAlive();
    return { ...this.config };
  }

  /** A single tensor is the input layer; hidden and logits then start at zeros. */
  override initialState(input: StateInput | number, options: GenerateOptions = {}): State {
    return super.initialState(typeof input !== 'number' && isTensorInput(input) ? { input } : input, options);
  }

  /** Generated states: seeded uniform [0, 1) inputs (pixel-like), zeros elsewhere. */
  protected override generateState(batch: number, options: GenerateOptions): State {
    const c = this.config;
    const hi = options.std ? Math.sqrt(12) * options.std : 1;
    return {
      input: tf.randomUniform([batch, c.size], 0, hi, 'float32', options.seed ?? 0),
      hidden: tf.zeros([batch, c.hiddenSize]),
      logits: tf.zeros([batch, c.classes]),
    };
  }

  protected dynamics(): DynamicsSystem {
    return explicitRule({
      update: (state) =>
        tf.tidy(() => ({
          input: tf.clone(state['input']!),
          hidden: this.hiddenMap(state['input'] as tf.Tensor2D, false),
          logits: this.readout(state['hidden'] as tf.Tensor2D),
        })),
    });
  }

  /** Inputs as the first layer sees them: with `sdm`, ReLU-ed and L2-normalised per example. */
  private prepare(x: tf.Tensor2D): tf.Tensor2D {
    if (!this.config.sdm) return x;
    const r = tf.relu(x);
    return tf.div(r, tf.maximum(tf.norm(r, 'euclidean', 1, true), 1e-12));
  }

  /** Input [B, size] -> hidden activations [B, hiddenSize]; in training passes the GABA counts of the neurons that fired grow. */
  private hiddenMap(x: tf.Tensor2D, train: boolean): tf.Tensor2D {
    return tf.tidy(() => {
      let h: tf.Tensor2D = tf.matMul(this.prepare(x), this.w1 as tf.Tensor2D);
      if (this.b1) h = tf.add(h, this.b1) as tf.Tensor2D;
      const { activation, k, gabaHorizon } = this.config;
      if (activation === 'relu') return tf.relu(h);
      if (activation === 'topk') return topKMask(tf.relu(h), k);
      const a = gabaTopK(h, k, gabaResponse(this.counts, gabaHorizon));
      if (train) this.counts.assign(tf.add(this.counts, tf.sum(tf.cast(tf.greater(a, 0), 'float32'), 0)));
      return a;
    });
  }

  /** Hidden [B, hiddenSize] -> class logits [B, classes]. */
  private readout(h: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const y = tf.matMul(h, this.w2 as tf.Tensor2D);
      return (this.b2 ? tf.add(y, this.b2) : y) as tf.Tensor2D;
    });
  }

  private checkInput(x: tf.Tensor): void {
    this.assertAlive();
    if (x.rank !== 2 || x.shape[1] !== this.config.size) throw errors.shapeMismatch('SDMLP input', ['batch', this.config.size], x.shape);
  }

  /**
   * Hidden activations `[B, hiddenSize]`. With `train: true` and the GABA switch, the
   * counts of the neurons that fired are incremented (once per training step).
   */
  hiddenActivations(x: tf.Tensor2D, options: { train?: boolean } = {}): tf.Tensor2D {
    this.checkInput(x);
    return this.hiddenMap(x, options.train ?? false);
  }

  /** Class logits `[B, classes]` (differentiable in the trainable variables): the run's two steps in one call. */
  logits(x: tf.Tensor2D, options: { train?: boolean } = {}): tf.Tensor2D {
    this.checkInput(x);
    return tf.tidy(() => this.readout(this.hiddenMap(x, options.train ?? false)));
  }

  /**
   * Projects the weights back onto the SDM constraint set (after every
   * optimiser step; the training face's afterStep): w1 and w2 non-negative, each
   * neuron's address (a column of w1) at unit L2 norm. A no-op without `sdm`.
   */
  project(): void {
    this.assertAlive();
    if (!this.config.sdm) return;
    tf.tidy(() => {
      const w = tf.relu(this.w1);
      this.w1.assign(tf.div(w, tf.maximum(tf.norm(w, 'euclidean', 0, true), 1e-12)));
      this.w2.assign(tf.relu(this.w2));
    });
  }

  /** Current GABA coefficient of each neuron (-1 dense ... +1 exact Top-K); all 1 for 'topk', all -1 for 'relu'. */
  gaba(): Float32Array {
    this.assertAlive();
    if (this.config.activation === 'gaba-topk') return tf.tidy(() => gabaResponse(this.counts, this.config.gabaHorizon).dataSync() as Float32Array).slice();
    return new Float32Array(this.config.hiddenSize).fill(this.config.activation === 'topk' ? 1 : -1);
  }

  /** Training activation count of each neuron (copy). */
  activationCounts(): Float32Array {
    this.assertAlive();
    return (this.counts.dataSync() as Float32Array).slice();
  }

  /** Predicted class of each row of x. */
  predict(x: tf.Tensor2D): Int32Array {
    return tf.tidy(() => tf.argMax(this.logits(x), 1).dataSync() as Int32Array).slice();
  }

  /** Per-neuron summed activation over `x`, evaluated in chunks. */
  activationTotals(x: tf.Tensor2D, chunk = 1000): Float32Array {
    this.checkInput(x);
    const total = new Float32Array(this.config.hiddenSize);
    for (let s = 0; s < x.shape[0]; s += chunk) {
      const part = tf.tidy(() => tf.sum(this.hiddenMap(tf.slice(x, [s, 0], [Math.min(chunk, x.shape[0] - s), -1]), false), 0).dataSync());
      for (let i = 0; i < total.length; i++) total[i]! += part[i]!;
    }
    return total;
  }

  /** Fraction of hidden neurons that never fire (summed activation < {@link DEAD_NEURON_THRESHOLD}) on x. */
  deadNeuronFraction(x: tf.Tensor2D): number {
    const t = this.activationTotals(x);
    let dead = 0;
    for (const v of t) if (v < DEAD_NEURON_THRESHOLD) dead++;
    return dead / t.length;
  }

  /** Classification accuracy on x with integer labels, in chunks. */
  accuracy(x: tf.Tensor2D, labels: ArrayLike<number>, chunk = 1000): number {
    this.checkInput(x);
    if (labels.length !== x.shape[0]) throw errors.shapeMismatch('labels', [x.shape[0]], [labels.length]);
    let correct = 0;
    for (let s = 0; s < x.shape[0]; s += chunk) {
      const n = Math.min(chunk, x.shape[0] - s);
      const p = tf.tidy(() => this.predict(tf.slice(x, [s, 0], [n, -1])));
      for (let i = 0; i < n; i++) if (p[i] === labels[s + i]) correct++;
    }
    return x.shape[0] === 0 ? 0 : correct / x.shape[0];
  }

  protected override release(): void {
    for (const v of [this.w1, this.w2, this.b1, this.b2, this.counts]) v?.dispose();
  }
}
