/**
 * The SDMLP: a one-hidden-layer MLP that implements Kanerva's Sparse
 * Distributed Memory (Bricken et al., ICLR 2023). Hidden neurons are SDM
 * storage locations: their input weights are addresses (non-negative, unit
 * norm, so the pre-activation is the cosine similarity to the normalised
 * input), GABA-switch Top-K keeps the k nearest addresses active, and the
 * non-negative readout holds the values written there. The same class, with
 * `sdm: false`, is the ReLU / Top-K MLP baseline.
 */
import * as tf from '@tensorflow/tfjs';
import { errors, type EngramModel, type JsonObject } from '@engram/core';
import { type SdmlpConfig, resolveSdmlpConfig } from './config.js';
import { gabaResponse, gabaTopK, topKMask } from './gaba-switch.js';

/** Registered model id. */
export const SDMLP_KIND = 'sdm/sdmlp';

/** A neuron counts as dead when its summed activation over a data set is below this (the reference's active_threshold). */
export const DEAD_NEURON_THRESHOLD = 1e-4;

/** SDMLP (or baseline MLP) with trainable `w1 [in, N]`, `w2 [N, out]` (+ biases without `sdm`) and GABA activation counts. */
export class Sdmlp implements EngramModel {
  /** 'sdm/sdmlp'. */
  readonly kind = SDMLP_KIND;
  /** Resolved hyper-parameters. */
  readonly config: SdmlpConfig;
  /** Neuron addresses, stored `[in, N]` (one column per neuron) so the hot product x·W needs no transpose. */
  readonly w1: tf.Variable;
  /** Readout `[N, out]`. */
  readonly w2: tf.Variable;
  /** Hidden bias (baselines only; null with `sdm`). */
  readonly b1: tf.Variable | null;
  /** Output bias (baselines only; null with `sdm`). */
  readonly b2: tf.Variable | null;
  /** How many times each neuron has fired in training (drives the GABA switch). Not trainable. */
  readonly counts: tf.Variable;
  private disposed = false;

  constructor(config: Partial<SdmlpConfig> | JsonObject = {}) {
    const c = resolveSdmlpConfig(config);
    this.config = c;
    // PyTorch nn.Linear's default init, U(-1/sqrt(fan_in), 1/sqrt(fan_in)), as in the reference.
    const b1 = 1 / Math.sqrt(c.inputSize);
    const b2 = 1 / Math.sqrt(c.hidden);
    this.w1 = makeVariable(tf.randomUniform([c.inputSize, c.hidden], -b1, b1, 'float32', c.seed), true, 'w1');
    this.w2 = makeVariable(tf.randomUniform([c.hidden, c.outputs], -b2, b2, 'float32', c.seed + 1), true, 'w2');
    this.b1 = c.sdm ? null : makeVariable(tf.randomUniform([c.hidden], -b1, b1, 'float32', c.seed + 2), true, 'b1');
    this.b2 = c.sdm ? null : makeVariable(tf.randomUniform([c.outputs], -b2, b2, 'float32', c.seed + 3), true, 'b2');
    this.counts = makeVariable(tf.zeros([c.hidden]), false, 'counts');
    this.project();
  }

  /** The parameters the optimiser updates. */
  trainableVariables(): tf.Variable[] {
    return [this.w1, this.w2, ...(this.b1 ? [this.b1] : []), ...(this.b2 ? [this.b2] : [])];
  }

  private check(x: tf.Tensor): void {
    if (this.disposed) throw errors.invalidArgument('model', 'not disposed', 'a disposed Sdmlp');
    if (x.rank !== 2 || x.shape[1] !== this.config.inputSize) throw errors.shapeMismatch('SDMLP input', ['batch', this.config.inputSize], x.shape);
  }

  /** Inputs as the first layer sees them: with `sdm`, ReLU'd and L2-normalised per example. */
  private prepare(x: tf.Tensor2D): tf.Tensor2D {
    if (!this.config.sdm) return x;
    const r = tf.relu(x);
    return tf.div(r, tf.maximum(tf.norm(r, 'euclidean', 1, true), 1e-12));
  }

  /**
   * Hidden activations `[B, N]`. With `train: true` and the GABA switch, the
   * counts of the neurons that fired are incremented (call it once per step).
   */
  hiddenActivations(x: tf.Tensor2D, options: { train?: boolean } = {}): tf.Tensor2D {
    this.check(x);
    return tf.tidy(() => {
      let h: tf.Tensor2D = tf.matMul(this.prepare(x), this.w1 as tf.Tensor2D);
      if (this.b1) h = tf.add(h, this.b1) as tf.Tensor2D;
      const { activation, k, gabaHorizon } = this.config;
      if (activation === 'relu') return tf.relu(h);
      if (activation === 'topk') return topKMask(tf.relu(h), k);
      const a = gabaTopK(h, k, gabaResponse(this.counts, gabaHorizon));
      if (options.train) this.counts.assign(tf.add(this.counts, tf.sum(tf.cast(tf.greater(a, 0), 'float32'), 0)));
      return a;
    });
  }

