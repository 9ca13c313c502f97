import { initBackend } from '@engram/core';
import { type FashionMnistSource } from '@engram/data';
import { loadFashionMnist } from '@engram/data/node';
import { lastValueFrom, tap } from 'rxjs';
import { AmClassifier, type ClassifierOptions } from './classifier.js';

/** Options of {@link runClassifierExample}. */
export interface ClassifierRunOptions extends ClassifierOptions {
  /** Training images (default 5,000; capped by the data available). */
  trainImages?: number;
  /** Held-out test images (default 2,000). */
  testImages?: number;
  epochs?: number;
  /** 'auto' (default): the full Debian set when installed, else the committed subset. */
  source?: FashionMnistSource;
  log?: (line: string) => void;
}

/** What the example measured. */
export interface ClassifierRunResult {
  backend: string;
  source: string;
  trainImages: number;
  testImages: number;
  testAccuracy: number;
  seconds: number;
  lossByEpoch: number[];
}

/** Trains the hierarchical AM classifier on Fashion-MNIST and measures held-out accuracy. */
export async function runClassifierExample(opts: ClassifierRunOptions = {}): Promise<ClassifierRunResult> {
  const log = opts.log ?? (() => {});
  const backend = await initBackend();
  const source = opts.source ?? 'auto';
  const train = loadFashionMnist({ split: 'train', source, limit: opts.trainImages ?? 5000 });
  const test = loadFashionMnist({ split: 'test', source, limit: opts.testImages ?? 2000 });
  log(`backend ${backend}; Fashion-MNIST (${train.source}): ${train.count} training, ${test.count} test images`);
  const clf = new AmClassifier(opts);
  const start = Date.now();
  const losses: number[] = [];
  let accuracy = 0;
  await lastValueFrom(
    clf
      .train({ images: train.images, labels: train.labels, epochs: opts.epochs ?? 5, test: { images: test.images, labels: test.labels } })
      .pipe(
        tap((e) => {
          if (e.type !== 'epoch') return;
          losses.push(e.loss);
          accuracy = e.metrics?.['testAccuracy'] ?? NaN;
          log(`epoch ${e.epoch + 1}/${e.epochs}  loss ${e.loss.toFixed(4)}  test accuracy ${(100 * accuracy).toFixed(1)}%  (${(e.elapsedMs / 1000).toFixed(1)} s)`);
        }),
      ),
  );
  const seconds = (Date.now() - start) / 1000;
  clf.dispose();
  return { backend, source: train.source, trainImages: train.count, testImages: test.count, testAccuracy: accuracy, seconds, lossByEpoch: losses };
}
