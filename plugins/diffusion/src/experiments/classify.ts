/**
 * Memorized / spurious / generalized samples (Pham et al., "Memorization to
 * generalization"). Distances are per-pixel RMS, ||a - b|| / sqrt(size), so the
 * thresholds do not depend on the image size (data in [-1, 1]).
 *
 * - memorized: the nearest training image is much closer than the second
 *   nearest, d1 / d2 < `ratio` (default 1/3, the criterion of Carlini et al. 2023
 *   also used for diffusion memorization studies);
 * - spurious: not memorized, but an attractor of the sampler that is not a
 *   training image: re-running the late reverse dynamics from the sample
 *   perturbed at level `sigmaRestart` brings every restart back within
 *   `attractorRms` of it, or another sample lies within `attractorRms` (several
 *   starts fell into the same non-training basin);
 * - generalized: neither.
 */
import * as tf from '@tensorflow/tfjs';
import { errors, parseConfig, z } from '@engram/core';
import type { DenoiserModel, SamplerKind } from '../models/denoiser.js';
import { SAMPLERS } from '../models/denoiser.js';
import { edmSigmas } from '../models/schedules.js';
import { twoNearest } from '../internal/distances.js';
import { normalSeed } from '../internal/seeds.js';

/** The three classes. */
export type SampleClass = 'memorized' | 'spurious' | 'generalized';

/** Documented thresholds of {@link classifySamples}. */
export const classifyThresholdsSchema = z.strictObject({
  ratio: z.number().min(0).max(1).default(1 / 3).describe('memorized when d1/d2 < ratio'),
  attractorRms: z.number().positive().default(0.05).describe('two points are the same attractor below this RMS distance (on [-1, 1] data)'),
});
/** Thresholds of {@link classifySamples}, as given. */
export type ClassifyThresholds = z.input<typeof classifyThresholdsSchema>;

/** Default thresholds. */
export const DEFAULT_THRESHOLDS: Required<ClassifyThresholds> = classifyThresholdsSchema.parse({});

/** Input of {@link classifySamples}: flat host arrays. */
export interface ClassifyInput {
  /** Samples [count, size]. */
  samples: Float32Array;
  count: number;
  /** Training set [trainCount, size]. */
  train: Float32Array;
  trainCount: number;
  size: number;
  /** Re-run results of {@link attractorRestarts}, [repeats * count, size] (repeat-major); absent: no basin test. */
  restarts?: Float32Array;
  repeats?: number;
}

/** Per-sample measurements and the class fractions. */
export interface Classification {
  classes: SampleClass[];
  fractions: Record<SampleClass, number>;
  /** d1/d2 per sample (nearest / second-nearest training distance). */
  ratio: Float64Array;
  /** RMS distance to the nearest training image. */
  nearestTrainRms: Float64Array;
  /** RMS distance to the nearest other sample. */
  nearestSampleRms: Float64Array;
  /** Largest RMS distance between the sample and its restarts (NaN without restarts). */
  restartRms: Float64Array;
}

const positiveCount = (name: string, v: unknown): number => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw errors.invalidArgument(name, 'a positive integer', v);
  return v;
};

function checkLength(name: string, a: Float32Array | undefined, rows: number, size: number): void {
  if (!(a instanceof Float32Array) || a.length !== rows * size) throw errors.invalidArgument(name, `a Float32Array of ${rows} x ${size} values`, a?.length);
}

