/**
 * ClAM with the interface a scikit-learn user expects: `fit`, `predict`,
 * `fitPredict`, `labels`, `prototypes`, `inertia`, `silhouette`. Training is
 * core's `trainStream` over the model's mask-and-complete loss (through the T
 * unrolled steps), with the authors' learning-rate decay on plateaus and
 * their best-epoch checkpoint. `fit$` is the same training as a cold
 * Observable (unsubscribe to stop; nothing leaks).
 */
import * as tf from '@tensorflow/tfjs';
import { defer, finalize, Observable, takeWhile, tap } from 'rxjs';
import { errors, parseConfig, trainStream, type TrainEvent } from '@engram/core';
import { assertClusters, assertFeatures, readMatrix, toTensor2d, type DataInput, type HostMatrix } from '../internal/host-matrix.js';
import { kmeansPlusPlusCenters } from '../internal/kmeanspp.js';
import { setLearningRate } from '../internal/learning-rate.js';
import { AUTHORS_PLATEAU, PlateauSchedule } from '../internal/plateau.js';
import { inertiaOf } from '../metrics/inertia.js';
import { silhouetteScore } from '../metrics/silhouette.js';
import { ClamModel } from '../models/clam-model.js';
import { clamOptionsSchema, type ClamOptions, type ResolvedClamOptions } from './clam-options.js';

/** A training event of {@link Clam.fit$}: core's TrainEvent plus the learning rate in force. */
export type ClamFitEvent = TrainEvent & { lr: number };

/** One epoch of the training history. */
export interface ClamEpoch {
  epoch: number;
  /** Sum of the epoch's batch losses (the authors' epoch loss). */
  loss: number;
  lr: number;
}

/** The ClAM clustering estimator. */
export class Clam {
  /** The options, defaults filled in. */
  readonly options: ResolvedClamOptions;
  private current: ClamModel | undefined;
  private training: HostMatrix | undefined;
  private trainLabels: Int32Array | undefined;
  private epochs: ClamEpoch[] = [];
  private path: Float32Array[] = [];
  private disposed = false;

  constructor(options: ClamOptions) {
    this.options = parseConfig(clamOptionsSchema, options, 'Clam', 'options');
  }

  /** The trained model (kind 'clam/clam'); throws before `fit`. */
  get model(): ClamModel {
    this.assertAlive();
    if (!this.current) throw errors.invalidArgument('Clam', 'fitted first (call fit)', 'an unfitted estimator');
    return this.current;
  }

  /** Per-epoch loss and learning rate of the last fit. */
  get history(): readonly ClamEpoch[] {
    return this.epochs;
  }

  /** Prototypes [k * d] after every epoch (epoch 0 = the initial ones), when `record` is on. */
  get trajectory(): readonly Float32Array[] {
    return this.path;
  }

  /**
   * Training as a cold Observable: subscribing builds a fresh model and
   * trains it; unsubscribing stops after the current batch and frees the
   * optimizer and checkpoint. Bad data is an error notification (coded).
   */
  fit$(data: DataInput): Observable<ClamFitEvent> {
    return defer(() => {
      this.assertAlive();
      const x = readMatrix(data, 'data');
      assertClusters(this.options.k, x.n);
      return this.train(x);
    });
  }

