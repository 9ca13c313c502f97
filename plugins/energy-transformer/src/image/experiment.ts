/**
 * The masked-image experiment behind `engram et-train`: trains the image ET on
 * Fashion-MNIST with 50% of the patches masked, and in the same run two
 * baselines (the mean training patch per position, and a standard transformer
 * encoder of the same width and about the same parameter count trained with
 * the same budget); reports masked-patch MSE on the test set, saves checkpoints
 * (model and Adam state, resumable), and writes completion PNGs.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { lastValueFrom, tap, toArray } from 'rxjs';
import { loadModel, loadOptimizerState, saveModel, saveOptimizerState, trainStream, type Engram, type TrainEvent } from '@engram/core';
import { createRng, loadFashionMnist, type FashionMnistSource } from '@engram/data';
import { imageGridPng, stepStripPng, writePng } from '@engram/viz';
import type { EtBlockOptions } from '../config.js';
import { maskedPatchMse } from './codec.js';
import { ImageEnergyTransformer, type MaskedPatchModel } from './image-model.js';
import { patchify, randomPatchMasks } from './patches.js';
import { matchedMlpHidden, meanTrainingPatch, TransformerEncoderBaseline } from './transformer-baseline.js';

/** Options of {@link runImageExperiment}. */
export interface ImageExperimentOptions {
  /** Output directory (checkpoints, PNGs, results.json). */
  out: string;
  /** Training / test images used (defaults 10000 / 2000). */
  trainCount?: number;
  testCount?: number;
  /** Fashion-MNIST source (default 'auto': the installed set, else the committed subset). */
  source?: FashionMnistSource;
  epochs?: number;
  batch?: number;
  lr?: number;
  /** Fraction of patches masked (default 0.5). */
  maskRatio?: number;
  seed?: number;
  /** The ET block (default D 128, 4 heads of 32, M 512, T 12, alpha 0.1). */
  block?: Partial<EtBlockOptions>;
  /** Train the transformer baseline (default true) and its depth (default 1). */
  transformer?: boolean;
  transformerLayers?: number;
  /**
   * Resume from a checkpoint spec written by an earlier run (`<out>/checkpoint/et.json`):
   * the ET weights, the epoch count and the Adam state (`et.optimizer.json/.bin`; a
   * checkpoint without one still resumes, with the moments starting from zero, logged).
   */
  resume?: string;
  /** Receives progress notes such as what a resume restored (default: dropped). */
  log?: (line: string) => void;
  /** Engram with the et plugin loaded (needed to resume; used to tag checkpoints). */
  engram?: Engram;
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
  files: string[];
}

type Batch = { images: tf.Tensor2D; mask: tf.Tensor2D };

