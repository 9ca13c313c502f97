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
import { errors, parseConfig, z, type DynamicsStep, type State } from '@engram/core';
import { occlusionMask } from '@engram/data';
import { ModernHopfield } from '../models/modern.js';
import { DrDAM } from '../models/drdam.js';
import { STATE_LAYER } from '../internal/single-layer.js';
import { FEATURE_MAP_KINDS } from '../synapses/feature-maps.js';

/** Models compared by {@link imageCompletion}. */
export type CompletionModel = 'modern' | 'drdam';

const positiveInt = z.number().int().positive();

/** The options of {@link imageCompletion} (checked: ENGRAM_ERR_INVALID_CONFIG naming the key). */
export const imageCompletionSchema = z.strictObject({
  images: z.custom<Float32Array>((v) => v instanceof Float32Array && v.length > 0, { message: 'expected a non-empty Float32Array' }).describe('images in [0, 1], row-major [n, height * width]'),
  imageShape: z.tuple([positiveInt, positiveInt]).default([28, 28]).describe('image height and width'),
  memories: z.array(positiveInt).min(1).describe('memory sizes K to test; the first K images are stored'),
  queries: positiveInt.default(50).describe('queries per K: the first min(K, queries) stored images, occluded'),
  occlusion: z.enum(['bottom-half', 'top-half', 'left-half', 'right-half', 'random']).default('bottom-half').describe('hidden part of each query'),
  models: z.array(z.enum(['modern', 'drdam'])).min(1).default(['modern', 'drdam']).describe('models to run'),
  modern: z
    .strictObject({ beta: z.number().positive().default(2), maxSteps: positiveInt.default(20) })
    .default({ beta: 2, maxSteps: 20 })
    .describe('modern network: beta and update cap (stops earlier at max|dx| < 1e-4)'),
  drdam: z
    .strictObject({
      beta: z.number().positive().default(0.0125),
      features: positiveInt.default(20000),
      dt: z.number().positive().default(0.5),
      maxSteps: positiveInt.default(30),
      kernel: z.enum(FEATURE_MAP_KINDS).default('sincos'),
      seed: z.number().int().default(0),
    })
    .default({ beta: 0.0125, features: 20000, dt: 0.5, maxSteps: 30, kernel: 'sincos', seed: 0 })
    .describe('DrDAM: beta (0.0125 is 0.05 in [0, 1] pixel units), random projections Y, step size, steps, map, seed'),
  frames: z.number().int().min(0).default(4).describe('completions whose frames are kept for pictures'),
  framesPerRun: z.number().int().min(2).default(6).describe('frames kept per completion, evenly spaced, first and last included'),
  onRow: z.custom<(row: CompletionRow) => void>((v) => typeof v === 'function', { message: 'expected a function' }).optional().describe('called after each (model, K) with its row'),
});

/** Options of {@link imageCompletion} (as written). */
export type ImageCompletionOptions = z.input<typeof imageCompletionSchema>;

/** One measured (model, K) cell. */
export interface CompletionRow {
  model: CompletionModel;
  /** Stored images K. */
  memories: number;
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
  memories: number;
  /** strips[i] is the strip of completion i. */
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
  const o = parseConfig(imageCompletionSchema, options, 'imageCompletion', 'options');
  const [h, w] = o.imageShape;
  const dim = h * w;
  if (o.images.length % dim !== 0) throw errors.shapeMismatch('images', ['n', dim], [o.images.length]);
  const available = o.images.length / dim;
  for (const k of o.memories) if (k > available) throw errors.invalidArgument('memories[i]', `at most ${available} (the images given)`, k);
  const nq = o.queries;
  const mb = o.modern.beta;
  const mSteps = o.modern.maxSteps;
  const d = o.drdam;
  const nFrames = o.frames;
  const perRun = o.framesPerRun;
  const visible = occlusionMask([h, w], o.occlusion).data as Float32Array;
  const hiddenCount = visible.reduce((a, v) => a + (v === 0 ? 1 : 0), 0);

  const rows: CompletionRow[] = [];
  const frames: CompletionFrames[] = [];
  const mask = tf.tensor2d(visible, [1, dim]);
  try {
    for (const k of o.memories) {
      const q = Math.min(k, nq);
      const pix = tf.tensor2d(o.images.subarray(0, k * dim), [k, dim]);
      const mem = tf.tidy(() => tf.sub(tf.mul(pix, 2), 1)) as tf.Tensor2D;
      const cues = tf.tidy(() => tf.mul(mem.slice([0, 0], [q, dim]), mask)) as tf.Tensor2D;
      const toPixels = (x: tf.Tensor) => tf.tidy(() => tf.clipByValue(tf.div(tf.add(x, 1), 2), 0, 1));
      const score = (out: tf.Tensor2D) =>
        tf.tidy(() => {
          const px = toPixels(out) as tf.Tensor2D;
          const nearest = tf.argMin(tf.sub(tf.sum(tf.square(pix), 1).reshape([1, -1]), tf.mul(tf.matMul(px, pix, false, true), 2)), 1).dataSync();
          let right = 0;
          nearest.forEach((v, i) => (right += v === i ? 1 : 0));
          const hidden = tf.sub(1, mask);
          const target = pix.slice([0, 0], [q, dim]);
          const err = (x: tf.Tensor) => tf.sum(tf.mul(tf.square(tf.sub(x, target)), hidden)).dataSync()[0]! / (q * hiddenCount);
          return { accuracy: right / q, mse: err(px), mseBefore: err(toPixels(cues)) };
        });
      try {
        for (const model of o.models) {
          const t0 = performance.now();
          let stream;
          let dispose: () => void;
          if (model === 'modern') {
            const net = new ModernHopfield({ size: dim, beta: mb }).store(mem);
            dispose = () => net.dispose();
            stream = (onFinal: (s: State) => void) =>
              net.run({ initial: cues, clamp: mask, maxSteps: mSteps, tolerance: 1e-4, snapshot: nFrames > 0, onFinal });
          } else {
            const dam = new DrDAM({ size: dim, features: d.features, beta: d.beta, kernel: d.kernel, seed: d.seed }).store(mem);
            dispose = () => dam.dispose();
            stream = (onFinal: (s: State) => void) =>
              dam.run({ initial: cues, clamp: mask, maxSteps: d.maxSteps, dt: d.dt, snapshot: nFrames > 0, onFinal });
          }
          try {
            let final: tf.Tensor2D | undefined;
            const steps: DynamicsStep[] = await lastValueFrom(stream((s) => (final = s[STATE_LAYER] as tf.Tensor2D)).pipe(toArray()));
            const out = final!;
            const s = score(out);
            out.dispose();
            const row: CompletionRow = { model, memories: k, queries: q, ...s, steps: steps.at(-1)!.step, seconds: (performance.now() - t0) / 1000 };
            rows.push(row);
            o.onRow?.(row);
            if (nFrames > 0) frames.push({ model, memories: k, strips: strips(steps, pix, Math.min(nFrames, q), dim, perRun) });
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