  /** Class logits `[B, out]` (differentiable in the trainable variables). */
  logits(x: tf.Tensor2D, options: { train?: boolean } = {}): tf.Tensor2D {
    return tf.tidy(() => {
      let y: tf.Tensor2D = tf.matMul(this.hiddenActivations(x, options), this.w2 as tf.Tensor2D);
      if (this.b2) y = tf.add(y, this.b2) as tf.Tensor2D;
      return y;
    });
  }

  /**
   * Projects the weights back onto the SDM constraint set (call after every
   * optimiser step): w1 and w2 non-negative, each neuron's address (a column of
   * w1) at unit L2 norm. A no-op without `sdm`.
   */
  project(): void {
    if (!this.config.sdm) return;
    tf.tidy(() => {
      const w = tf.relu(this.w1);
      this.w1.assign(tf.div(w, tf.maximum(tf.norm(w, 'euclidean', 0, true), 1e-12)));
      this.w2.assign(tf.relu(this.w2));
    });
  }

  /** Current GABA coefficient of each neuron (-1 dense ... +1 exact Top-K); all 1 for 'topk', all -1 for 'relu'. */
  gaba(): Float32Array {
    if (this.config.activation === 'gaba-topk') return tf.tidy(() => gabaResponse(this.counts, this.config.gabaHorizon).dataSync() as Float32Array).slice();
    return new Float32Array(this.config.hidden).fill(this.config.activation === 'topk' ? 1 : -1);
  }

  /** Training activation count of each neuron (copy). */
  activationCounts(): Float32Array {
    return (this.counts.dataSync() as Float32Array).slice();
  }

  /** Predicted class of each row of x. */
  predict(x: tf.Tensor2D): Int32Array {
    return tf.tidy(() => tf.argMax(this.logits(x), 1).dataSync() as Int32Array).slice();
  }

  /** Per-neuron summed activation over `x`, evaluated in chunks. */
  activationTotals(x: tf.Tensor2D, chunk = 1000): Float32Array {
    this.check(x);
    const total = new Float32Array(this.config.hidden);
    for (let s = 0; s < x.shape[0]; s += chunk) {
      const part = tf.tidy(() => tf.sum(this.hiddenActivations(tf.slice(x, [s, 0], [Math.min(chunk, x.shape[0] - s), -1])), 0).dataSync());
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

  /** Classification accuracy on x with int labels, in chunks. */
  accuracy(x: tf.Tensor2D, labels: ArrayLike<number>, chunk = 1000): number {
    this.check(x);
    if (labels.length !== x.shape[0]) throw errors.shapeMismatch('labels', [x.shape[0]], [labels.length]);
    let correct = 0;
    for (let s = 0; s < x.shape[0]; s += chunk) {
      const n = Math.min(chunk, x.shape[0] - s);
      const p = tf.tidy(() => this.predict(tf.slice(x, [s, 0], [n, -1])));
      for (let i = 0; i < n; i++) if (p[i] === labels[s + i]) correct++;
    }
    return x.shape[0] === 0 ? 0 : correct / x.shape[0];
  }

  /** The resolved hyper-parameters as JSON (the spec's `config`). */
  getConfig(): JsonObject {
    return { ...this.config };
  }

  /** w1, w2, the GABA activation counts and (without `sdm`) b1, b2: live tensors, read by the serializer. */
  getWeights(): Record<string, tf.Tensor> {
    const w: Record<string, tf.Tensor> = { w1: this.w1, w2: this.w2, counts: this.counts };
    if (this.b1) w.b1 = this.b1;
    if (this.b2) w.b2 = this.b2;
    return w;
  }

  /** Copies weights in; every name of {@link getWeights} must be present with its shape (checked before anything is assigned). */
  setWeights(weights: Record<string, tf.Tensor>): void {
    const own = this.getWeights();
    for (const name of Object.keys(own)) {
      const t = weights[name];
      if (!t) throw errors.invalidArgument(`weights.${name}`, 'present', undefined);
      if (!tf.util.arraysEqual(t.shape, own[name]!.shape)) throw errors.shapeMismatch(`weights.${name}`, own[name]!.shape, t.shape);
    }
    for (const [name, v] of Object.entries(own)) (v as tf.Variable).assign(weights[name]!);
  }

  /** Frees every variable; later calls throw. Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const v of Object.values(this.getWeights())) v.dispose();
  }
}

let counter = 0;
/** A variable holding `init` (which is then freed), with a unique name (tfjs rejects two live variables with one name). */
function makeVariable(init: tf.Tensor, trainable: boolean, name: string): tf.Variable {
  const v = tf.variable(init, trainable, `sdmlp_${name}_${counter++}`);
  init.dispose();
  return v;
}
