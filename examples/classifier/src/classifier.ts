/**
 * Example (a): a hierarchical associative-memory classifier composed in code
 * from @engram/core parts and trained through its unrolled dynamics.
 *
 * Three layers — image x [784] (clamped to the input), hidden h [H], label y [10] —
 * joined by dense synapses x–h and h–y plus biases. Inference is energy descent
 * on h and y with x held fixed; the prediction is the label layer's softmax
 * activation after T steps. Training back-propagates a cross-entropy loss on that
 * activation through the T unrolled steps (second-order gradients).
 */
import * as tf from '@tensorflow/tfjs';
import {
  EnergyModel,
  biasSynapse,
  denseSynapse,
  lagrangians,
  trainStream,
  type TrainEvent,
} from '@engram/core';
import type { Observable } from 'rxjs';

/** Hyper-parameters of the classifier. */
export interface ClassifierOptions {
  /** Hidden units (default 128). */
  hidden?: number;
  /** Unrolled descent steps (default 5). */
  steps?: number;
  /** Step size (default 0.5). */
  dt?: number;
  /** Init seed (default 0). */
  seed?: number;
}

/** The classifier: its energy graph and how it is run. */
export class AmClassifier {
  readonly model: EnergyModel;
  readonly steps: number;
  readonly dt: number;

  constructor(opts: ClassifierOptions = {}) {
    const H = opts.hidden ?? 128;
    const seed = opts.seed ?? 0;
    this.steps = opts.steps ?? 5;
    this.dt = opts.dt ?? 0.5;
    this.model = new EnergyModel()
      .addLayer('x', { shape: [784], lagrangian: lagrangians.identity() })
      .addLayer('h', { shape: [H], lagrangian: lagrangians.relu() })
      .addLayer('y', { shape: [10], lagrangian: lagrangians.softmax({ beta: 1 }) })
      .addSynapse('xh', denseSynapse({ inSize: 784, outSize: H, std: 1 / Math.sqrt(784), seed }), ['x', 'h'])
      .addSynapse('hy', denseSynapse({ inSize: H, outSize: 10, std: 1 / Math.sqrt(H), seed: seed + 1 }), ['h', 'y'])
      .addSynapse('bh', biasSynapse({ size: H }), ['h'])
      .addSynapse('by', biasSynapse({ size: 10 }), ['y']);
  }

  /** Label probabilities [B, 10] after the unrolled descent with the image clamped. */
  predict(images: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const B = images.shape[0];
      const H = this.model.layer('h').size;
      const initial = { x: images, h: tf.zeros([B, H]), y: tf.zeros([B, 10]) };
      const final = this.model.integrate(initial, { steps: this.steps, dt: this.dt, clamp: { x: true } });
      return this.model.layer('y').lagrangian.activation(final['y']!) as tf.Tensor2D;
    });
  }

  /** Mean cross-entropy of the predictions against one-hot labels. */
  loss(images: tf.Tensor2D, oneHot: tf.Tensor2D): tf.Scalar {
    return tf.tidy(() => {
      const p = this.predict(images);
      return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.log(tf.add(p, 1e-7))), 1))) as tf.Scalar;
    });
  }

  /** Fraction of images whose most probable label is right (evaluated in chunks). */
  accuracy(images: Float32Array, labels: Int32Array, chunk = 500): number {
    let right = 0;
    const n = labels.length;
    for (let i = 0; i < n; i += chunk) {
      const m = Math.min(chunk, n - i);
      const pred = tf.tidy(() => this.predict(tf.tensor2d(images.subarray(i * 784, (i + m) * 784), [m, 784])).argMax(1));
      const p = pred.dataSync();
      pred.dispose();
      for (let j = 0; j < m; j++) if (p[j] === labels[i + j]) right++;
    }
    return right / n;
  }

  /**
   * Trains with Adam through the unrolled dynamics; returns the training stream
   * (batch and epoch events; epoch events carry the test accuracy when given).
   */
  train(opts: {
    images: Float32Array;
    labels: Int32Array;
    epochs: number;
    batchSize?: number;
    learningRate?: number;
    seed?: number;
    test?: { images: Float32Array; labels: Int32Array };
  }): Observable<TrainEvent> {
    const n = opts.labels.length;
    const bs = opts.batchSize ?? 100;
    const optimizer = tf.train.adam(opts.learningRate ?? 3e-3);
    let state = (opts.seed ?? 0) + 1;
    const random = (): number => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state / 4294967296;
    };
    const batches = function* (): Iterable<{ x: tf.Tensor2D; y: tf.Tensor2D }> {
      const order = Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      for (let s = 0; s + bs <= n; s += bs) {
        const idx = order.slice(s, s + bs);
        const xs = new Float32Array(bs * 784);
        idx.forEach((k, r) => xs.set(opts.images.subarray(k * 784, (k + 1) * 784), r * 784));
        const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(idx.map((k) => opts.labels[k]!), 'int32'), 10).toFloat() as tf.Tensor2D);
        yield { x: tf.tensor2d(xs, [bs, 784]), y: ys };
      }
    };
    const test = opts.test;
    return trainStream({
      variables: this.model.variables(),
      optimizer,
      batches,
      batchesPerEpoch: Math.floor(n / bs),
      loss: (b) => this.loss(b.x, b.y),
      epochs: opts.epochs,
      ...(test ? { evaluate: () => ({ testAccuracy: this.accuracy(test.images, test.labels) }) } : {}),
    });
  }

  dispose(): void {
    this.model.dispose();
  }
}
