/**
 * A sigma-conditioned MLP denoiser with the EDM preconditioning of Karras et al.
 * (2022): D(x, sigma) = c_skip x + c_out F([c_in x, emb(c_noise)]) with
 * c_skip = sd^2/(sigma^2+sd^2), c_out = sigma sd/sqrt(sigma^2+sd^2),
 * c_in = 1/sqrt(sigma^2+sd^2), c_noise = ln(sigma)/4 (sd = sigma_data). The
 * preconditioning keeps the network's input and target at unit variance for
 * every sigma, which is what lets a small MLP train in a few thousand steps.
 */
import * as tf from '@tensorflow/tfjs';
import { errors, type EngramModel, type JsonObject } from '@engram/core';
import type { Denoiser } from './denoiser.js';
import { posInt, posNum } from './internal/validate.js';

/** Registered id of {@link ScoreModel}. */
export const SCORE_KIND = 'diffusion/score';

/** Config of {@link ScoreModel}. */
export interface ScoreModelConfig {
  /** Flattened data dimension (e.g. 196 for 14 x 14 images). */
  dim: number;
  /** Hidden layer widths (default [256, 256]). */
  hidden?: number[];
  /** Size of the sinusoidal noise-level embedding, even (default 32). */
  embedDim?: number;
  /** Standard deviation of the data, sigma_data (default 0.5). */
  sigmaData?: number;
  /** Seed of the initialisation (default 0). */
  seed?: number;
  /** Epochs already trained (kept in checkpoints so training resumes where it stopped). */
  trainedEpochs?: number;
  /**
   * 'edm' (default): D = c_skip x + c_out F(c_in x, c_noise), the network predicts a
   * unit-variance mix of noise and signal. 'x0': D = F(c_in x, c_noise), the network
   * predicts the clean image itself. At small sigma 'edm' asks an MLP to reproduce
   * its input to a precision of sigma (a near-identity map scaled by sigma_data/sigma),
   * which it learns slowly; 'x0' asks for a lookup, which is what memorization is.
   */
  parametrization?: 'edm' | 'x0';
}

/** EDM preconditioning coefficients for a noise level (number or [B] tensor -> [B, 1] or scalars). */
export function edmPreconditioning(sigma: number, sigmaData: number): { cSkip: number; cOut: number; cIn: number; cNoise: number } {
  const s2 = sigma * sigma + sigmaData * sigmaData;
  return { cSkip: (sigmaData * sigmaData) / s2, cOut: (sigma * sigmaData) / Math.sqrt(s2), cIn: 1 / Math.sqrt(s2), cNoise: Math.log(sigma) / 4 };
}

/** The trainable denoiser of 'diffusion/score'. */
export class ScoreModel implements Denoiser, EngramModel {
  readonly kind = SCORE_KIND;
  readonly dim: number;
  readonly hidden: number[];
  readonly embedDim: number;
  readonly sigmaData: number;
  readonly seed: number;
  readonly parametrization: 'edm' | 'x0';
  /** Epochs trained so far (updated by trainDenoiser). */
  trainedEpochs: number;
  private readonly weights: Record<string, tf.Variable> = {};
  private readonly freqs: tf.Tensor1D;
  private disposed = false;

