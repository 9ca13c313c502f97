/**
 * Pattern completion on images (e.g. Fashion-MNIST): store K images in the
 * modern Hopfield network and in DrDAM, hide part of each query image, clamp
 * the visible part and let the dynamics fill in the rest. Reports retrieval
 * accuracy (the stored image nearest to the completion is the query's own)
 * and the pixel MSE on the hidden pixels, per model and K, plus the frames of
 * a few completions for an image grid.
 *
 * Images are given in [0, 1] and stored as 2x - 1 in [-1, 1]: dot-product
 * similarity (modern) then measures agreement pixel by pixel instead of
 * favouring bright images; hidden pixels start at 0 (mid gray). Metrics are
 * computed back in [0, 1].
 */
import * as tf from '@tensorflow/tfjs';
import { lastValueFrom, toArray } from 'rxjs';
import { errors, type DynamicsStep } from '@engram/core';
import { occlusionMask, type OcclusionKind } from '@engram/data';
import { ModernHopfield } from './modern.js';
import { DrDAM } from './drdam.js';
import type { FeatureMapKind } from './feature-maps.js';
import { checkPositive, checkPositiveInt } from './internal/validate.js';
import { STATE_LAYER } from './run-options.js';

/** Models compared by {@link imageCompletion}. */
export type CompletionModel = 'modern' | 'drdam';

/** Options of {@link imageCompletion}. */
export interface ImageCompletionOptions {
  /** Images in [0, 1], row-major [n, height * width]. */
  images: Float32Array;
  /** Image height and width (default [28, 28]). */
  imageShape?: readonly [number, number];
  /** Memory sizes K to test; the first K images are stored. */
  counts: readonly number[];
  /** Queries per K: the first min(K, queries) stored images, occluded (default 50). */
  queries?: number;
  /** Hidden part of each query (default 'bottom-half'). */
  occlusion?: OcclusionKind;
  /** Models to run (default both). */
  models?: readonly CompletionModel[];
  /** Modern network: beta (default 2) and update cap (default 20; stops earlier at max|dx| < 1e-4). */
  modern?: { beta?: number; maxSteps?: number };
  /** DrDAM: beta (default 0.0125, i.e. 0.05 in [0, 1] pixel units), random projections Y (default 20000), step size, steps, map, seed. */
  drdam?: { beta?: number; features?: number; dt?: number; maxSteps?: number; kernel?: FeatureMapKind; seed?: number };
  /** Completions whose frames are kept for pictures (default 4). */
  frames?: number;
  /** Frames kept per completion, evenly spaced, first and last included (default 6). */
  framesPerRun?: number;
  /** Called after each (model, K) with its row, e.g. to print progress. */
  onRow?: (row: CompletionRow) => void;
}

/** One measured (model, K) cell. */
export interface CompletionRow {
  model: CompletionModel;
  /** Stored images K. */
  count: number;
  /** Queries completed. */
  queries: number;
  /** Fraction of completions whose nearest stored image (Euclidean, all pixels) is their own. */
  accuracy: number;
  /** Mean squared error on the hidden pixels, in [0, 1] pixel units. */
  mse: number;
  /** MSE of the uncompleted query (hidden pixels at mid gray), for reference. */
  mseBefore: number;
  /** Updates run. */
  steps: number;
  /** Wall time of storing and completing, seconds. */
  seconds: number;
}

/** Frames of a few completions: per completion, [original, query (step 0), ...steps, result] in [0, 1]. */
export interface CompletionFrames {
  model: CompletionModel;
  count: number;
  /** frames[i] is the strip of completion i. */
  strips: Float32Array[][];
}

/** Result of {@link imageCompletion}. */
export interface ImageCompletionResult {
  rows: CompletionRow[];
  frames: CompletionFrames[];
}

/** Evenly spaced indices 0..total-1 including both ends, at most k of them. */
function pick(total: number, k: number): number[] {
  if (total <= k) return Array.from({ length: total }, (_, i) => i);
  return Array.from({ length: k }, (_, i) => Math.round((i * (total - 1)) / (k - 1)));
}

