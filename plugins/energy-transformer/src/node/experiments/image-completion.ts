/**
 * The hidden-patch image experiment behind `engram et-train`: trains the image
 * ET on Fashion-MNIST with half of the patches hidden (its training face's data
 * and loss), and in the same run two baselines (the mean training patch per
 * position, and a standard transformer encoder of the same width and about the
 * same parameter count trained on the same batches); reports the hidden-patch
 * MSE on test images, saves a checkpoint after each epoch (weights and the Adam
 * state, resumable), and writes completion PNGs.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { lastValueFrom, tap, toArray } from 'rxjs';
import { parseConfig, trainStream, type Engram, type TrainEvent } from '@engram/core';
import { loadModel, loadOptimizerState, saveModel, saveOptimizerState } from '@engram/core/node';
import { createRng, type FashionMnistSource } from '@engram/data';
import { imageGridPng, stepStripPng } from '@engram/viz';
import { writePng } from '@engram/viz/node';
import { fashionMnistImages, hiddenPatchBatches, type HiddenPatchBatch } from '../../models/image-data.js';
import { HIDDEN, IMAGE, ImageEnergyTransformer, type HiddenPatchModel } from '../../models/image.js';
import { imageTrainingSchema, type ImageOptions } from '../../models/image-schema.js';
import { hiddenPatchMse, patchify, randomHiddenPatches } from '../../models/patches.js';
import { matchedMlpHidden, meanTrainingPatch, TransformerEncoderBaseline } from '../../experiments/transformer-baseline.js';

/** Options of {@link runImageExperiment}. */
export interface ImageExperimentOptions {
  /** Output directory (checkpoint, PNGs, results.json). */
  out: string;
  /** The registry (Fashion-MNIST through 'data/fashion-mnist' when loaded; checkpoints are tagged with the plugin version). */
  engram: Engram;
  /** Training / test images used (defaults 10000 / 2000). */
  train?: number;
  test?: number;
  /** Fashion-MNIST source (default 'auto': the installed set, else the committed subset). */
  source?: FashionMnistSource;
  epochs?: number;
  batchSize?: number;
  lr?: number;
  /** Fraction of patches hidden (default 0.5). */
  hiddenRatio?: number;
  seed?: number;
  /** The image ET's config (default: D 128, 4 heads of 32, M 512, T 12, dt 0.1). */
  model?: ImageOptions;
  /** Train the transformer baseline (default true) and its depth (default 1). */
  transformer?: boolean;
  transformerLayers?: number;
  /**
   * Resume from a checkpoint spec written by an earlier run (`<out>/checkpoint/et.json`):
   * the ET weights, the epoch count and the Adam state (a checkpoint without one
   * still resumes, with the moments starting from zero, logged).
   */
  resume?: string;
  /** Receives progress notes such as what a resume restored. */
  log?: (line: string) => void;
  /** Receives every training event (progress display). */
  onEvent?: (model: 'et' | 'transformer', ev: TrainEvent) => void;
}

/** What {@link runImageExperiment} measured. */
export interface ImageExperimentResult {
  etMse: number;
  meanPatchMse: number;
  transformerMse: number | null;
  etParams: number;
  transformerParams: number | null;
  epochsTrained: number;
  trainSeconds: { et: number; transformer: number | null };
  trainCount: number;
  testCount: number;
  files: string[];
}

/** Hidden-patch MSE of a model over test patches (fixed hidden masks), in chunks. */
function evaluate(predict: (p: tf.Tensor3D, h: tf.Tensor2D) => tf.Tensor3D, patches: tf.Tensor3D, hidden: tf.Tensor2D, chunk = 250): number {
  let se = 0;
  let count = 0;
  const n = patches.shape[0];
  for (let i = 0; i < n; i += chunk) {
    const k = Math.min(chunk, n - i);
    const [s, c] = tf.tidy(() => {
      const p = tf.slice(patches, [i, 0, 0], [k, -1, -1]);
      const h = tf.slice(hidden, [i, 0], [k, -1]);
      const mse = hiddenPatchMse(predict(p, h), p, h).dataSync()[0]!;
      const cnt = tf.sum(h).dataSync()[0]!;
      return [mse * cnt, cnt];
    });
    se += s;
    count += c;
  }
  return se / count;
}

