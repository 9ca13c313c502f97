/**
 * A sigma-conditioned MLP denoiser with the EDM preconditioning of Karras et al.
 * (2022): D(x, sigma) = c_skip x + c_out F([c_in x, emb(c_noise)]) with
 * c_skip = sd^2/(sigma^2+sd^2), c_out = sigma sd/sqrt(sigma^2+sd^2),
 * c_in = 1/sqrt(sigma^2+sd^2), c_noise = ln(sigma)/4 (sd = sigma_data). The
 * preconditioning keeps the network's input and target at unit variance for
 * every sigma, which is what lets a small MLP train in a few thousand steps.
 * Its `run` is reverse sampling (see {@link DenoiserModel}); its training face
 * is denoising score matching (see score-training.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { errors, parseConfig, z, type StateLayer, type TrainingFace } from '@engram/core';
import { normalSeed } from '../internal/seeds.js';
import { DenoiserModel } from './denoiser.js';
import { scoreTrainingFace, type DsmBatch, type ScoreTrainingSettings } from './score-training.js';

/** Registered id of {@link ScoreModel}. */
export const SCORE_KIND = 'diffusion/score';

const width = z.number().int().positive();

/** Config of 'diffusion/score'. */
export const scoreModelSchema = z.strictObject({
  size: width.describe('size of a sample (e.g. 196 for 14 x 14 images)'),
  hiddenSize: z.union([width, z.array(width).min(1)]).default([256, 256]).describe('hidden layer sizes of the MLP (one number: one hidden layer)'),
  embedSize: width.refine((n) => n % 2 === 0, 'an even number').default(32).describe('size of the sinusoidal noise-level embedding (even)'),
  sigmaData: z.number().positive().default(0.5).describe('standard deviation of the data, sigma_data'),
  parametrization: z
    .enum(['edm', 'x0'])
    .default('edm')
    .describe("'edm': D = c_skip x + c_out F (the network predicts a unit-variance mix of noise and signal); 'x0': D = F (it predicts the clean sample)"),
  seed: z.number().int().default(0).describe('seed of the initialisation'),
  trainedEpochs: z.number().int().min(0).default(0).describe('epochs already trained (kept in checkpoints so training resumes where it stopped)'),
});

/** Config of {@link ScoreModel}, as given. */
export type ScoreModelConfig = z.input<typeof scoreModelSchema>;

/** EDM preconditioning coefficients for a noise level. */
export function edmPreconditioning(sigma: number, sigmaData: number): { cSkip: number; cOut: number; cIn: number; cNoise: number } {
  const s2 = sigma * sigma + sigmaData * sigmaData;
  return { cSkip: (sigmaData * sigmaData) / s2, cOut: (sigma * sigmaData) / Math.sqrt(s2), cIn: 1 / Math.sqrt(s2), cNoise: Math.log(sigma) / 4 };
}

/**
 * The trainable denoiser of 'diffusion/score'. At small sigma 'edm' asks an MLP
 * to reproduce its input to a precision of sigma (a near-identity map scaled by
 * sigma_data/sigma), which it learns slowly; 'x0' asks for a lookup, which is
 * what memorization is.
 */
export class ScoreModel extends DenoiserModel<z.output<typeof scoreModelSchema>> {
  readonly kind = SCORE_KIND;
  readonly layers: readonly StateLayer[];
  readonly size: number;
  /** Hidden layer sizes. */
  readonly hiddenSize: readonly number[];
  readonly embedSize: number;
  readonly sigmaData: number;
  readonly seed: number;
  readonly parametrization: 'edm' | 'x0';
  /** Epochs trained so far (counted by the training face and trainDenoiser). */
  trainedEpochs: number;
  override readonly training: TrainingFace<DsmBatch, ScoreTrainingSettings>;
  private readonly weights: Record<string, tf.Variable> = {};
  private readonly freqs: tf.Tensor1D;

  constructor(config: ScoreModelConfig) {
    super();
    const c = parseConfig(scoreModelSchema, config, SCORE_KIND);
    this.size = c.size;
    this.layers = [{ name: 'x', shape: [c.size] }];
    this.hiddenSize = typeof c.hiddenSize === 'number' ? [c.hiddenSize] : [...c.hiddenSize];
    this.embedSize = c.embedSize;
    this.sigmaData = c.sigmaData;
    this.seed = c.seed;
    this.parametrization = c.parametrization;
    this.trainedEpochs = c.trainedEpochs;
    const half = this.embedSize / 2;
    // Frequencies 0.5 .. 8 cycles per unit of c_noise (c_noise spans about [-1.6, 1.1]).
    this.freqs = tf.tensor1d(Array.from({ length: half }, (_, k) => 2 * Math.PI * 0.5 * 16 ** (half === 1 ? 0 : k / (half - 1))));
    const widths = [...this.hiddenSize, this.size];
    let fanIn = this.size;
    widths.forEach((w, i) => {
      const inSize = fanIn + this.embedSize;
      // He-style init for SiLU layers; the output layer starts small so D starts near c_skip x.
      const std = i === widths.length - 1 ? 0.1 / Math.sqrt(inSize) : Math.sqrt(2 / inSize);
      this.weights[`W${i}`] = tf.tidy(() => tf.variable(tf.randomNormal([inSize, w], 0, std, 'float32', normalSeed(this.seed * 101 + i + 1)), true));
      this.weights[`b${i}`] = tf.tidy(() => tf.variable(tf.zeros([w]), true));
      fanIn = w;
    });
    this.training = scoreTrainingFace(this);
  }

