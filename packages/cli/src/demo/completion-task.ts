/**
 * The main demo's memory, built from core parts only: a modern Hopfield network
 * (EnergyModel + one identity-Lagrangian layer + the core lse memorySynapse with
 * the stored Fashion-MNIST images as its patterns) completing images whose
 * bottom half is hidden.
 *
 * Two choices make completion work (measured, see the README):
 * - Images are centred on the stored set's mean image, so an unknown pixel
 *   starts at "average" (0) instead of black.
 * - The layer carries one extra "bias unit" clamped at 1, and each stored
 *   pattern gets the extra entry -||xi||^2 / 2. The memory's similarity
 *   xi . v then equals -||xi - x||^2 / 2 + const(x): retrieval by distance,
 *   not by raw overlap, which otherwise favours the brightest images.
 * With the identity Lagrangian, dx/dt = -x + Xi^T softmax(beta Xi x) on the
 * free pixels; the fixed point is a softmax-weighted mix of stored images.
 */
import * as tf from '@tensorflow/tfjs';
import { EnergyModel, errors, lagrangians, memorySynapse, type RunOptions } from '@engram/core';
import { loadFashionMnist, occlusionMask, type FashionMnistSource, type OcclusionKind } from '@engram/data';

/** Options of {@link buildCompletionTask}. */
export interface CompletionTaskOptions {
  /** Number of stored images K (each is also a query), default 64. */
  images?: number;
  /** Fashion-MNIST source, default 'auto' (full set when installed, else the committed subset). */
  source?: FashionMnistSource;
  /** Which split the images come from, default 'test'. */
  split?: 'train' | 'test';
  /** Inverse temperature of the memory (default 0.2; larger values lock onto wrong memories early, see the README). */
  beta?: number;
  /** Hidden region of every query, default 'bottom-half'. */
  occlusion?: OcclusionKind;
}

/** Scores of a completion against the originals. */
export interface CompletionScores {
  /** Fraction of queries whose completion is nearest (on the hidden pixels) to its own stored image. */
  accuracy: number;
  /** Mean squared error of the completed hidden pixels, pixel values in [0, 1]. */
  mse: number;
  /** The same error for the query as given (hidden pixels at the mean image): the baseline. */
  baselineMse: number;
}

/** The demo's model, its input and what is needed to show and score the result. */
export interface CompletionTask {
  /** Name of the model's only layer. */
  readonly layer: 'v';
  readonly model: EnergyModel;
  /** Number of stored images (and queries). */
  readonly count: number;
  readonly width: number;
  readonly height: number;
  /** Where the images came from ('full' or 'subset'). */
  readonly source: 'full' | 'subset';
  /** Fashion-MNIST class of each image. */
  readonly labels: Int32Array;
  readonly beta: number;
  /** Original images, [count * width * height], in [0, 1]. */
  readonly originals: Float32Array;
  /** Queries as shown: hidden pixels black. */
  readonly occluded: Float32Array;
  /** 1 = visible pixel, [width * height]. */
  readonly visible: Float32Array;
  /** Initial state [count, D + 1] (centred, hidden pixels at 0, bias unit 1). Owned by the task. */
  readonly initial: tf.Tensor2D;
  /** Clamp mask [1, D + 1]: visible pixels and the bias unit. Owned by the task. */
  readonly clamp: tf.Tensor2D;
  /** Run options for the completion (caller adds maxSteps, snapshots, ...). */
  runOptions(extra?: Partial<RunOptions>): RunOptions;
  /** Pixel images in [0, 1] from layer states (rows of D + 1 entries, centred). */
  toPixels(state: Float32Array, rows?: number): Float32Array;
  /** Scores completed images (from {@link CompletionTask.toPixels}). */
  score(completed: Float32Array): CompletionScores;
  /** Frees the model and the task's tensors. */
  dispose(): void;
}

