/**
 * The memorization-to-generalization sweep (Pham et al.): for each training-set
 * size K, train a denoiser on K Fashion-MNIST images (14 x 14, [-1, 1]), sample,
 * and classify the samples as memorized / spurious / generalized.
 */
import { lastValueFrom, tap } from 'rxjs';
import { errors } from '@engram/core';
import type { FashionMnistSource } from '@engram/data';
import { attractorRestarts, classifySamples, DEFAULT_THRESHOLDS, type ClassifyThresholds } from './classify.js';
import { fashionPatterns } from './images.js';
import { sample } from './samplers.js';
import { edmSigmas } from './schedules.js';
import { ScoreModel } from './score-model.js';
import { trainDenoiser } from './train.js';
import { posInt } from './internal/validate.js';

/** Options of {@link memorizationSweep}. */
export interface SweepOptions {
  /** Training-set sizes (default [2, 8, 32, 128, 512, 2048]). */
  ks?: number[];
  /** Fashion-MNIST source (default 'auto'). */
  source?: FashionMnistSource;
  /** Denoiser hidden widths (default [512, 512]). */
  hidden?: number[];
  /** Denoiser parametrization (default 'x0', see ScoreModelConfig). */
  parametrization?: 'edm' | 'x0';
  /** Optimiser steps per K (default 1200). */
  steps?: number;
  batchSize?: number;
  learningRate?: number;
  /** Samples per K (default 64). */
  samples?: number;
  /** Heun steps of the sampler (default 18). */
  samplerSteps?: number;
  /** Basin test: restart level, restarts per sample, steps. */
  sigmaRestart?: number;
  repeats?: number;
  restartSteps?: number;
  thresholds?: ClassifyThresholds;
  seed?: number;
  /** Progress lines. */
  log?: (line: string) => void;
}

/** One K of the sweep. */
export interface SweepPoint {
  k: number;
  memorized: number;
  spurious: number;
  generalized: number;
  /** Final training loss (mean over the last epoch). */
  loss: number;
  /** Medians over samples: d1/d2, RMS to nearest training image, RMS to nearest other sample, worst restart RMS. */
  medianRatio: number;
  medianNearestTrainRms: number;
  medianNearestSampleRms: number;
  medianRestartRms: number;
  trainSeconds: number;
  /** The first 16 samples (flat, for image grids). */
  preview: number[];
}

function median(a: ArrayLike<number>): number {
  const s = Array.from(a).filter((x) => Number.isFinite(x)).sort((x, y) => x - y);
  return s.length ? s[Math.floor(s.length / 2)]! : NaN;
}

/** Runs the sweep; returns one point per K (in order). */
export async function memorizationSweep(options: SweepOptions = {}): Promise<{ points: SweepPoint[]; side: number; thresholds: Required<ClassifyThresholds> & { sigmaRestart: number } }> {
  const ks = options.ks ?? [2, 8, 32, 128, 512, 2048];
  if (!Array.isArray(ks) || ks.length === 0) throw errors.invalidArgument('ks', 'a non-empty list of training-set sizes', ks);
  ks.forEach((k, i) => posInt(`ks[${i}]`, k));
  const steps = posInt('steps', options.steps ?? 1200);
  const nSamples = posInt('samples', options.samples ?? 64);
  const seed = options.seed ?? 0;
  const log = options.log ?? (() => undefined);
  const sigmaRestart = options.sigmaRestart ?? 0.5;
  const thresholds = { ...DEFAULT_THRESHOLDS, ...options.thresholds };
  const all = fashionPatterns({ count: Math.max(...ks), source: options.source ?? 'auto', seed });
  const perEpoch = Math.min(100, steps);
  const points: SweepPoint[] = [];
  for (const k of ks) {
    const data = all.data.slice(0, k * all.dim); // nested sets: the first K of one permutation
    const model = new ScoreModel({ dim: all.dim, hidden: options.hidden ?? [512, 512], seed: seed + 1, parametrization: options.parametrization ?? 'x0' });
    try {
      const t0 = Date.now();
      let loss = NaN;
      await lastValueFrom(
        trainDenoiser(model, {
          data,
          count: k,
          epochs: Math.ceil(steps / perEpoch),
          batchesPerEpoch: perEpoch,
          batchSize: options.batchSize ?? 64,
          learningRate: options.learningRate ?? 5e-3,
          seed,
        }).pipe(
          tap((e) => {
            if (e.type === 'epoch') loss = e.loss;
          }),
        ),
      );
      const trainSeconds = (Date.now() - t0) / 1000;
      const out = await sample(model, { count: nSamples, seed: seed + 7, sigmas: edmSigmas({ steps: options.samplerSteps ?? 18 }) });
      const samples = Float32Array.from(out.dataSync() as Float32Array);
      out.dispose();
      const repeats = options.repeats ?? 2;
      const restarts = await attractorRestarts(model, samples, nSamples, { sigmaRestart, repeats, steps: options.restartSteps ?? 10, seed: seed + 11 });
      const c = classifySamples({ samples, count: nSamples, train: data, trainCount: k, dim: all.dim, restarts, repeats }, thresholds);
      const p: SweepPoint = {
        k,
        memorized: c.fractions.memorized,
        spurious: c.fractions.spurious,
        generalized: c.fractions.generalized,
        loss,
        medianRatio: median(c.ratio),
        medianNearestTrainRms: median(c.nearestTrainRms),
        medianNearestSampleRms: median(c.nearestSampleRms),
        medianRestartRms: median(c.restartRms),
        trainSeconds,
        preview: Array.from(samples.subarray(0, Math.min(16, nSamples) * all.dim)),
      };
      points.push(p);
      log(
        `K=${k}: memorized ${p.memorized.toFixed(3)} spurious ${p.spurious.toFixed(3)} generalized ${p.generalized.toFixed(3)} ` +
          `(loss ${loss.toFixed(4)}, median d1/d2 ${p.medianRatio.toFixed(3)}, restart rms ${p.medianRestartRms.toFixed(3)}, train ${trainSeconds.toFixed(0)} s)`,
      );
    } finally {
      model.dispose();
    }
    await new Promise((r) => setImmediate(r));
  }
  return { points, side: all.side, thresholds: { ...thresholds, sigmaRestart } };
}