  constructor(config: ScoreModelConfig) {
    if (!config || typeof config !== 'object') throw errors.invalidArgument('config', '{ dim, hidden?, embedDim?, sigmaData?, seed? }', config);
    this.dim = posInt('dim', config.dim);
    const hidden = config.hidden ?? [256, 256];
    if (!Array.isArray(hidden) || hidden.length === 0) throw errors.invalidArgument('hidden', 'a non-empty array of layer widths', hidden);
    this.hidden = hidden.map((h, i) => posInt(`hidden[${i}]`, h));
    this.embedDim = posInt('embedDim', config.embedDim ?? 32);
    if (this.embedDim % 2 !== 0) throw errors.invalidArgument('embedDim', 'an even number', this.embedDim);
    this.sigmaData = posNum('sigmaData', config.sigmaData ?? 0.5);
    this.seed = config.seed ?? 0;
    if (!Number.isSafeInteger(this.seed)) throw errors.invalidArgument('seed', 'an integer', config.seed);
    this.trainedEpochs = config.trainedEpochs ?? 0;
    this.parametrization = config.parametrization ?? 'edm';
    if (this.parametrization !== 'edm' && this.parametrization !== 'x0') throw errors.invalidArgument('parametrization', "'edm' or 'x0'", config.parametrization);
    if (!Number.isInteger(this.trainedEpochs) || this.trainedEpochs < 0) throw errors.invalidArgument('trainedEpochs', 'an integer >= 0', config.trainedEpochs);
    const half = this.embedDim / 2;
    // Frequencies 0.5 .. 8 cycles per unit of c_noise (c_noise spans about [-1.6, 1.1]).
    this.freqs = tf.tensor1d(Array.from({ length: half }, (_, k) => 2 * Math.PI * 0.5 * 16 ** (half === 1 ? 0 : k / (half - 1))));
    const widths = [...this.hidden, this.dim];
    let fanIn = this.dim;
    widths.forEach((w, i) => {
      const inDim = fanIn + this.embedDim;
      // He-style init for SiLU layers; the output layer starts small so D starts near c_skip x.
      const std = i === widths.length - 1 ? 0.1 / Math.sqrt(inDim) : Math.sqrt(2 / inDim);
      // tidy frees the initial values; variables survive it
      this.weights[`W${i}`] = tf.tidy(() => tf.variable(tf.randomNormal([inDim, w], 0, std, 'float32', this.seed * 101 + i + 1), true));
      this.weights[`b${i}`] = tf.tidy(() => tf.variable(tf.zeros([w]), true));
      fanIn = w;
    });
  }

  /** Trainable variables by name. */
  variables(): Record<string, tf.Variable> {
    return { ...this.weights };
  }

  /** Sinusoidal embedding of c_noise [B] -> [B, embedDim]. */
  private embed(cNoise: tf.Tensor1D): tf.Tensor2D {
    const a = tf.mul(tf.reshape(cNoise, [-1, 1]), tf.reshape(this.freqs, [1, -1]));
    return tf.concat([tf.sin(a), tf.cos(a)], 1) as tf.Tensor2D;
  }

  /** The raw network F(input [B, dim], c_noise [B]) -> [B, dim]. */
  network(input: tf.Tensor2D, cNoise: tf.Tensor1D): tf.Tensor2D {
    const emb = this.embed(cNoise);
    const n = this.hidden.length;
    let h: tf.Tensor2D = input;
    for (let i = 0; i <= n; i++) {
      const z = tf.add(tf.matMul(tf.concat([h, emb], 1) as tf.Tensor2D, this.weights[`W${i}`] as tf.Tensor2D), this.weights[`b${i}`]!) as tf.Tensor2D;
      h = i < n ? (tf.mul(z, tf.sigmoid(z)) as tf.Tensor2D) : z; // SiLU
    }
    return h;
  }

  /** sigma as a [B] tensor (checked positive). */
  private sigmaVector(sigma: number | tf.Tensor1D, batch: number): tf.Tensor1D {
    if (typeof sigma === 'number') return tf.fill([batch], posNum('sigma', sigma)) as tf.Tensor1D;
    if (sigma.rank !== 1 || sigma.shape[0] !== batch) throw errors.shapeMismatch('sigma', [batch], sigma.shape);
    return sigma;
  }