/** Builds the demo's modern Hopfield memory and its occluded queries. */
export function buildCompletionTask(options: CompletionTaskOptions = {}): CompletionTask {
  const K = options.images ?? 64;
  if (!Number.isInteger(K) || K < 1) throw errors.invalidArgument('images', 'a positive integer', K);
  const beta = options.beta ?? 0.2;
  const set = loadFashionMnist({ split: options.split ?? 'test', source: options.source ?? 'auto', limit: K });
  if (set.count < K) throw errors.invalidArgument('images', `at most ${set.count} (images in the ${set.source} ${set.split} set)`, K);
  const [height, width] = set.imageShape;
  const D = width * height;
  const visible = occlusionMask([height, width], options.occlusion ?? 'bottom-half').data as Float32Array;

  // Mean image and the centred, bias-augmented patterns (host side: small).
  const mean = new Float32Array(D);
  for (let i = 0; i < K; i++) for (let j = 0; j < D; j++) mean[j]! += set.images[i * D + j]! / K;
  const patterns = new Float32Array(K * (D + 1));
  const init = new Float32Array(K * (D + 1));
  const occluded = new Float32Array(K * D);
  for (let i = 0; i < K; i++) {
    let sq = 0;
    for (let j = 0; j < D; j++) {
      const c = set.images[i * D + j]! - mean[j]!;
      patterns[i * (D + 1) + j] = c;
      sq += c * c;
      init[i * (D + 1) + j] = visible[j]! ? c : 0;
      occluded[i * D + j] = visible[j]! ? set.images[i * D + j]! : 0;
    }
    patterns[i * (D + 1) + D] = -sq / 2;
    init[i * (D + 1) + D] = 1;
  }
  const clampMask = new Float32Array(D + 1);
  clampMask.set(visible);
  clampMask[D] = 1;

  const model = new EnergyModel()
    .addLayer('v', { shape: [D + 1], lagrangian: lagrangians.identity() })
    .addSynapse('memory', memorySynapse({ memories: K, features: D + 1, separation: 'lse', beta, patterns }), ['v']);
  const initial = tf.tensor2d(init, [K, D + 1]);
  const clamp = tf.tensor2d(clampMask, [1, D + 1]);

  const toPixels = (state: Float32Array, rows = state.length / (D + 1)): Float32Array => {
    const out = new Float32Array(rows * D);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < D; j++) out[i * D + j] = Math.min(1, Math.max(0, state[i * (D + 1) + j]! + mean[j]!));
    }
    return out;
  };
  const baseline = toPixels(init, K);

  const hiddenMse = (a: Float32Array): number => {
    let s = 0;
    let n = 0;
    for (let i = 0; i < K; i++) {
      for (let j = 0; j < D; j++) {
        if (visible[j]) continue;
        const d = a[i * D + j]! - set.images[i * D + j]!;
        s += d * d;
        n++;
      }
    }
    return s / Math.max(1, n);
  };

  return {
    layer: 'v',
    model,
    count: K,
    width,
    height,
    source: set.source,
    labels: set.labels,
    beta,
    originals: set.images.slice(0, K * D),
    occluded,
    visible,
    initial,
    clamp,
    runOptions: (extra = {}) => ({ dt: 0.5, maxSteps: 60, tolerance: 1e-4, ...extra, initial: { v: initial }, clamp: { v: clamp } }),
    toPixels,
    score(completed) {
      let hits = 0;
      for (let i = 0; i < K; i++) {
        let best = -1;
        let bestD = Infinity;
        for (let m = 0; m < K; m++) {
          let d = 0;
          for (let j = 0; j < D; j++) {
            if (visible[j]) continue;
            const e = completed[i * D + j]! - set.images[m * D + j]!;
            d += e * e;
          }
          if (d < bestD) {
            bestD = d;
            best = m;
          }
        }
        if (best === i) hits++;
      }
      return { accuracy: hits / K, mse: hiddenMse(completed), baselineMse: hiddenMse(baseline) };
    },
    dispose() {
      model.dispose();
      initial.dispose();
      clamp.dispose();
    },
  };
}
