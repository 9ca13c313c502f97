/**
 * What the diffusion models share: a denoiser D(x, sigma) ~ E[x_0 | x_sigma = x],
 * and reverse sampling as the model's `run`. The state of a run is one layer
 * 'x' [batch, size], the sample being denoised; step k maps it from noise level
 * sigma_k to sigma_(k+1) of the schedule, so a run is an Observable<DynamicsStep>
 * like any associative-memory descent on the core engine.
 */
import * as tf from '@tensorflow/tfjs';
import { defer, lastValueFrom, type Observable } from 'rxjs';
import {
  ModelBase,
  parseConfig,
  runOptionsSchema,
  z,
  type DynamicsStep,
  type DynamicsSystem,
  type GenerateOptions,
  type RunOptions,
  type State,
  type TensorInput,
} from '@engram/core';
import { samplerSystem } from '../internal/samplers.js';
import { normalSeed } from '../internal/seeds.js';
import { checkSigmas, edmScheduleSchema, edmSigmas, geometricScheduleSchema, geometricSigmas, vpScheduleSchema, vpSigmas } from './schedules.js';

/**
 * A denoiser on flat vectors. The score follows as grad log p_sigma(x) = (D(x, sigma) - x) / sigma^2
 * (Tweedie's formula), so a denoiser is all the samplers need.
 */
export interface Denoiser {
  /** Size of a sample (the flattened data dimension). */
  readonly size: number;
  /** D(x, sigma) for x [batch, size] at noise level sigma > 0: a new tensor the caller owns; x is not disposed. */
  denoise(x: tf.Tensor2D, sigma: number): tf.Tensor2D;
  /** Optionally D(x, sigma) and -log p_sigma(x) per sample from one pass (the exact denoiser has both). */
  denoiseWithEnergy?(x: tf.Tensor2D, sigma: number): { denoised: tf.Tensor2D; energy: tf.Tensor1D };
}

/** Score grad_x log p_sigma(x) = (D(x, sigma) - x) / sigma^2 (Tweedie). */
export function scoreOf(denoiser: Denoiser, x: tf.Tensor2D, sigma: number): tf.Tensor2D {
  return tf.tidy(() => tf.div(tf.sub(denoiser.denoise(x, sigma), x), sigma * sigma) as tf.Tensor2D);
}

/** The samplers: probability-flow ODE by Euler or Heun, DDIM, and the VE reverse SDE. */
export const SAMPLERS = ['euler', 'heun', 'ddim', 'sde'] as const;
/** One of {@link SAMPLERS}. */
export type SamplerKind = (typeof SAMPLERS)[number];

/** Largest level of the default (EDM) schedule: the standard deviation of generated initial states. */
export const DEFAULT_SIGMA_MAX = 80;
/** Smallest positive level of the default (EDM) schedule: where a clean sample's energy is read. */
export const DEFAULT_SIGMA_MIN = 0.002;

/** Run options of a denoiser: core's, plus the sampler, its schedule and its noise. */
export const samplerRunSchema = runOptionsSchema.extend({
  sampler: z.enum(SAMPLERS).default('heun').describe("'euler' or 'heun' (probability-flow ODE), 'ddim', 'sde' (VE reverse SDE)"),
  schedule: z.enum(['edm', 'geometric', 'vp']).default('edm').describe("noise levels: 'edm' (Karras et al.), 'geometric' (Song et al.), 'vp' (DDPM linear betas)"),
  levels: z.number().int().positive().optional().describe('noise levels above 0, i.e. sampler steps (default 18 for edm, 50 otherwise)'),
  sigmaMin: z.number().positive().optional().describe("smallest positive level (edm and geometric; default 0.002 / 0.01)"),
  sigmaMax: z.number().positive().optional().describe("largest level (edm and geometric; default 80 / 50)"),
  rho: z.number().positive().optional().describe("curvature of the edm schedule (default 7)"),
  sigmas: z.array(z.number()).optional().describe('explicit decreasing noise levels (usually ending at 0); replaces the schedule'),
  eta: z.number().min(0).max(1).default(0).describe("stochasticity of 'ddim' (0 deterministic, 1 ancestral)"),
  seed: z.number().int().default(0).describe("seed of the noise of 'sde' and 'ddim' (eta > 0)"),
  energy: z.boolean().default(true).describe('report -log p_sigma(x) at each step when the model has it'),
  clip: z
    .tuple([z.number(), z.number()])
    .refine(([lo, hi]) => lo < hi, 'a range [low, high] with low < high')
    .optional()
    .describe("clip the denoised estimate D(x, sigma) to [low, high] before each update (DDPM/DDIM's clip_denoised; e.g. the data range [-1, 1])"),
});

/** The sampler's own run keys (all optional; defaults in {@link samplerRunSchema}). */
export interface SamplerRunOptions {
  sampler?: SamplerKind;
  schedule?: 'edm' | 'geometric' | 'vp';
  levels?: number;
  sigmaMin?: number;
  sigmaMax?: number;
  rho?: number;
  sigmas?: number[];
  eta?: number;
  seed?: number;
  energy?: boolean;
  clip?: [number, number];
}