/** Masked-patch MSE of a model over a test set (fixed masks), in chunks. */
function evaluate(model: MaskedPatchModel | ((p: tf.Tensor3D, m: tf.Tensor2D) => tf.Tensor3D), patches: tf.Tensor3D, masks: tf.Tensor2D, chunk = 250): number {
  let se = 0;
  let count = 0;
  const n = patches.shape[0];
  for (let i = 0; i < n; i += chunk) {
    const k = Math.min(chunk, n - i);
    const [s, c] = tf.tidy(() => {
      const p = tf.slice(patches, [i, 0, 0], [k, -1, -1]);
      const m = tf.slice(masks, [i, 0], [k, -1]);
      const pred = typeof model === 'function' ? model(p, m) : model.predict(p, m);
      const mse = maskedPatchMse(pred, p, m).dataSync()[0]!;
      const cnt = tf.sum(m).dataSync()[0]!;
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
  const batchSize = o.batch ?? 32;
  const ratio = o.maskRatio ?? 0.5;
  await mkdir(o.out, { recursive: true });
  const source = o.source ?? 'auto';
  const train = loadFashionMnist({ split: 'train', source, limit: o.trainCount ?? 10000 });
  const test = loadFashionMnist({ split: 'test', source, limit: o.testCount ?? 2000 });
  const trainImages = tf.tensor2d(train.images, [train.count, 784]);
  const testImages = tf.tensor2d(test.images, [test.count, 784]);
  const et = new ImageEnergyTransformer({ block: { tokenDim: 128, heads: 4, headDim: 32, memories: 512, ...(o.block ?? {}) }, seed });
  const N = et.geometry.tokens;
  const testRng = createRng(seed + 12345);
  const testMasks = tf.tensor2d(randomPatchMasks(test.count, N, ratio, () => testRng.uniform()), [test.count, N]);
  const testPatches = patchify(testImages, et.geometry);
  const files: string[] = [];
  let startEpoch = 0;
  const ckpt = join(o.out, 'checkpoint', 'et');
  try {
    if (o.resume) {
      if (!o.engram) throw new Error('resume needs an engram instance with the et plugin');
      const loaded = await loadModel<ImageEnergyTransformer>(o.engram, o.resume);
      et.setWeights(loaded.getWeights());
      loaded.dispose();
      const progress = JSON.parse(await readFile(o.resume.replace(/\.json$/, '') + '.progress.json', 'utf8').catch(() => '{"epoch":0}')) as { epoch: number };
      startEpoch = progress.epoch;
    }
    const batches = (epochSeed: number) =>
      function* (epoch: number): Generator<Batch> {
        const rng = createRng(seed * 1000 + epochSeed + epoch);
        const perm = rng.permutation(train.count);
        for (let i = 0; i + batchSize <= train.count; i += batchSize) {
          const idx = tf.tensor1d(perm.subarray(i, i + batchSize), 'int32');
          const images = tf.gather(trainImages, idx) as tf.Tensor2D;
          idx.dispose();
          yield { images, mask: tf.tensor2d(randomPatchMasks(batchSize, N, ratio, () => rng.uniform()), [batchSize, N]) };
        }
      };
    const perEpoch = Math.floor(train.count / batchSize);
    const train1 = async (
      name: 'et' | 'transformer',
      model: MaskedPatchModel,
      first: number,
      onEpoch?: (epoch: number, opt: tf.Optimizer) => Promise<void>,
      onStart?: (opt: tf.Optimizer) => Promise<void>,
    ) => {
      const t0 = Date.now();
      const opt = tf.train.adam(o.lr ?? 1e-3);
      await onStart?.(opt);
      const loss = (b: Batch) => tf.tidy(() => { const p = patchify(b.images, et.geometry); return maskedPatchMse(model.predict(p, b.mask), p, b.mask); });
      for (let e = first; e < epochs; e++) {
        const gen = batches(0);
        await lastValueFrom(
          trainStream<Batch>({ variables: model.variables(), optimizer: opt, batches: () => gen(e), loss, epochs: 1, batchesPerEpoch: perEpoch, clipNorm: 1 }).pipe(
            tap((ev) => o.onEvent?.(name, { ...ev, epoch: e, epochs })),
            toArray(),
          ),
        );
        await onEpoch?.(e, opt);
      }
      opt.dispose();
      return (Date.now() - t0) / 1000;
    };
    const resumeOptimizer = async (opt: tf.Optimizer): Promise<void> => {
      if (!o.resume) return;
      const restored = await loadOptimizerState(opt, o.resume, { variables: et.variables(), optional: true });
      o.log?.(
        restored
          ? `et: resumed the Adam state of ${o.resume} (step ${opt.iterations})`
          : `et: ${o.resume} has no optimizer state (saved by an older version): the Adam moments start from zero`,
      );
    };
    const etSeconds = await train1(
      'et',
      et,
      startEpoch,
      async (e, opt) => {
        const paths = await saveModel(et, ckpt, o.engram ? { engram: o.engram } : {});
        // Next to the weights, so a resumed run continues the Adam moments too.
        await saveOptimizerState(opt, ckpt);
        await writeFile(`${ckpt}.progress.json`, JSON.stringify({ epoch: e + 1 }));
        if (!files.includes(paths.spec)) files.push(paths.spec);
      },
      resumeOptimizer,
    );
    const etMse = evaluate(et, testPatches, testMasks);
    // Baseline 1: the mean training patch at each position.
    const meanPatch = tf.tidy(() => meanTrainingPatch(patchify(trainImages, et.geometry)));
    const meanPatchMse = evaluate((p) => tf.tile(tf.expandDims(meanPatch, 0), [p.shape[0], 1, 1]) as tf.Tensor3D, testPatches, testMasks);
    meanPatch.dispose();
    // Baseline 2: a standard transformer encoder with the same budget.
    let transformerMse: number | null = null;
    let transformerParams: number | null = null;
    let tfSeconds: number | null = null;
    if (o.transformer !== false) {
      const layers = o.transformerLayers ?? 1;
      const D = et.block.config.tokenDim;
      const base = new TransformerEncoderBaseline({
        tokens: N, patchPixels: et.geometry.patchPixels, dim: D, heads: et.block.config.heads, layers,
        mlpHidden: matchedMlpHidden(et.block.parameterCount(), D, layers), seed,
      });
      tfSeconds = await train1('transformer', base, 0);
      transformerMse = evaluate(base, testPatches, testMasks);
      transformerParams = base.parameterCount();
      base.dispose();
    }
    files.push(...(await writeCompletionPngs(et, testImages, testMasks, o.out)));
    const result: ImageExperimentResult = {
      etMse, meanPatchMse, transformerMse, etParams: et.parameterCount(), transformerParams, epochsTrained: epochs,
      trainSeconds: { et: etSeconds, transformer: tfSeconds }, files,
    };
    const resPath = join(o.out, 'results.json');
    await writeFile(resPath, `${JSON.stringify({ ...result, config: et.getConfig(), trainCount: train.count, testCount: test.count, source: train.source, batch: batchSize, lr: o.lr ?? 1e-3, maskRatio: ratio }, null, 2)}\n`);
    result.files.push(resPath);
    return result;
  } finally {
    tf.dispose([trainImages, testImages, testMasks, testPatches]);
    et.dispose();
  }
}

/** Writes originals / masked / completions (8 test images) and one completion across the T steps. */
async function writeCompletionPngs(et: ImageEnergyTransformer, images: tf.Tensor2D, masks: tf.Tensor2D, out: string): Promise<string[]> {
  const k = Math.min(8, images.shape[0]);
  const imgs = tf.slice(images, [0, 0], [k, -1]);
  const m = tf.slice(masks, [0, 0], [k, -1]);
  const rows = tf.tidy(() => tf.concat([imgs, et.masked(imgs, m), et.complete(imgs, m)], 0));
  const data = rows.dataSync() as Float32Array;
  rows.dispose();
  const grid = join(out, 'completions.png');
  writePng(grid, imageGridPng({ images: data, count: 3 * k, imageWidth: 28, imageHeight: 28, rows: 3, cols: k, scale: 3, range: [0, 1] }));
  const one = tf.slice(imgs, [0, 0], [1, -1]);
  const oneMask = tf.slice(m, [0, 0], [1, -1]);
  const events = await lastValueFrom(et.run(one, oneMask, { snapshot: true }).pipe(toArray()));
  const frames = events.filter((e) => e.images).map((e) => e.images!);
  const strip = join(out, 'completion-steps.png');
  writePng(strip, stepStripPng(frames, 28, 28, { scale: 3, range: [0, 1], maxFrames: frames.length }));
  tf.dispose([imgs, m, one, oneMask]);
  return [grid, strip];
}
