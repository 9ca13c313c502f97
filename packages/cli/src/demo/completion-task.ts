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
 *
 * The same task runs on the plugin memories 'hopfield/modern' (same patterns,
 * CCCP updates x <- Xi^T softmax(beta Xi x)) and 'hopfield/drdam' (random-feature
 * Gaussian-kernel memory: distance-based already, so no bias unit).
 */
import * as tf from '@tensorflow/tfjs';
import type { Observable } from 'rxjs';
import { EnergyModel, errors, lagrangians, memorySynapse, type DynamicsStep, type Engram, type Model, type RunSettings } from '@engram/core';
import type { DrDAM, ModernHopfield } from '@engram/hopfield';
import { occlusionMask, type FashionMnistSource, type OcclusionKind } from '@engram/data';
import { loadFashionMnist } from '@engram/data/node';

/** Memories the demo can use: 'core' (built from core parts) or a Hopfield plugin model. */
export type DemoMemory = 'core' | 'hopfield/modern' | 'hopfield/drdam';

/** The memories in {@link DemoMemory}. */
export const DEMO_MEMORIES: readonly DemoMemory[] = ['core', 'hopfield/modern', 'hopfield/drdam'];

/** Options of {@link buildCompletionTask}. */
export interface CompletionTaskOptions {
  /** Which memory (default 'core'); plugin memories need the `engram` argument. */
  memory?: DemoMemory;
  /** DrDAM: number of random projections (default 4096). */
  features?: number;
  /** Number of stored images K (each is also a query), default 64. */
  images?: number;
  /** Fashion-MNIST source, default 'auto' (full set when installed, else the committed subset). */
  source?: FashionMnistSource;
  /** Which split the images come from, default 'test'. */
  split?: 'train' | 'test';
  /** Inverse temperature of the memory (default 0.2 for core and modern, 0.05 for drdam; larger values lock onto wrong memories early, see the README). */
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
  /** Name of the model's state layer in snapshots ('v' for core, 'x' for the Hopfield plugin). */
  readonly layer: string;
  /** The memory (an EnergyModel for 'core'). */
  readonly model: Model;
  /** Which memory this is. */
  readonly memory: DemoMemory;
  /** One line describing the memory. */
  readonly description: string;
  /** Entries per state row: D + 1 with the bias unit, else D. */
  readonly stride: number;
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
  /** Initial state [count, stride] (centred, hidden pixels at 0, bias unit 1). Owned by the task. */
  readonly initial: tf.Tensor2D;
  /** Clamp mask [1, stride]: visible pixels (and the bias unit). Owned by the task. */
  readonly clamp: tf.Tensor2D;
  /** Runs the completion (defaults: dt 0.5, 100 steps, tolerance 1e-4; `extra` overrides, e.g. snapshots). */
  run(extra?: RunSettings): Observable<DynamicsStep>;
  /** Pixel images in [0, 1] from states (rows of `stride` entries, centred). */
  toPixels(state: Float32Array, rows?: number): Float32Array;
  /** Scores completed images (from {@link CompletionTask.toPixels}). */
  score(completed: Float32Array): CompletionScores;
  /** Frees the model and the task's tensors. */
  dispose(): void;
}

/**
 * Builds the demo's memory and its occluded queries. 'core' needs nothing else;
 * the plugin memories are created through `engram` (with @engram/hopfield loaded).
 */