/** Runs the experiment (see the module comment). */
export async function runImageExperiment(o: ImageExperimentOptions): Promise<ImageExperimentResult> {
  const seed = o.seed ?? 0;
  const epochs = o.epochs ?? 1;
  const source = o.source ?? 'auto';
  await mkdir(o.out, { recursive: true });
  const settings = parseConfig(
    imageTrainingSchema,
    { epochs, batchSize: o.batchSize ?? 32, limit: o.train ?? 10000, lr: o.lr ?? 1e-3, hiddenRatio: o.hiddenRatio ?? 0.5, source, seed },
    'the image experiment',
    'training settings',
  );
  const et = new ImageEnergyTransformer({ seed, ...(o.model ?? {}) });
  const face = et.training;
  const geo = et.geometry;
  const N = geo.patches;
  const trainSet = await fashionMnistImages(o.engram, 'train', settings.limit, source);
  const testSet = await fashionMnistImages(o.engram, 'test', o.test ?? 2000, source);
  const data = hiddenPatchBatches(trainSet, geo, settings);
  const testImages = tf.tensor2d(testSet.images, [testSet.count, geo.imageSize ** 2]);
  const testRng = createRng(seed + 12345);
  const testHidden = tf.tensor2d(randomHiddenPatches(testSet.count, N, settings.hiddenRatio, () => testRng.uniform()), [testSet.count, N]);
  const testPatches = patchify(testImages, geo);
  const files: string[] = [];
  const ckpt = join(o.out, 'checkpoint', 'et');
  let startEpoch = 0;
  try {
    if (o.resume) {
      const loaded = await loadModel<ImageEnergyTransformer>(o.engram, o.resume);
      et.setWeights(loaded.variables());
      loaded.dispose();
      const progress = JSON.parse(await readFile(`${o.resume.replace(/\.json$/, '')}.progress.json`, 'utf8').catch(() => '{"epoch":0}')) as { epoch: number };
      startEpoch = progress.epoch;
    }
    const trainOne = async (
      name: 'et' | 'transformer',
      model: HiddenPatchModel,
      loss: (b: HiddenPatchBatch) => tf.Scalar,
      first: number,
      hooks: { start?: (opt: tf.Optimizer, vars: tf.Variable[]) => Promise<void>; epoch?: (e: number, opt: tf.Optimizer) => Promise<void> } = {},
    ): Promise<number> => {
      const t0 = Date.now();
      const vars = Object.values(model.variables());
      const opt = tf.train.adam(settings.lr);
      try {
        await hooks.start?.(opt, vars);
        for (let e = first; e < epochs; e++) {
          await lastValueFrom(
            trainStream<HiddenPatchBatch>({
              variables: vars,
              optimizer: opt,
              batches: () => data.batches(e),
              loss,
              epochs: 1,
              batchesPerEpoch: data.batchesPerEpoch,
              clipNorm: settings.clipNorm,
            }).pipe(
              tap((ev) => o.onEvent?.(name, { ...ev, epoch: e, epochs })),
              toArray(),
            ),
          );
          await hooks.epoch?.(e, opt);
        }
      } finally {
        opt.dispose();
      }
      return (Date.now() - t0) / 1000;
    };
    const etSeconds = await trainOne('et', et, (b) => face.loss(b, settings), startEpoch, {
      start: async (opt, vars) => {
        if (!o.resume) return;
        const restored = await loadOptimizerState(opt, o.resume, { variables: vars, optional: true });
        o.log?.(
          restored
            ? `et: resumed the Adam state of ${o.resume} (step ${opt.iterations})`
            : `et: ${o.resume} has no optimizer state (saved by an older version): the Adam moments start from zero`,
        );
      },
      epoch: async (e, opt) => {
        const paths = await saveModel(et, ckpt, { engram: o.engram });
        // Next to the weights, so that a resumed run continues the Adam moments too.
        await saveOptimizerState(opt, ckpt);
        await writeFile(`${ckpt}.progress.json`, JSON.stringify({ epoch: e + 1 }));
        if (!files.includes(paths.spec)) files.push(paths.spec);
      },
    });
    const etMse = evaluate((p, h) => et.predict(p, h), testPatches, testHidden);
    // Baseline 1: the mean training patch at each position.
    const trainImages = tf.tensor2d(trainSet.images, [trainSet.count, geo.imageSize ** 2]);
    const meanPatch = tf.tidy(() => meanTrainingPatch(patchify(trainImages, geo)));
    trainImages.dispose();
    const meanPatchMse = evaluate((p) => tf.tile(tf.expandDims(meanPatch, 0), [p.shape[0], 1, 1]) as tf.Tensor3D, testPatches, testHidden);
    meanPatch.dispose();
    // Baseline 2: a standard transformer encoder with the same budget.
    let transformerMse: number | null = null;
    let transformerParams: number | null = null;
    let tfSeconds: number | null = null;
    if (o.transformer !== false) {
      const layers = o.transformerLayers ?? 1;
      const D = et.block.config.size;
      const base = new TransformerEncoderBaseline({
        tokens: N,
        patchPixels: geo.patchPixels,
        dim: D,
        heads: et.block.config.heads,
        layers,
        mlpHidden: matchedMlpHidden(et.block.parameterCount(), D, layers),
        seed,
      });
      try {
        const loss = (b: HiddenPatchBatch): tf.Scalar =>
          tf.tidy(() => {
            const p = patchify(b.images, geo);
            return hiddenPatchMse(base.predict(p, b.hidden), p, b.hidden);
          });
        tfSeconds = await trainOne('transformer', base, loss, 0);
        transformerMse = evaluate((p, h) => base.predict(p, h), testPatches, testHidden);
        transformerParams = base.parameterCount();
      } finally {
        base.dispose();
      }
    }
    files.push(...(await writeCompletionPngs(et, testImages, testHidden, o.out)));
    const result: ImageExperimentResult = {
      etMse,
      meanPatchMse,
      transformerMse,
      etParams: et.parameterCount(),
      transformerParams,
      epochsTrained: epochs,
      trainSeconds: { et: etSeconds, transformer: tfSeconds },
      trainCount: trainSet.count,
      testCount: testSet.count,
      files,
    };
    const resPath = join(o.out, 'results.json');
    await writeFile(resPath, `${JSON.stringify({ ...result, config: et.getConfig(), settings, source }, null, 2)}\n`);
    result.files.push(resPath);
    return result;
  } finally {
    tf.dispose([testImages, testHidden, testPatches]);
    data.dispose?.();
    et.dispose();
  }
}

