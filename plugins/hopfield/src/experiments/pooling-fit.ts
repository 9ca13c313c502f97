/**
 * The acceptance figure of the tf.layers integration: multiple-instance
 * learning (a bag is positive iff it holds an instance of a key distribution)
 * learned twice on the same seeded bags in the same batch order — by a
 * tf.sequential of HopfieldPoolingLayer and a dense sigmoid trained with
 * model.fit, and by the plain-API HopfieldPooling model (its first output the
 * bag's logit, as in its training face) trained by a hand-written Adam loop —
 * and both scored on the same held-out bags.
 */
import * as tf from '@tensorflow/tfjs';
import { parseConfig, z } from '@engram/core';
import { HopfieldPooling } from '../models/pooling.js';
import { HopfieldPoolingLayer } from '../layers/pooling.js';
import { keyBagTask } from '../internal/layers/tasks.js';

/** Options of {@link poolingFitComparison}. */
export const poolingFitSchema = z.strictObject({
  instances: z.number().int().positive().default(8).describe('instances per bag'),
  size: z.number().int().positive().default(12).describe('entries per instance'),
  train: z.number().int().positive().default(1024).describe('training bags'),
  test: z.number().int().positive().default(512).describe('held-out bags'),
  epochs: z.number().int().positive().default(6).describe('passes over the training bags'),
  batchSize: z.number().int().positive().default(32).describe('bags per batch'),
  lr: z.number().positive().default(0.01).describe('Adam learning rate (both versions)'),
  heads: z.number().int().positive().default(2).describe('heads of both pooling modules'),
  hiddenSize: z.number().int().positive().default(8).describe('hidden size per head of both'),
  seed: z.number().int().default(0).describe('seed of the data and of both initialisations'),
});

/** Options of {@link poolingFitComparison} as written. */
export type PoolingFitOptions = z.input<typeof poolingFitSchema>;

/** What {@link poolingFitComparison} measured. */
export interface PoolingFitResult {
  /** Held-out accuracy of the tf.sequential trained by model.fit. */
  fitAccuracy: number;
  /** Held-out accuracy of the plain-API HopfieldPooling trained by the hand-written loop. */
  plainAccuracy: number;
  /** Mean training loss of the last epoch, model.fit. */
  fitLoss: number;
  /** Mean training loss of the last epoch, hand-written loop. */
  plainLoss: number;
  /** The sequential's trainable weights (by name) that model.fit left exactly as initialised: none, when every one trains. */
  unchanged: string[];
  /** How many trainable weights the sequential has. */
  trainableWeights: number;
}

/** Fraction of predictions p > threshold equal to the labels (host). */
function accuracy(p: tf.Tensor, labels: ArrayLike<number>, threshold: number): number {
  const v = p.dataSync();
  let right = 0;
  for (let i = 0; i < labels.length; i++) if ((v[i]! > threshold ? 1 : 0) === labels[i]) right++;
  return right / labels.length;
}

/**
 * Trains both versions and reports their held-out accuracies, last-epoch
 * losses and which trainable weights of the tf.layers version did not change.
 * Leaves no tensor behind.
 */
export async function poolingFitComparison(options: PoolingFitOptions = {}): Promise<PoolingFitResult> {
  const o = parseConfig(poolingFitSchema, options, 'poolingFitComparison', 'options');
  const bags = { instances: o.instances, size: o.size, keySeed: o.seed + 7 };
  const trainSet = keyBagTask(o.train, { ...bags, seed: o.seed + 1 });
  const testSet = keyBagTask(o.test, { ...bags, seed: o.seed + 2 });
  const x = tf.tensor3d(trainSet.data, [o.train, o.instances, o.size]);
  const y = tf.tensor2d(Float32Array.from(trainSet.labels!), [o.train, 1]);
  const xt = tf.tensor3d(testSet.data, [o.test, o.instances, o.size]);
  const result = { ...(await viaFit(o, x, y, xt, testSet.labels!)), ...viaPlainApi(o, x, y, xt, testSet.labels!) };
  tf.dispose([x, y, xt]);
  return result;
}

type Parsed = z.output<typeof poolingFitSchema>;

async function viaFit(o: Parsed, x: tf.Tensor3D, y: tf.Tensor2D, xt: tf.Tensor3D, labels: ArrayLike<number>): Promise<Pick<PoolingFitResult, 'fitAccuracy' | 'fitLoss' | 'unchanged' | 'trainableWeights'>> {
  const model = tf.sequential({
    layers: [
      new HopfieldPoolingLayer({ inputShape: [o.instances, o.size], heads: o.heads, hiddenSize: o.hiddenSize, outputSize: o.hiddenSize, seed: o.seed }),
      tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: o.seed + 99 }) }),
    ],
  });
  const optimizer = tf.train.adam(o.lr);
  model.compile({ optimizer, loss: 'binaryCrossentropy' });
  const initial = model.trainableWeights.map((w) => ({ name: w.originalName, value: w.read().clone() }));
  // No shuffling: the hand-written loop sees the same batches in the same order.
  const history = await model.fit(x, y, { epochs: o.epochs, batchSize: o.batchSize, shuffle: false, verbose: 0 });
  const unchanged = initial.filter((w, i) => tf.tidy(() => tf.max(tf.abs(tf.sub(model.trainableWeights[i]!.read(), w.value))).dataSync()[0]!) === 0).map((w) => w.name);
  const p = model.predict(xt) as tf.Tensor;
  const fitAccuracy = accuracy(p, labels, 0.5);
  tf.dispose([p, ...initial.map((w) => w.value)]);
  model.dispose();
  optimizer.dispose();
  const losses = history.history['loss'] as number[];
  return { fitAccuracy, fitLoss: losses[losses.length - 1]!, unchanged, trainableWeights: initial.length };
}

function viaPlainApi(o: Parsed, x: tf.Tensor3D, y: tf.Tensor2D, xt: tf.Tensor3D, labels: ArrayLike<number>): Pick<PoolingFitResult, 'plainAccuracy' | 'plainLoss'> {
  const pool = new HopfieldPooling({ inputSize: o.size, heads: o.heads, hiddenSize: o.hiddenSize, outputSize: 1, seed: o.seed });
  const optimizer = tf.train.adam(o.lr);
  const vars = Object.values(pool.variables());
  let plainLoss = 0;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    let sum = 0;
    let batches = 0;
    for (let start = 0; start < o.train; start += o.batchSize) {
      const n = Math.min(o.batchSize, o.train - start);
      const loss = tf.tidy(() => {
        const xb = x.slice([start, 0, 0], [n, -1, -1]);
        const yb = y.slice([start, 0], [n, -1]);
        return optimizer.minimize(() => tf.losses.sigmoidCrossEntropy(yb, pool.forward(xb)) as tf.Scalar, true, vars)!;
      });
      sum += loss.dataSync()[0]!;
      loss.dispose();
      batches++;
    }
    plainLoss = sum / batches;
  }
  const logits = pool.forward(xt);
  const plainAccuracy = accuracy(logits, labels, 0);
  logits.dispose();
  pool.dispose();
  optimizer.dispose();
  return { plainAccuracy, plainLoss };
}