  /** Fits the prototypes to `data` [n, d]; resolves to this estimator. */
  async fit(data: DataInput, options: { onEvent?: (e: ClamFitEvent) => void } = {}): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.fit$(data).subscribe({ next: (e) => options.onEvent?.(e), error: reject, complete: resolve });
    });
    return this;
  }

  /** Cluster of each row of `data` (the dynamics for T steps, then the nearest prototype). */
  predict(data: DataInput): Int32Array {
    const model = this.model;
    const x = readMatrix(data, 'data');
    assertFeatures(x, model.size, 'data');
    const t = toTensor2d(x);
    try {
      return model.assign(t);
    } finally {
      t.dispose();
    }
  }

  /** `fit(data)` then the labels of `data`. */
  async fitPredict(data: DataInput): Promise<Int32Array> {
    await this.fit(data);
    return this.labels;
  }

  /** The clusters of the training data of the last fit. */
  get labels(): Int32Array {
    this.model;
    if (!this.trainLabels) this.trainLabels = this.predict(this.training!);
    return this.trainLabels;
  }

  /** The prototypes, one row per cluster. */
  prototypes(): number[][] {
    const p = this.model.prototypes();
    try {
      return p.arraySync();
    } finally {
      p.dispose();
    }
  }

  /** Sum of squared distances of each sample to its cluster's prototype (training data by default). */
  inertia(data?: DataInput): number {
    const x = data === undefined ? this.trainingData() : readMatrix(data, 'data');
    const labels = data === undefined ? this.labels : this.predict(x);
    return inertiaOf(x, labels, this.prototypeMatrix());
  }

  /** Euclidean Silhouette of the clustering of `data` (training data by default). */
  silhouette(data?: DataInput): number {
    const x = data === undefined ? this.trainingData() : readMatrix(data, 'data');
    const labels = data === undefined ? this.labels : this.predict(x);
    return silhouetteScore(x, labels);
  }

  /** Frees the model; later calls fail with ENGRAM_ERR_DISPOSED. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.current?.dispose();
    this.current = undefined;
  }

  private trainingData(): HostMatrix {
    this.model;
    return this.training!;
  }

  private prototypeMatrix(): HostMatrix {
    const p = this.model.prototypes();
    try {
      return { n: p.shape[0], d: p.shape[1], data: Float64Array.from(p.dataSync()) };
    } finally {
      p.dispose();
    }
  }

  private assertAlive(): void {
    if (this.disposed) throw errors.disposed('Clam estimator');
  }

  private train(x: HostMatrix): Observable<ClamFitEvent> {
    const o = this.options;
    this.current?.dispose();
    this.trainLabels = undefined;
    this.training = x;
    this.epochs = [];
    this.path = [];
    const initial = o.init === 'kmeans++' ? kmeansPlusPlusCenters(x, o.k, o.seed) : undefined;
    const model = new ClamModel(
      { size: x.d, memories: o.k, beta: o.beta, dt: o.dt, seed: o.seed, ...(o.steps !== undefined ? { steps: o.steps } : {}) },
      initial ? tf.tensor2d(Float32Array.from(initial.data), [o.k, x.d]) : undefined,
    );
    this.current = model;
    const record = (): void => {
      if (o.record) this.path.push(Float32Array.from(model.patterns.dataSync()));
    };
    record();
    const data = model.batchesOf(x, { batchSize: o.batchSize, hidden: o.hidden, fill: o.fill, sharedMaskEvery: o.sharedMaskEvery, seed: o.seed });
    const optimizer = tf.train.adam(o.lr);
    const schedule = new PlateauSchedule(o.lr, AUTHORS_PLATEAU);
    let best: tf.Tensor | undefined;
    let bestLoss = Number.POSITIVE_INFINITY;
    const stream = trainStream({
      variables: model.variables(),
      optimizer,
      epochs: o.epochs,
      batchesPerEpoch: data.batchesPerEpoch,
      batches: (epoch) => data.batches(epoch),
      loss: (batch) => model.loss(batch),
    });
    return stream.pipe(
      tap((e) => {
        if (e.type !== 'epoch') return;
        const loss = e.loss * e.batch;
        this.epochs.push({ epoch: e.epoch, loss, lr: schedule.lr });
        if (o.keepBest && loss < bestLoss) {
          bestLoss = loss;
          best?.dispose();
          best = model.patterns.clone();
        }
        record();
        if (o.plateau) setLearningRate(optimizer, schedule.update(loss));
      }),
      takeWhile(() => !(o.plateau && schedule.exhausted), true),
      (source) =>
        new Observable<ClamFitEvent>((sub) =>
          source.subscribe({
            next: (e) => sub.next({ ...e, lr: schedule.lr }),
            error: (err) => sub.error(err),
            complete: () => {
              // Restore the best epoch's prototypes before anyone sees the end.
              if (best) model.patterns.assign(best);
              sub.complete();
            },
          }),
        ),
      finalize(() => {
        best?.dispose();
        best = undefined;
        optimizer.dispose();
      }),
    );
  }
}
