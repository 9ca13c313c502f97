/**
 * Geometric memorization on a linear manifold (Achilli et al., "Losing
 * dimensions"): size 32 with two 4-dim latent blocks of variances 1 and 0.1 (axis
 * embedding: block 0 = axes 0..3, block 1 = axes 4..7). For each training-set
 * size N, train a denoiser, draw samples, and measure around each sample the
 * dimension the model keeps per block from the score spectrum at small sigma.
 * The exact denoiser of the same N points (the ideal associative memory) is
 * measured alongside as the fully memorizing reference.
 */
import * as tf from '@tensorflow/tfjs';
import { lastValueFrom, tap } from 'rxjs';
import { parseConfig, z } from '@engram/core';
import { DEFAULT_MANIFOLD_BLOCKS, linearManifoldPoints } from '@engram/data';
import { numberList } from '../internal/lists.js';
import type { Denoiser } from '../models/denoiser.js';
import { ExactDenoiser } from '../models/exact.js';
import { ScoreModel } from '../models/score.js';
import { trainDenoiser } from '../models/score-training.js';
import { keptPerBlock, scoreSpectrum } from './manifold-dim.js';

const count = z.number().int().positive();

/** Options of {@link manifoldSweep}. */
export const manifoldSchema = z.strictObject({
  ns: numberList(count).default([2, 4, 8, 16, 32, 64, 256, 1024]).describe('training-set sizes N (comma-separated)'),
  hiddenSize: numberList(count).default([256, 256]).describe('hidden layer sizes of the denoiser MLP (comma-separated)'),
  parametrization: z.enum(['edm', 'x0']).default('edm').describe('denoiser parametrization (see diffusion/score)'),
  steps: count.default(3000).describe('optimiser steps per N'),
  batchSize: count.default(128).describe('samples per optimiser step'),
  lr: z.number().positive().default(3e-3).describe('Adam learning rate'),
  sigma: z.number().positive().default(0.05).describe('noise level of the score spectrum'),
  points: count.default(8).describe('generated samples at which the spectrum is measured'),
  perturbations: z.number().int().min(2).default(1024).describe('perturbations per spectrum'),
  seed: z.number().int().default(0).describe('seed of the data, training and sampling'),
});
/** Options of {@link manifoldSweep}, as given. */
export type ManifoldSweepOptions = z.input<typeof manifoldSchema>;

/** Dimensions kept per block, averaged over the measured points. */
export interface ManifoldPoint {
  n: number;
  /** Trained model: kept dims in the variance-1 block and the variance-0.1 block (each 0..4), and in all 32 axes. */
  keptHigh: number;
  keptLow: number;
  keptTotal: number;
  /** The exact denoiser (ideal AM) of the same N points. */
  exactHigh: number;
  exactLow: number;
  loss: number;
  /** Mean spectrum of sigma^2 Cov(score) of the trained model (descending). */
  spectrum: number[];
}

const BLOCKS: readonly (readonly [number, number])[] = [
  [0, 4],
  [4, 4],
];

function measure(den: Denoiser, pts: Float32Array, count: number, size: number, opts: { sigma: number; perturbations: number; seed: number }) {
  let high = 0;
  let low = 0;
  let total = 0;
  const spectrum = new Array<number>(size).fill(0);
  for (let i = 0; i < count; i++) {
    const s = scoreSpectrum(den, pts.subarray(i * size, (i + 1) * size), { sigma: opts.sigma, samples: opts.perturbations, seed: opts.seed + i });
    const [h, l] = keptPerBlock(s.keptPerAxis, BLOCKS);
    high += h! / count;
    low += l! / count;
    total += s.dimension / count;
    s.values.forEach((v, j) => (spectrum[j] += v / count));
  }
  return { high, low, total, spectrum };
}

/** Runs the linear-manifold sweep; `log` receives a line per N. */
export async function manifoldSweep(options: ManifoldSweepOptions = {}, log: (line: string) => void = () => undefined): Promise<ManifoldPoint[]> {
  const o = parseConfig(manifoldSchema, options, 'manifoldSweep', 'options');
  const size = 32;
  const all = linearManifoldPoints({ count: Math.max(...o.ns), size, blocks: DEFAULT_MANIFOLD_BLOCKS, seed: o.seed });
  const perEpoch = Math.min(100, o.steps);
  const out: ManifoldPoint[] = [];
  for (const n of o.ns) {
    const data = Float32Array.from(all.data.subarray(0, n * size));
    const model = new ScoreModel({ size, hiddenSize: o.hiddenSize, seed: o.seed + 1, parametrization: o.parametrization });
    const patterns = tf.tensor2d(data, [n, size]);
    const exact = ExactDenoiser.fromPatterns(patterns);
    patterns.dispose();
    try {
      let loss = NaN;
      const settings = { epochs: Math.ceil(o.steps / perEpoch), batchesPerEpoch: perEpoch, batchSize: o.batchSize, lr: o.lr, seed: o.seed };
      await lastValueFrom(
        trainDenoiser(model, { data: { data, count: n }, settings }).pipe(
          tap((e) => {
            if (e.type === 'epoch') loss = e.loss;
          }),
        ),
      );
      const run = { count: o.points, seed: o.seed + 5, levels: 18, sigmaMax: 20 };
      const gen = await model.sample(run);
      const genExact = await exact.sample({ ...run, energy: false });
      const spectrumOptions = { sigma: o.sigma, perturbations: o.perturbations, seed: o.seed + 9 };
      const m = measure(model, gen.dataSync() as Float32Array, o.points, size, spectrumOptions);
      const e = measure(exact, genExact.dataSync() as Float32Array, o.points, size, spectrumOptions);
      gen.dispose();
      genExact.dispose();
      const p: ManifoldPoint = { n, keptHigh: m.high, keptLow: m.low, keptTotal: m.total, exactHigh: e.high, exactLow: e.low, loss, spectrum: m.spectrum };
      out.push(p);
      log(`N=${n}: kept dims (var 1 block) ${p.keptHigh.toFixed(2)}/4, (var 0.1 block) ${p.keptLow.toFixed(2)}/4, total ${p.keptTotal.toFixed(2)}; exact AM ${p.exactHigh.toFixed(2)}/${p.exactLow.toFixed(2)} (loss ${loss.toFixed(4)})`);
    } finally {
      model.dispose();
      exact.dispose();
    }
  }
  return out;
}
