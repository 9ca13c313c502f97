/**
 * Memorized / spurious / generalized samples (Pham et al., "Memorization to
 * generalization"). Distances are per-pixel RMS, ||a - b|| / sqrt(dim), so the
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
import { errors } from '@engram/core';
import type { Denoiser } from './denoiser.js';
import { sample, type SamplerKind } from './samplers.js';
import { edmSigmas } from './schedules.js';
import { twoNearest } from './internal/distances.js';
import { numIn, posInt, posNum } from './internal/validate.js';

/** The three classes. */
export type SampleClass = 'memorized' | 'spurious' | 'generalized';

/** Documented thresholds of {@link classifySamples}. */
export interface ClassifyThresholds {
  /** Memorized when d1/d2 < ratio (default 1/3). */
  ratio?: number;
  /** Two points are the same attractor when their RMS distance is below this (default 0.05 on [-1, 1] data). */
  attractorRms?: number;
}

/** Default thresholds. */
export const DEFAULT_THRESHOLDS: Required<ClassifyThresholds> = { ratio: 1 / 3, attractorRms: 0.05 };

/** Input of {@link classifySamples}: flat host arrays. */
export interface ClassifyInput {
  /** Samples [count, dim]. */
  samples: Float32Array;
  count: number;
  /** Training set [trainCount, dim]. */
  train: Float32Array;
  trainCount: number;
  dim: number;
  /** Re-run results of {@link attractorRestarts}, [repeats * count, dim] (repeat-major); absent: no basin test. */
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

/** Classifies samples with the documented thresholds (see the module comment). */
export function classifySamples(input: ClassifyInput, thresholds: ClassifyThresholds = {}): Classification {
  const ratioThr = numIn('ratio', thresholds.ratio ?? DEFAULT_THRESHOLDS.ratio, 0, 1);
  const attr = posNum('attractorRms', thresholds.attractorRms ?? DEFAULT_THRESHOLDS.attractorRms);
  const n = posInt('count', input.count);
  const k = posInt('trainCount', input.trainCount);
  const d = posInt('dim', input.dim);
  if (input.samples.length !== n * d) throw errors.invalidArgument('samples', `${n} x ${d} values`, input.samples.length);
  if (input.train.length !== k * d) throw errors.invalidArgument('train', `${k} x ${d} values`, input.train.length);
  const repeats = input.restarts ? posInt('repeats', input.repeats ?? 1) : 0;
  if (input.restarts && input.restarts.length !== repeats * n * d) throw errors.invalidArgument('restarts', `${repeats} x ${n} x ${d} values`, input.restarts.length);
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
export interface RestartOptions {
  /** Noise level of the perturbation, where the late reverse dynamics restarts (default 0.5). */
  sigmaRestart?: number;
  /** Sampler steps from sigmaRestart to 0 (default 10, EDM spacing). */
  steps?: number;
  /** Restarts per sample (default 2). */
  repeats?: number;
  sampler?: SamplerKind;
  seed?: number;
}

/**
 * The basin test: perturbs each sample with N(0, sigmaRestart^2) noise and re-runs
 * the reverse dynamics from sigmaRestart to 0. Returns [repeats * count, dim] on host.
 */
export async function attractorRestarts(denoiser: Denoiser, samples: Float32Array, count: number, options: RestartOptions = {}): Promise<Float32Array> {
  const sigma = posNum('sigmaRestart', options.sigmaRestart ?? 0.5);
  const steps = posInt('steps', options.steps ?? 10);
  const repeats = posInt('repeats', options.repeats ?? 2);
  const seed = options.seed ?? 0;
  const d = denoiser.dim;
  if (samples.length !== count * d) throw errors.invalidArgument('samples', `${count} x ${d} values`, samples.length);
  const sigmas = edmSigmas({ steps, sigmaMax: sigma, sigmaMin: Math.min(0.002, sigma / 2) });
  const out = new Float32Array(repeats * count * d);
  for (let r = 0; r < repeats; r++) {
    const start = tf.tidy(() => tf.add(tf.tensor2d(samples, [count, d]), tf.randomNormal([count, d], 0, sigma, 'float32', seed * 31 + r + 1)));
    try {
      const res = await sample(denoiser, { initial: start, sigmas, sampler: options.sampler ?? 'heun', energy: false, seed: seed + r });
      out.set(res.dataSync() as Float32Array, r * count * d);
      res.dispose();
    } finally {
      start.dispose();
    }
  }
  return out;
}