type SamplerRunSettings = z.output<typeof samplerRunSchema>;

/** Options of {@link DenoiserModel.sample}: the run keys, and the starting state or how many samples to draw. */
export interface SampleOptions extends SamplerRunOptions, Omit<RunOptions, 'initial' | 'onFinal'> {
  /** Starting state [batch, size] at level sigmas[0] (default: seeded N(0, sigmas[0]^2) noise). Copied. */
  initial?: TensorInput;
  /** Number of samples when `initial` is absent (default 16). */
  count?: number;
}

const sampleSchema = samplerRunSchema.extend({
  initial: runOptionsSchema.shape.initial.optional(),
  count: z.number().int().positive().default(16).describe('number of samples when no initial state is given'),
});

/** The noise levels of a run: `sigmas` when given, else the schedule with its keys (checked: ENGRAM_ERR_INVALID_CONFIG). */
export function runSigmas(settings: Pick<SamplerRunSettings, 'sigmas' | 'schedule' | 'levels' | 'sigmaMin' | 'sigmaMax' | 'rho'>, owner: string): number[] {
  if (settings.sigmas !== undefined) return checkSigmas(settings.sigmas);
  const given = Object.fromEntries((['levels', 'sigmaMin', 'sigmaMax', 'rho'] as const).filter((k) => settings[k] !== undefined).map((k) => [k, settings[k]]));
  const where = `${owner} (schedule '${settings.schedule}')`;
  if (settings.schedule === 'geometric') return geometricSigmas(parseConfig(geometricScheduleSchema, given, where, 'run options'));
  if (settings.schedule === 'vp') return vpSigmas(parseConfig(vpScheduleSchema, given, where, 'run options'));
  return edmSigmas(parseConfig(edmScheduleSchema, given, where, 'run options'));
}

/**
 * Base of the diffusion models: a {@link Denoiser} whose `run` is reverse
 * sampling (the sampler, schedule and noise as run keys), with `sample` on top.
 * A run takes as many steps as its schedule has levels (fewer with `maxSteps`);
 * the engine's time `t` counts steps (dt = 1).
 */
export abstract class DenoiserModel<Config extends object> extends ModelBase<Config, SamplerRunOptions> implements Denoiser {
  /** Size of a sample. */
  abstract readonly size: number;
  override readonly runSchema = samplerRunSchema;
  protected override readonly runDefaults = { dt: 1 };

  abstract denoise(x: tf.Tensor2D, sigma: number): tf.Tensor2D;

  override run(options: RunOptions & SamplerRunOptions): Observable<DynamicsStep> {
    return defer(() => {
      this.assertAlive();
      const parsed = parseConfig(samplerRunSchema, options, this.kind, 'run options');
      const steps = runSigmas(parsed, this.kind).length - 1;
      return super.run({ ...options, maxSteps: Math.min(parsed.maxSteps ?? steps, steps) });
    });
  }

  protected dynamics(options: RunOptions & SamplerRunOptions): DynamicsSystem {
    const s = parseConfig(samplerRunSchema, options, this.kind, 'run options');
    return samplerSystem(this, runSigmas(s, this.kind), { sampler: s.sampler, eta: s.eta, seed: s.seed, energy: s.energy, clip: s.clip });
  }

  /** Seeded normal noise with standard deviation `std` (default {@link DEFAULT_SIGMA_MAX}, the default schedule's first level). */
  protected override generateState(batch: number, options: GenerateOptions): State {
    return { x: tf.randomNormal([batch, this.size], 0, options.std ?? DEFAULT_SIGMA_MAX, 'float32', normalSeed(options.seed ?? 0)) };
  }

  /**
   * Runs the sampler to the end and returns the samples [batch, size] (the
   * caller owns them). Without `initial`, starts from `count` samples of seeded
   * N(0, sigmas[0]^2) noise (seed `seed`). Rejects with ENGRAM_ERR_INVALID_CONFIG
   * on bad options and ENGRAM_ERR_DIVERGED when the samples blow up.
   */
  async sample(options: SampleOptions = {}): Promise<tf.Tensor2D> {
    this.assertAlive();
    const { initial: given, count: _count, ...runKeys } = options;
    const s = parseConfig(sampleSchema, options, this.kind, 'sample options');
    const generated = given === undefined ? this.initialState(s.count, { seed: s.seed, std: runSigmas(s, this.kind)[0]! }) : undefined;
    let out: tf.Tensor2D | undefined;
    try {
      await lastValueFrom(
        this.run({
          yieldEvery: 1000,
          ...runKeys,
          initial: generated ?? given!,
          onFinal: (state) => {
            out = state['x'] as tf.Tensor2D;
          },
        }),
      );
    } finally {
      if (generated) generated['x']!.dispose();
    }
    return out!;
  }
}