/** Runs the comparison; see {@link ImageCompletionOptions}. */
export async function imageCompletion(options: ImageCompletionOptions): Promise<ImageCompletionResult> {
  const [h, w] = options.imageShape ?? [28, 28];
  const dim = checkPositiveInt('imageShape[0]', h) * checkPositiveInt('imageShape[1]', w);
  if (!(options.images instanceof Float32Array) || options.images.length % dim !== 0 || options.images.length === 0) {
    throw errors.shapeMismatch('images', ['n', dim], [options.images?.length ?? 0]);
  }
  const available = options.images.length / dim;
  if (!Array.isArray(options.counts) || options.counts.length === 0) throw errors.invalidArgument('counts', 'a non-empty list of memory sizes', options.counts);
  for (const k of options.counts) {
    checkPositiveInt('counts[i]', k);
    if (k > available) throw errors.invalidArgument('counts[i]', `at most ${available} (the images given)`, k);
  }
  const nq = checkPositiveInt('queries', options.queries ?? 50);
  const models = options.models ?? ['modern', 'drdam'];
  const mb = checkPositive('modern.beta', options.modern?.beta ?? 2);
  const mSteps = checkPositiveInt('modern.maxSteps', options.modern?.maxSteps ?? 20);
  const d = options.drdam ?? {};
  const dBeta = checkPositive('drdam.beta', d.beta ?? 0.0125);
  const dFeatures = checkPositiveInt('drdam.features', d.features ?? 20000);
  const dDt = checkPositive('drdam.dt', d.dt ?? 0.5);
  const dSteps = checkPositiveInt('drdam.maxSteps', d.maxSteps ?? 30);
  const nFrames = options.frames ?? 4;
  const perRun = options.framesPerRun ?? 6;
  const visible = occlusionMask([h, w], options.occlusion ?? 'bottom-half').data as Float32Array;
  const hiddenCount = visible.reduce((a, v) => a + (v === 0 ? 1 : 0), 0);

  const rows: CompletionRow[] = [];
  const frames: CompletionFrames[] = [];
  const mask = tf.tensor2d(visible, [1, dim]);
  try {
    for (const k of options.counts) {
      const q = Math.min(k, nq);
      const pix = tf.tensor2d(options.images.subarray(0, k * dim), [k, dim]);
      const mem = tf.tidy(() => tf.sub(tf.mul(pix, 2), 1)) as tf.Tensor2D;
      const cues = tf.tidy(() => tf.mul(mem.slice([0, 0], [q, dim]), mask)) as tf.Tensor2D;
      const toPixels = (x: tf.Tensor) => tf.tidy(() => tf.clipByValue(tf.div(tf.add(x, 1), 2), 0, 1));
      const score = (out: tf.Tensor2D) =>
        tf.tidy(() => {
          const o = toPixels(out) as tf.Tensor2D;
          const nearest = tf.argMin(tf.sub(tf.sum(tf.square(pix), 1).reshape([1, -1]), tf.mul(tf.matMul(o, tf.transpose(pix)), 2)), 1).dataSync();
          let right = 0;
          nearest.forEach((v, i) => (right += v === i ? 1 : 0));
          const hidden = tf.sub(1, mask);
          const target = pix.slice([0, 0], [q, dim]);
          const err = (x: tf.Tensor) => tf.sum(tf.mul(tf.square(tf.sub(x, target)), hidden)).dataSync()[0]! / (q * hiddenCount);
          return { accuracy: right / q, mse: err(o), mseBefore: err(toPixels(cues)) };
        });
      try {
        for (const model of models) {
          const t0 = performance.now();
          let stream;
          let dispose: () => void;
          if (model === 'modern') {
            const net = new ModernHopfield({ dim, beta: mb }).store(mem);
            dispose = () => net.dispose();
            stream = (onFinal: (s: Record<string, tf.Tensor>) => void) =>
              net.run({ initial: cues, clamp: mask, maxSteps: mSteps, tolerance: 1e-4, snapshot: nFrames > 0, onFinal });
          } else {
            const dam = new DrDAM({ dim, features: dFeatures, beta: dBeta, kernel: d.kernel, seed: d.seed ?? 0 }).addMemories(mem);
            dispose = () => dam.dispose();
            stream = (onFinal: (s: Record<string, tf.Tensor>) => void) =>
              dam.run({ initial: cues, clamp: mask, maxSteps: dSteps, dt: dDt, snapshot: nFrames > 0, onFinal });
          }
          try {
            let final: tf.Tensor2D | undefined;
            const steps: DynamicsStep[] = await lastValueFrom(stream((s) => (final = s[STATE_LAYER] as tf.Tensor2D)).pipe(toArray()));
            const out = final!;
            const s = score(out);
            out.dispose();
            const row: CompletionRow = { model, count: k, queries: q, ...s, steps: steps.at(-1)!.step, seconds: (performance.now() - t0) / 1000 };
            rows.push(row);
            options.onRow?.(row);
            if (nFrames > 0) frames.push({ model, count: k, strips: strips(steps, pix, Math.min(nFrames, q), dim, perRun) });
          } finally {
            dispose();
          }
        }
      } finally {
        tf.dispose([pix, mem, cues]);
      }
    }
  } finally {
    mask.dispose();
  }
  return { rows, frames };
}

/** [original, ...chosen steps (step 0 is the query, the last the result)] per completion, in [0, 1]. */
function strips(steps: DynamicsStep[], pix: tf.Tensor2D, n: number, dim: number, perRun: number): Float32Array[][] {
  const orig = pix.slice([0, 0], [n, dim]);
  const o = orig.dataSync() as Float32Array;
  orig.dispose();
  const toPix = (src: Float32Array, i: number) => Float32Array.from(src.subarray(i * dim, (i + 1) * dim), (v) => Math.min(1, Math.max(0, (v + 1) / 2)));
  const snaps = steps.filter((s) => s.states);
  const chosen = pick(snaps.length, perRun).map((i) => snaps[i]!.states![STATE_LAYER]!.data);
  return Array.from({ length: n }, (_, i) => [Float32Array.from(o.subarray(i * dim, (i + 1) * dim)), ...chosen.map((data) => toPix(data, i))]);
}
