/**
 * Training the composed graph through its unrolled dynamics: Adam on the
 * cross-entropy of the label layer after the descent, every parameter of
 * every synapse and of the token layer's layer norm at once (core's
 * trainStream; the gradients flow through the plugins' closed-form dE/dg).
 */
import * as tf from '@tensorflow/tfjs';
import { datasetBatches, trainStream, type ArrayBatch, type EnergyModel, type TrainEvent } from '@engram/core';
import { Observable } from 'rxjs';
import { accuracy, crossEntropy, type DescentSettings } from './classify.js';
import { CLASSES, IMAGE_SIZE } from './config.js';

/** Labelled images, row-major [n, 784] in [0, 1] (what @engram/data's Fashion-MNIST loader gives). */
export interface LabelledImages {
  images: Float32Array;
  labels: ArrayLike<number>;
}

/** Options of {@link trainClassifier}. */
export interface TrainClassifierOptions extends DescentSettings {
  train: LabelledImages;
  /** Held-out images: when given, each epoch event carries `testAccuracy`. */
  test?: LabelledImages;
  epochs?: number;
  /** Default 50. */
  batchSize?: number;
  /** Adam's learning rate (default 3e-3). */
  learningRate?: number;
  /** Seed of the batch order (default 0). */
  seed?: number;
}

/** Trains `model` in place; returns the cold training stream (batch and epoch events). The optimizer is freed when the stream ends. */
export function trainClassifier(model: EnergyModel, o: TrainClassifierOptions): Observable<TrainEvent> {
  const count = o.train.images.length / IMAGE_SIZE;
  const labels = Int32Array.from(o.train.labels);
  const { batches, batchesPerEpoch } = datasetBatches({ count, shape: [IMAGE_SIZE], data: o.train.images, labels, classes: CLASSES }, { batchSize: o.batchSize ?? 50, seed: o.seed ?? 0 });
  const settings: DescentSettings = { ...(o.steps !== undefined ? { steps: o.steps } : {}), ...(o.dt !== undefined ? { dt: o.dt } : {}) };
  const test = o.test;
  return new Observable<TrainEvent>((subscriber) => {
    // One optimizer per subscription (the stream is cold); its moment estimates are freed with it.
    const optimizer = tf.train.adam(o.learningRate ?? 3e-3);
    const run = trainStream<ArrayBatch>({
      variables: model.variables(),
      optimizer,
      batches,
      batchesPerEpoch,
      loss: (b) => crossEntropy(model, b.x as tf.Tensor2D, b.labels!, settings),
      epochs: o.epochs ?? 1,
      ...(test ? { evaluate: () => ({ testAccuracy: accuracy(model, test.images, test.labels, settings) }) } : {}),
    }).subscribe(subscriber);
    return () => {
      run.unsubscribe();
      optimizer.dispose();
    };
  });
}
