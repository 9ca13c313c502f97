/**
 * The whole example as one function: build the composed model from its JSON
 * config through the registry, train it through the unrolled dynamics on
 * Fashion-MNIST, measure held-out accuracy, stream a descent with its energy
 * tree, save the model file, reload it and check that it predicts the same.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend, type EnergyModel } from '@engram/core';
import { loadModel, saveModel } from '@engram/core/node';
import type { FashionMnistSource } from '@engram/data';
import { loadFashionMnist } from '@engram/data/node';
import { lastValueFrom, tap } from 'rxjs';
import { accuracy, predict, type DescentSettings } from './classify.js';
import { IMAGE_SIZE, type ComposedOptions } from './config.js';
import { streamDescent, type DescentTrace } from './descent.js';
import { composedEngram, createComposedModel } from './engram.js';
import { trainClassifier } from './train.js';

/** Options of {@link runComposedExample}. */
export interface ComposedRunOptions extends ComposedOptions, DescentSettings {
  /** Training images (default 10,000; capped by the data available). */
  trainImages?: number;
  /** Held-out test images (default 10,000, the whole test split; capped likewise). */
  testImages?: number;
  /** Default 4. */
  epochs?: number;
  /** Default 50. */
  batchSize?: number;
  /** Default 3e-3. */
  learningRate?: number;
  /** 'auto' (default): the full Debian set when installed, else the committed subset. */
  source?: FashionMnistSource;
  /** Folder the model file is written to (default engram-out/composed). */
  out?: string;
  log?: (line: string) => void;
}

/** What the example measured and wrote. */
export interface ComposedRunResult {
  backend: string;
  source: 'full' | 'subset';
  trainImages: number;
  testImages: number;
  /** Mean training loss per epoch. */
  lossByEpoch: number[];
  /** Held-out accuracy after training (the test split, never trained on). */
  testAccuracy: number;
  /** Seconds spent training. */
  trainSeconds: number;
  /** The streamed descent of the first test image. */
  trace: DescentTrace;
  /** The model file (spec) and its weights, loadable by loadModel, engram run and engram serve. */
  files: { spec: string; weights: string };
  /** The reloaded model against the trained one on the first test images: largest |difference| of the label probabilities. */
  reloadMaxDifference: number;
}

/** Largest |a - b| of the label probabilities two models give the same images. */
function maxDifference(a: EnergyModel, b: EnergyModel, images: Float32Array, settings: DescentSettings): number {
  return tf.tidy(() => {
    const x = tf.tensor2d(images, [images.length / IMAGE_SIZE, IMAGE_SIZE]);
    return tf.max(tf.abs(tf.sub(predict(a, x, settings), predict(b, x, settings)))).dataSync()[0]!;
  });
}

/** Runs the example (see the module comment); frees every tensor it made. */
export async function runComposedExample(o: ComposedRunOptions = {}): Promise<ComposedRunResult> {
  const log = o.log ?? (() => {});
  const backend = await initBackend();
  const source = o.source ?? 'auto';
  const train = loadFashionMnist({ split: 'train', source, limit: o.trainImages ?? 10000 });
  const test = loadFashionMnist({ split: 'test', source, limit: o.testImages ?? 10000 });
  log(`backend ${backend}; Fashion-MNIST (${train.source}): ${train.count} training, ${test.count} test images`);
  const settings: DescentSettings = { ...(o.steps !== undefined ? { steps: o.steps } : {}), ...(o.dt !== undefined ? { dt: o.dt } : {}) };
  const engram = await composedEngram();
  const model = await createComposedModel(engram, o);
  let reloaded: EnergyModel | undefined;
  try {
    log(`model core/graph: ${model.connections.map((c) => `${c.name} (${c.synapse.kind})`).join(', ')}`);
    const start = Date.now();
    const lossByEpoch: number[] = [];
    await lastValueFrom(
      trainClassifier(model, {
        train,
        epochs: o.epochs ?? 4,
        ...settings,
        ...(o.batchSize !== undefined ? { batchSize: o.batchSize } : {}),
        ...(o.learningRate !== undefined ? { learningRate: o.learningRate } : {}),
      }).pipe(
        tap((e) => {
          if (e.type !== 'epoch') return;
          lossByEpoch.push(e.loss);
          log(`epoch ${e.epoch + 1}/${e.epochs}  loss ${e.loss.toFixed(4)}  (${(e.elapsedMs / 1000).toFixed(1)} s)`);
        }),
      ),
    );
    const trainSeconds = (Date.now() - start) / 1000;
    const testAccuracy = accuracy(model, test.images, test.labels, settings);
    log(`held-out accuracy ${(100 * testAccuracy).toFixed(1)}% on ${test.count} test images`);
    const trace = await streamDescent(model, test.images.subarray(0, IMAGE_SIZE), settings);

    const out = resolve(o.out ?? join('engram-out', 'composed'));
    mkdirSync(out, { recursive: true });
    const files = await saveModel(model, join(out, 'composed'), { engram });
    reloaded = await loadModel<EnergyModel>(engram, files.spec);
    const reloadMaxDifference = maxDifference(model, reloaded, test.images.subarray(0, Math.min(test.count, 500) * IMAGE_SIZE), settings);
    log(`saved ${files.spec}; reloaded, largest label-probability difference ${reloadMaxDifference}`);
    return { backend, source: train.source, trainImages: train.count, testImages: test.count, lossByEpoch, testAccuracy, trainSeconds, trace, files, reloadMaxDifference };
  } finally {
    reloaded?.dispose();
    model.dispose();
  }
}