/** Classifies samples with the documented thresholds (see the module comment). */
export function classifySamples(input: ClassifyInput, thresholds: ClassifyThresholds = {}): Classification {
  const { ratio: ratioThr, attractorRms: attr } = parseConfig(classifyThresholdsSchema, thresholds, 'classifySamples', 'thresholds');
  const n = positiveCount('count', input.count);
  const k = positiveCount('trainCount', input.trainCount);
  const d = positiveCount('size', input.size);
  checkLength('samples', input.samples, n, d);
  checkLength('train', input.train, k, d);
  const repeats = input.restarts ? positiveCount('repeats', input.repeats ?? 1) : 0;
  if (input.restarts) checkLength('restarts', input.restarts, repeats * n, d);
  const root = Math.sqrt(d);
  const nt = twoNearest(input.samples, n, input.train, k, d);
  const ns = n > 1 ? twoNearest(input.samples, n, input.samples, n, d, true) : null;
  const ratio = new Float64Array(n);
  const nearestTrainRms = new Float64Array(n);
  const nearestSampleRms = new Float64Array(n).fill(Infinity);
  const restartRms = new Float64Array(n).fill(NaN);
  const classes: SampleClass[] = [];
  const fractions: Record<SampleClass, number> = { memorized: 0, spurious: 0, generalized: 0 };
  for (let i = 0; i < n; i++) {
    // With K = 1 there is no second neighbour: d1/d2 = 0 counts as memorized when d1 is small.
    ratio[i] = k > 1 ? nt.d1[i]! / nt.d2[i]! : nt.d1[i]! / root < attr ? 0 : 1;
    nearestTrainRms[i] = nt.d1[i]! / root;
    if (ns) nearestSampleRms[i] = ns.d1[i]! / root;
    if (input.restarts) {
      let worst = 0;
      for (let r = 0; r < repeats; r++) {
        let s = 0;
        const o = (r * n + i) * d;
        for (let j = 0; j < d; j++) s += (input.restarts[o + j]! - input.samples[i * d + j]!) ** 2;
        worst = Math.max(worst, Math.sqrt(s) / root);
      }
      restartRms[i] = worst;
    }
    let c: SampleClass;
    if (ratio[i]! < ratioThr) c = 'memorized';
    else if (nearestSampleRms[i]! < attr || restartRms[i]! < attr) c = 'spurious';
    else c = 'generalized';
    classes.push(c);
    fractions[c] += 1 / n;
  }
  return { classes, fractions, ratio, nearestTrainRms, nearestSampleRms, restartRms };
}

/** Options of {@link attractorRestarts}. */
export const restartSchema = z.strictObject({
  sigmaRestart: z.number().positive().default(0.5).describe('noise level of the perturbation, where the late reverse dynamics restarts'),
  levels: z.number().int().positive().default(10).describe('sampler steps from sigmaRestart to 0 (EDM spacing)'),
  repeats: z.number().int().positive().default(2).describe('restarts per sample'),
  sampler: z.enum(SAMPLERS).default('heun').describe('sampler of the re-runs'),
  seed: z.number().int().default(0).describe('seed of the perturbations'),
  clip: z
    .tuple([z.number(), z.number()])
    .optional()
    .describe('clip the denoised estimate to [low, high] in the re-runs (as the sampler did)'),
});
/** Options of {@link attractorRestarts}, as given. */
export type RestartOptions = z.input<typeof restartSchema>;

/**
 * The basin test: perturbs each sample with N(0, sigmaRestart^2) noise and re-runs
 * the reverse dynamics of `model` from sigmaRestart to 0. Returns [repeats * count, size] on host.
 */
export async function attractorRestarts(model: DenoiserModel<object>, samples: Float32Array, count: number, options: RestartOptions = {}): Promise<Float32Array> {
  const o = parseConfig(restartSchema, options, 'attractorRestarts', 'options');
  const d = model.size;
  checkLength('samples', samples, positiveCount('count', count), d);
  const sigmas = edmSigmas({ levels: o.levels, sigmaMax: o.sigmaRestart, sigmaMin: Math.min(0.002, o.sigmaRestart / 2) });
  const sampler: SamplerKind = o.sampler;
  const out = new Float32Array(o.repeats * count * d);
  for (let r = 0; r < o.repeats; r++) {
    const start = tf.tidy(() => tf.add(tf.tensor2d(samples, [count, d]), tf.randomNormal([count, d], 0, o.sigmaRestart, 'float32', normalSeed(o.seed * 31 + r + 1))));
    try {
      const res = await model.sample({ initial: start, sigmas, sampler, energy: false, seed: o.seed + r, clip: o.clip });
      out.set(res.dataSync() as Float32Array, r * count * d);
      res.dispose();
    } finally {
      start.dispose();
    }
  }
  return out;
}