/** Writes originals / hidden / completions (8 test images) and one completion across the descent steps. */
async function writeCompletionPngs(et: ImageEnergyTransformer, images: tf.Tensor2D, hidden: tf.Tensor2D, out: string): Promise<string[]> {
  const k = Math.min(8, images.shape[0]);
  const side = et.geometry.imageSize;
  const imgs = tf.slice(images, [0, 0], [k, -1]);
  const h = tf.slice(hidden, [0, 0], [k, -1]);
  const done = et.complete(imgs, h);
  const shown = et.masked(imgs, h);
  const rows = tf.concat([imgs, shown, done], 0);
  const data = rows.dataSync() as Float32Array;
  tf.dispose([rows, done, shown]);
  const grid = join(out, 'completions.png');
  writePng(grid, imageGridPng({ images: data, count: 3 * k, imageWidth: side, imageHeight: side, rows: 3, cols: k, scale: 3, range: [0, 1] }));
  // One completion forming across the steps: the image layer of every step.
  const one = tf.slice(imgs, [0, 0], [1, -1]);
  const oneHidden = tf.slice(h, [0, 0], [1, -1]);
  const events = await lastValueFrom(et.run({ initial: { [IMAGE]: one, [HIDDEN]: oneHidden }, snapshot: [IMAGE] }).pipe(toArray()));
  const frames = events.map((e) => e.states![IMAGE]!.data);
  const strip = join(out, 'completion-steps.png');
  writePng(strip, stepStripPng(frames, side, side, { scale: 3, range: [0, 1], maxFrames: frames.length }));
  tf.dispose([imgs, h, one, oneHidden]);
  return [grid, strip];
}