export async function buildCompletionTask(options: CompletionTaskOptions = {}, engram?: Engram): Promise<CompletionTask> {
  const K = options.images ?? 64;
  if (!Number.isInteger(K) || K < 1) throw errors.invalidArgument('images', 'a positive integer', K);
  const memory = options.memory ?? 'core';
  if (!DEMO_MEMORIES.includes(memory)) throw errors.invalidArgument('memory', DEMO_MEMORIES.join(' | '), memory);
  if (memory !== 'core' && !engram) throw errors.invalidArgument('engram', `an Engram with @engram/hopfield loaded (for '${memory}')`, 'none');
  const beta = options.beta ?? (memory === 'hopfield/drdam' ? 0.05 : 0.2);
  const bias = memory !== 'hopfield/drdam';
  const stride = bias ? 785 : 784;
  const set = loadFashionMnist({ split: options.split ?? 'test', source: options.source ?? 'auto', limit: K });
  if (set.count < K) throw errors.invalidArgument('images', `at most ${set.count} (images in the ${set.source} ${set.split} set)`, K);
  const [height, width] = set.imageShape;
  const D = width * height;
  const visible = occlusionMask([height, width], options.occlusion ?? 'bottom-half').data as Float32Array;

  // Mean image and the centred, bias-augmented patterns (host side: small).
  const mean = new Float32Array(D);
  for (let i = 0; i < K; i++) for (let j = 0; j < D; j++) mean[j]! += set.images[i * D + j]! / K;
  if (stride !== (bias ? D + 1 : D)) throw errors.shapeMismatch('Fashion-MNIST image', [28, 28], [height, width]);
  const patterns = new Float32Array(K * stride);
  const init = new Float32Array(K * stride);
  const occluded = new Float32Array(K * D);
  for (let i = 0; i < K; i++) {
    let sq = 0;
    for (let j = 0; j < D; j++) {
      const c = set.images[i * D + j]! - mean[j]!;
      patterns[i * stride + j] = c;
      sq += c * c;
      init[i * stride + j] = visible[j]! ? c : 0;
      occluded[i * D + j] = visible[j]! ? set.images[i * D + j]! : 0;
    }
    if (bias) {
      patterns[i * stride + D] = -sq / 2;
      init[i * stride + D] = 1;
    }
  }
  const clampMask = new Float32Array(stride);
  clampMask.set(visible);
  if (bias) clampMask[D] = 1;
  const initial = tf.tensor2d(init, [K, stride]);
  const clamp = tf.tensor2d(clampMask, [1, stride]);
  const defaults = { dt: 0.5, maxSteps: 100, tolerance: 1e-4 };

  let model: Model;
  let layer: string;
  let description: string;
  let run: CompletionTask['run'];
  if (memory === 'core') {
    const graph = new EnergyModel()
      .addLayer('v', { shape: [stride], lagrangian: lagrangians.identity() })
      .addSynapse('memory', memorySynapse({ memories: K, size: stride, separation: 'lse', beta, patterns }), ['v']);
    model = graph;
    layer = 'v';
    description = `core parts: EnergyModel, layer v [${D}+1 bias unit] identity Lagrangian, synapse core/memory lse beta=${beta}`;
    run = (extra = {}) => graph.run({ ...defaults, ...extra, initial: { v: initial }, clamp: { v: clamp } });
  } else {
    const xi = tf.tensor2d(patterns, [K, stride]);
    let created: ModernHopfield | DrDAM;
    try {
      created =
        memory === 'hopfield/modern'
          ? (await engram!.createModel('hopfield/modern', { size: stride, beta })).store(xi)
          : (await engram!.createModel('hopfield/drdam', { size: stride, beta, features: options.features ?? 4096, seed: 0 })).store(xi);
    } finally {
      xi.dispose();
    }
    model = created;
    layer = created.layers[0]!.name;
    description =
      memory === 'hopfield/modern'
        ? `hopfield/modern plugin model: ${K} patterns [${D}+1 bias unit], beta=${beta}, CCCP updates`
        : `hopfield/drdam plugin model: ${options.features ?? 4096} random features, Gaussian kernel beta=${beta}, gradient descent`;
    const runner = created;
    run = (extra = {}) => runner.run({ ...defaults, ...extra, initial, clamp });
  }

  const toPixels = (state: Float32Array, rows = state.length / stride): Float32Array => {
    const out = new Float32Array(rows * D);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < D; j++) out[i * D + j] = Math.min(1, Math.max(0, state[i * stride + j]! + mean[j]!));
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
    layer,
    model,
    memory,
    description,
    stride,
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
    run,
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
