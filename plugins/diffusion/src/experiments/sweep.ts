/**
 * The memorization-to-generalization sweep (Pham et al.): for each training-set
 * size K, train a denoiser on K Fashion-MNIST images (14 x 14, [-1, 1]), sample,
 * and classify the samples as memorized / spurious / generalized. On images in
 * memory (any platform); `@engram/diffusion/node`'s `memorizationSweep` reads
 * them from disk first.
 */
import { lastValueFrom, tap } from 'rxjs';
import { ErrorCodes, errors, isEngramError, parseConfig, z } from '@engram/core';
import { numberList } from '../internal/lists.js';
import { ScoreModel } from '../models/score.js';
import { trainDenoiser } from '../models/score-training.js';
import { attractorRestarts, classifySamples, classifyThresholdsSchema } from './classify.js';
import type { FashionPatterns } from './images.js';

const count = z.number().int().positive();

/** Options of {@link memorizationSweepOn} (`@engram/diffusion/node`'s `sweepSchema` adds where the images come from). */
export const sweepSettingsSchema = z.strictObject({
  ks: numberList(count).default([2, 8, 32, 128, 512, 2048]).describe('training-set sizes K (comma-separated)'),
  hiddenSize: numberList(count).default([512, 512]).describe('hidden layer sizes of the denoiser MLP (comma-separated)'),
  parametrization: z.enum(['edm', 'x0']).default('x0').describe('denoiser parametrization (see diffusion/score)'),
  steps: count.default(1200).describe('optimiser steps per K'),
  batchSize: count.default(64).describe('samples per optimiser step'),
  lr: z.number().positive().default(5e-3).describe('Adam learning rate'),
  samples: count.default(64).describe('samples drawn per K'),
  levels: count.default(18).describe('Heun steps of the sampler (EDM levels)'),
  sigmaRestart: z.number().positive().default(0.5).describe('basin test: noise level of the restarts'),
  repeats: count.default(2).describe('basin test: restarts per sample'),
  restartLevels: count.default(10).describe('basin test: sampler steps from sigmaRestart to 0'),
  clipDenoised: z.boolean().default(false).describe("clip the denoised estimate to the data range [-1, 1] in every sampler step (DDPM's clip_denoised)"),
  ratio: classifyThresholdsSchema.shape.ratio,
  attractorRms: classifyThresholdsSchema.shape.attractorRms,
  seed: z.number().int().default(0).describe('seed of the image choice, training and sampling'),
});
/** Options of {@link memorizationSweepOn}, as given. */
export type SweepSettings = z.input<typeof sweepSettingsSchema>;

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
  /**
   * Why sampling failed, when it did (ENGRAM_ERR_DIVERGED: the trained denoiser
   * extrapolates badly at noise levels it rarely saw and the ODE blows up); the
   * fractions and medians are then NaN.
   */
  diverged?: string;
}

/** The sweep's result: one point per K, the image side and the settings in force. */
export interface SweepResult {
  points: SweepPoint[];
  side: number;
  /** The settings in force (and, from `@engram/diffusion/node`, the image `source`). */
  settings: z.output<typeof sweepSettingsSchema> & { source?: 'auto' | 'full' | 'subset' };
}

function median(a: ArrayLike<number>): number {
  const s = Array.from(a)
    .filter((x) => Number.isFinite(x))
    .sort((x, y) => x - y);
  return s.length ? s[Math.floor(s.length / 2)]! : NaN;
}

/**
 * Runs the sweep on `images` (at least max(ks) of them, e.g. from
 * {@link fashionPatternsOf}; the first K are the training set of K); returns one
 * point per K (in order). `log` receives a progress line per K.
 */
export async function memorizationSweepOn(images: FashionPatterns, options: SweepSettings = {}, log: (line: string) => void = () => undefined): Promise<SweepResult> {
  const o = parseConfig(sweepSettingsSchema, options, 'memorizationSweep', 'options');
  const all = images;
  if (!Number.isInteger(all.count) || all.count < Math.max(...o.ks) || all.data.length !== all.count * all.size) {
    throw errors.invalidArgument('images', `at least max(ks) = ${Math.max(...o.ks)} images of ${all.size} values each`, `${all.count} images, ${all.data.length} values`);
  }
  const perEpoch = Math.min(100, o.steps);
  const points: SweepPoint[] = [];
  for (const k of o.ks) {
    const data = all.data.slice(0, k * all.size); // nested sets: the first K of one permutation
    const model = new ScoreModel({ size: all.size, hiddenSize: o.hiddenSize, seed: o.seed + 1, parametrization: o.parametrization });
    try {
      const t0 = Date.now();
      let loss = NaN;
      const settings = { epochs: Math.ceil(o.steps / perEpoch), batchesPerEpoch: perEpoch, batchSize: o.batchSize, lr: o.lr, seed: o.seed };
      await lastValueFrom(
        trainDenoiser(model, { data: { data, count: k }, settings }).pipe(
          tap((e) => {
            if (e.type === 'epoch') loss = e.loss;
          }),
        ),
      );
      const trainSeconds = (Date.now() - t0) / 1000;
      let p: SweepPoint;
      try {
        const clip = o.clipDenoised ? ([-1, 1] as [number, number]) : undefined;
        const out = await model.sample({ count: o.samples, seed: o.seed + 7, levels: o.levels, clip });
        const samples = Float32Array.from(out.dataSync() as Float32Array);
        out.dispose();
        const restarts = await attractorRestarts(model, samples, o.samples, { sigmaRestart: o.sigmaRestart, repeats: o.repeats, levels: o.restartLevels, seed: o.seed + 11, clip });
        const c = classifySamples(
          { samples, count: o.samples, train: data, trainCount: k, size: all.size, restarts, repeats: o.repeats },
          { ratio: o.ratio, attractorRms: o.attractorRms },
        );
        p = {
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
          preview: Array.from(samples.subarray(0, Math.min(16, o.samples) * all.size)),
        };
      } catch (err) {
        if (!isEngramError(err) || err.code !== ErrorCodes.DIVERGED) throw err;
        const nan = Number.NaN;
        p = { k, memorized: nan, spurious: nan, generalized: nan, loss, medianRatio: nan, medianNearestTrainRms: nan, medianNearestSampleRms: nan, medianRestartRms: nan, trainSeconds, preview: [], diverged: err.message };
      }
      points.push(p);
      log(
        p.diverged
          ? `K=${k}: sampling diverged (${p.diverged}); loss ${loss.toFixed(4)}, train ${trainSeconds.toFixed(0)} s`
          : `K=${k}: memorized ${p.memorized.toFixed(3)} spurious ${p.spurious.toFixed(3)} generalized ${p.generalized.toFixed(3)} ` +
              `(loss ${loss.toFixed(4)}, median d1/d2 ${p.medianRatio.toFixed(3)}, restart rms ${p.medianRestartRms.toFixed(3)}, train ${trainSeconds.toFixed(0)} s)`,
      );
    } finally {
      model.dispose();
    }
    await new Promise((r) => setTimeout(r, 0)); // let the event loop (and a page) breathe between Ks
  }
  return { points, side: all.side, settings: o };
}
