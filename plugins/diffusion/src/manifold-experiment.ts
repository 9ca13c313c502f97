/**
 * Geometric memorization on a linear manifold (Achilli et al., "Losing
 * dimensions"): D = 32 with two 4-dim latent blocks of variances 1 and 0.1 (axis
 * embedding: block 0 = axes 0..3, block 1 = axes 4..7). For each training-set
 * size N, train a denoiser, draw samples, and measure around each sample the
 * dimension the model keeps per block from the score spectrum at small sigma.
 * The exact denoiser of the same N points (the ideal associative memory) is
 * measured alongside as the fully memorizing reference.
 */
import * as tf from '@tensorflow/tfjs';
import { lastValueFrom, tap } from 'rxjs';
import { errors } from '@engram/core';
import { DEFAULT_MANIFOLD_BLOCKS, linearManifoldPoints } from '@engram/data';
import type { Denoiser } from './denoiser.js';
import { ExactDenoiser } from './exact.js';
import { keptPerBlock, scoreSpectrum } from './manifold-dim.js';
import { sample } from './samplers.js';
import { edmSigmas } from './schedules.js';
import { ScoreModel } from './score-model.js';
import { trainDenoiser } from './train.js';
import { posInt, posNum } from './internal/validate.js';

/** Options of {@link manifoldSweep}. */
export interface ManifoldSweepOptions {
  /** Training-set sizes (default [2, 4, 8, 16, 32, 64, 256, 1024]). */
  ns?: number[];
  /** Denoiser hidden widths (default [256, 256]). */
  hidden?: number[];
  /** Denoiser parametrization (default 'edm', see ScoreModelConfig). */
  parametrization?: 'edm' | 'x0';
  /** Optimiser steps per N (default 3000). */
  steps?: number;
  batchSize?: number;
  learningRate?: number;
  /** Noise level of the spectrum (default 0.05). */
  sigma?: number;
  /** Points (generated samples) per N at which the spectrum is measured (default 8). */
  points?: number;
  /** Perturbations per spectrum (default 1024). */
  perturbations?: number;
  seed?: number;
  log?: (line: string) => void;
}

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

function measure(den: Denoiser, pts: Float32Array, count: number, dim: number, opts: { sigma: number; perturbations: number; seed: number }) {
  let high = 0;
  let low = 0;
  let total = 0;
  const spectrum = new Array<number>(dim).fill(0);
  for (let i = 0; i < count; i++) {
    const s = scoreSpectrum(den, pts.subarray(i * dim, (i + 1) * dim), { sigma: opts.sigma, samples: opts.perturbations, seed: opts.seed + i });
    const [h, l] = keptPerBlock(s.keptPerAxis, BLOCKS);
    high += h! / count;
    low += l! / count;
    total += s.dimension / count;
    s.values.forEach((v, j) => (spectrum[j] += v / count));
  }
  return { high, low, total, spectrum };
}

/** Runs the linear-manifold sweep. */
export async function manifoldSweep(options: ManifoldSweepOptions = {}): Promise<ManifoldPoint[]> {
  const ns = options.ns ?? [2, 4, 8, 16, 32, 64, 256, 1024];
  if (!Array.isArray(ns) || ns.length === 0) throw errors.invalidArgument('ns', 'a non-empty list of training-set sizes', ns);
  ns.forEach((n, i) => posInt(`ns[${i}]`, n));
  const steps = posInt('steps', options.steps ?? 3000);
  const sigma = posNum('sigma', options.sigma ?? 0.05);
  const nPoints = posInt('points', options.points ?? 8);
  const perturbations = posInt('perturbations', options.perturbations ?? 1024);
  const seed = options.seed ?? 0;
  const log = options.log ?? (() => undefined);
  const dim = 32;
  const all = linearManifoldPoints({ count: Math.max(...ns), dim, blocks: DEFAULT_MANIFOLD_BLOCKS, seed });
  const perEpoch = Math.min(100, steps);
  const out: ManifoldPoint[] = [];
  for (const n of ns) {
    const data = Float32Array.from(all.data.subarray(0, n * dim));
    const model = new ScoreModel({ dim, hidden: options.hidden ?? [256, 256], seed: seed + 1, parametrization: options.parametrization ?? 'edm' });
    const patterns = tf.tensor2d(data, [n, dim]);
    const exact = new ExactDenoiser({ patterns });
    patterns.dispose();
    try {
      let loss = NaN;
      await lastValueFrom(
        trainDenoiser(model, { data, count: n, epochs: Math.ceil(steps / perEpoch), batchesPerEpoch: perEpoch, batchSize: options.batchSize ?? 128, learningRate: options.learningRate ?? 3e-3, seed }).pipe(
          tap((e) => {
            if (e.type === 'epoch') loss = e.loss;
          }),
        ),
      );
      const sigmas = edmSigmas({ steps: 18, sigmaMax: 20 });
      const gen = await sample(model, { count: nPoints, seed: seed + 5, sigmas });
      const genExact = await sample(exact, { count: nPoints, seed: seed + 5, sigmas, energy: false });
      const m = measure(model, gen.dataSync() as Float32Array, nPoints, dim, { sigma, perturbations, seed: seed + 9 });
      const e = measure(exact, genExact.dataSync() as Float32Array, nPoints, dim, { sigma, perturbations, seed: seed + 9 });
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