  /** The MLP's weights W0, b0, W1, ... (all trainable). */
  variables(): Record<string, tf.Variable> {
    this.assertAlive();
    return { ...this.weights };
  }

  getConfig(): z.output<typeof scoreModelSchema> {
    this.assertAlive();
    return {
      size: this.size,
      hiddenSize: [...this.hiddenSize],
      embedSize: this.embedSize,
      sigmaData: this.sigmaData,
      parametrization: this.parametrization,
      seed: this.seed,
      trainedEpochs: this.trainedEpochs,
    };
  }

  /** Sinusoidal embedding of c_noise [B] -> [B, embedSize]. */
  private embed(cNoise: tf.Tensor1D): tf.Tensor2D {
    const a = tf.mul(tf.reshape(cNoise, [-1, 1]), tf.reshape(this.freqs, [1, -1]));
    return tf.concat([tf.sin(a), tf.cos(a)], 1) as tf.Tensor2D;
  }

  /** The raw network F(input [B, size], c_noise [B]) -> [B, size]. */
  network(input: tf.Tensor2D, cNoise: tf.Tensor1D): tf.Tensor2D {
    this.assertAlive();
    const emb = this.embed(cNoise);
    const n = this.hiddenSize.length;
    let h: tf.Tensor2D = input;
    for (let i = 0; i <= n; i++) {
      const z = tf.add(tf.matMul(tf.concat([h, emb], 1) as tf.Tensor2D, this.weights[`W${i}`] as tf.Tensor2D), this.weights[`b${i}`]!) as tf.Tensor2D;
      h = i < n ? (tf.mul(z, tf.sigmoid(z)) as tf.Tensor2D) : z; // SiLU
    }
    return h;
  }

  /** sigma as a [B] tensor (checked positive). */
  private sigmaVector(sigma: number | tf.Tensor1D, batch: number): tf.Tensor1D {
    if (typeof sigma === 'number') {
      if (!(sigma > 0) || !Number.isFinite(sigma)) throw errors.invalidArgument('sigma', 'a positive finite noise level', sigma);
      return tf.fill([batch], sigma) as tf.Tensor1D;
    }
    if (sigma.rank !== 1 || sigma.shape[0] !== batch) throw errors.shapeMismatch('sigma', [batch], sigma.shape);
    return sigma;
  }

  /** Preconditioned D(x, sigma) at one level or one level per sample [B]; differentiable in the weights. */
  denoise(x: tf.Tensor2D, sigma: number | tf.Tensor1D): tf.Tensor2D {
    this.assertAlive();
    if (x.rank !== 2 || x.shape[1] !== this.size) throw errors.shapeMismatch('denoiser input x', ['batch', this.size], x.shape);
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
   * EDM denoising score-matching loss of a clean batch y [B, size] at levels sigma [B]
   * with noise n [B, size]: mean ||F(c_in x, c_noise) - (y - c_skip x)/c_out||^2, x = y + sigma n.
   * This is lambda(sigma) ||D(x, sigma) - y||^2 with EDM's weight lambda = 1/c_out^2.
   */
  loss(y: tf.Tensor2D, sigma: tf.Tensor1D, noise: tf.Tensor2D): tf.Scalar {
    this.assertAlive();
    return tf.tidy(() => {
      const x = tf.add(y, tf.mul(tf.reshape(sigma, [-1, 1]), noise)) as tf.Tensor2D;
      const { cSkip, cOut, cIn, cNoise } = this.coefficients(sigma);
      const f = this.network(tf.mul(cIn, x) as tf.Tensor2D, cNoise);
      if (this.parametrization === 'x0') {
        // The same lambda ||D - y||^2 with lambda = 1/c_out^2, its sigma floored at 0.05 so
        // the few tiny-sigma draws do not dominate the batch.
        const w = tf.reciprocal(tf.square(tf.maximum(cOut, (this.sigmaData * 0.05) / Math.sqrt(0.0025 + this.sigmaData ** 2))));
        return tf.mean(tf.mul(w, tf.square(tf.sub(f, y)))) as tf.Scalar;
      }
      const target = tf.div(tf.sub(y, tf.mul(cSkip, x)), cOut);
      return tf.mean(tf.square(tf.sub(f, target))) as tf.Scalar;
    });
  }

  protected override release(): void {
    for (const v of Object.values(this.weights)) v.dispose();
    this.freqs.dispose();
  }
}