  /** Preconditioned D(x, sigma), differentiable with respect to the variables. */
  denoise(x: tf.Tensor2D, sigma: number | tf.Tensor1D): tf.Tensor2D {
    if (this.disposed) throw errors.disposed('diffusion/score model');
    if (x.rank !== 2 || x.shape[1] !== this.dim) throw errors.shapeMismatch('denoiser input x', ['batch', this.dim], x.shape);
    return tf.tidy(() => {
      const s = this.sigmaVector(sigma, x.shape[0]);
      const { cSkip, cOut, cIn, cNoise } = this.coefficients(s);
      const f = this.network(tf.mul(cIn, x) as tf.Tensor2D, cNoise);
      if (this.parametrization === 'x0') return f;
      return tf.add(tf.mul(cSkip, x), tf.mul(cOut, f)) as tf.Tensor2D;
    });
  }

  /** Preconditioning coefficients for sigma [B]: c_skip, c_out, c_in as [B, 1]; c_noise as [B]. */
  coefficients(sigma: tf.Tensor1D): { cSkip: tf.Tensor2D; cOut: tf.Tensor2D; cIn: tf.Tensor2D; cNoise: tf.Tensor1D } {
    const sd2 = this.sigmaData * this.sigmaData;
    const s = tf.reshape(sigma, [-1, 1]) as tf.Tensor2D;
    const s2 = tf.add(tf.square(s), sd2);
    const root = tf.sqrt(s2);
    return {
      cSkip: tf.div(sd2, s2) as tf.Tensor2D,
      cOut: tf.div(tf.mul(s, this.sigmaData), root) as tf.Tensor2D,
      cIn: tf.reciprocal(root) as tf.Tensor2D,
      cNoise: tf.div(tf.log(sigma), 4) as tf.Tensor1D,
    };
  }

  /**
   * EDM denoising score-matching loss of a clean batch y [B, dim] at levels sigma [B]
   * with noise n [B, dim]: mean ||F(c_in x, c_noise) - (y - c_skip x)/c_out||^2, x = y + sigma n.
   * This is lambda(sigma) ||D(x, sigma) - y||^2 with EDM's weight lambda = 1/c_out^2.
   */
  loss(y: tf.Tensor2D, sigma: tf.Tensor1D, noise: tf.Tensor2D): tf.Scalar {
    return tf.tidy(() => {
      const x = tf.add(y, tf.mul(tf.reshape(sigma, [-1, 1]), noise)) as tf.Tensor2D;
      const { cSkip, cOut, cIn, cNoise } = this.coefficients(sigma);
      const f = this.network(tf.mul(cIn, x) as tf.Tensor2D, cNoise);
      if (this.parametrization === 'x0') {
        // The same lambda ||D - y||^2 with lambda = 1/c_out^2, its sigma floored at 0.05 so
        // the few tiny-sigma draws do not dominate the batch.
        const w = tf.reciprocal(tf.square(tf.maximum(cOut, this.sigmaData * 0.05 / Math.sqrt(0.0025 + this.sigmaData ** 2))));
        return tf.mean(tf.mul(w, tf.square(tf.sub(f, y)))) as tf.Scalar;
      }
      const target = tf.div(tf.sub(y, tf.mul(cSkip, x)), cOut);
      return tf.mean(tf.square(tf.sub(f, target))) as tf.Scalar;
    });
  }

  getConfig(): JsonObject {
    return {
      dim: this.dim,
      hidden: [...this.hidden],
      embedDim: this.embedDim,
      sigmaData: this.sigmaData,
      seed: this.seed,
      parametrization: this.parametrization,
      trainedEpochs: this.trainedEpochs,
    };
  }

  getWeights(): Record<string, tf.Tensor> {
    return { ...this.weights };
  }

  setWeights(weights: Record<string, tf.Tensor>): void {
    for (const [k, v] of Object.entries(this.weights)) {
      const w = weights[k];
      if (!w) throw errors.invalidArgument('weights', `an entry '${k}'`, Object.keys(weights));
      if (!tf.util.arraysEqual(w.shape, v.shape)) throw errors.shapeMismatch(`weight ${k}`, v.shape, w.shape);
    }
    for (const [k, v] of Object.entries(this.weights)) v.assign(weights[k]!);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const v of Object.values(this.weights)) v.dispose();
    this.freqs.dispose();
  }
}
