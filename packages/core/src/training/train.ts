import * as tf from '@tensorflow/tfjs';
import { Observable } from 'rxjs';
import { errors } from '../errors/index.js';
import type { TrainEvent } from './train-event.js';

/** Options of {@link trainStream}. */
export interface TrainOptions<B> {
  /** The parameters to optimise (e.g. `model.variables()`). */
  variables: readonly tf.Variable[] | Readonly<Record<string, tf.Variable>>;
  /** Any tf.train optimizer (sgd, momentum, adam, ...). */
  optimizer: tf.Optimizer;
  /** The batches of one epoch; called once per epoch (shuffle here). */
  batches: (epoch: number) => Iterable<B>;
  /** Differentiable loss of a batch, typically a loss on the state after `integrate` (unrolled dynamics). */
  loss: (batch: B) => tf.Scalar;
  /** Number of epochs (default 1). */
  epochs?: number;
  /** Batches per epoch, for progress display, when `batches` returns no array. */
  batchesPerEpoch?: number;
  /** Clip the global gradient norm to this value. */
  clipNorm?: number;
  /** Called after each optimiser step, inside no tape (e.g. project weights back onto a constraint set). */
  afterStep?: () => void;
  /** Called at the end of each epoch; its numbers appear on the 'epoch' event. */
  evaluate?: (epoch: number) => Record<string, number> | Promise<Record<string, number>>;
  /** Frees a batch after use (default: dispose every tensor found among its own values). */
  disposeBatch?: (batch: B) => void;
  /** Yield to the event loop every k batches (default 1). */
  yieldEvery?: number;
}

function defaultDispose(batch: unknown): void {
  if (batch instanceof tf.Tensor) batch.dispose();
  else if (batch && typeof batch === 'object') for (const v of Object.values(batch)) if (v instanceof tf.Tensor) v.dispose();
}

/** Gradients scaled so that their global L2 norm is at most `clip`; returns the norm before clipping. */
function clipByGlobalNorm(grads: tf.NamedTensorMap, clip: number | undefined): { grads: tf.NamedTensorMap; norm: number } {
  const norm = tf.tidy(() => tf.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g))))).dataSync()[0]!);
  if (clip === undefined || norm <= clip || norm === 0) return { grads, norm };
  const scale = clip / norm;
  const out: tf.NamedTensorMap = {};
  for (const [k, g] of Object.entries(grads)) {
    out[k] = tf.mul(g, scale);
    g.dispose();
  }
  return { grads: out, norm };
}

/**
 * Trains parameters by back-propagating a loss through whatever the loss
 * function computes — for associative memories, the unrolled dynamics. Returns a
 * cold Observable of {@link TrainEvent}s: subscribing starts training,
 * unsubscribing stops it after the current batch, freeing its tensors. A
 * non-finite loss ends the stream with ENGRAM_ERR_DIVERGED.
 */
export function trainStream<B>(options: TrainOptions<B>): Observable<TrainEvent> {
  return new Observable<TrainEvent>((subscriber) => {
    const vars = Array.isArray(options.variables) ? [...options.variables] : Object.values(options.variables);
    const epochs = options.epochs ?? 1;
    const yieldEvery = options.yieldEvery ?? 1;
    const dispose = options.disposeBatch ?? defaultDispose;
    const start = Date.now();
    const loop = async (): Promise<void> => {
      if (vars.length === 0) throw errors.invalidArgument('variables', 'at least one tf.Variable to train', []);
      if (!Number.isInteger(epochs) || epochs < 1) throw errors.invalidArgument('epochs', 'a positive integer', options.epochs);
      if (options.clipNorm !== undefined && !(typeof options.clipNorm === 'number' && Number.isFinite(options.clipNorm) && options.clipNorm > 0)) {
        throw errors.invalidArgument('clipNorm', 'a positive finite number (the largest global gradient norm; leave it out for no clipping)', options.clipNorm);
      }
      if (!Number.isInteger(yieldEvery) || yieldEvery < 1) throw errors.invalidArgument('yieldEvery', 'a positive integer', options.yieldEvery);
      if (typeof options.loss !== 'function' || typeof options.batches !== 'function') {
        throw errors.invalidArgument('trainStream options', "'loss' and 'batches' functions (batches: (epoch) => Iterable of batches)", Object.keys(options));
      }
      for (let epoch = 0; epoch < epochs; epoch++) {
        const source = options.batches(epoch);
        const batches = Array.isArray(source) ? source.length : options.batchesPerEpoch ?? null;
        let sum = 0;
        let count = 0;
        for (const batch of source) {
          if (subscriber.closed) {
            dispose(batch);
            return;
          }
          let lossValue: number;
          let gradNorm: number;
          try {
            const { value, grads } = tf.variableGrads(() => options.loss(batch), vars);
            lossValue = value.dataSync()[0]!;
            value.dispose();
            if (!Number.isFinite(lossValue)) {
              for (const g of Object.values(grads)) g.dispose();
              throw errors.diverged(count, `the training loss (epoch ${epoch})`);
            }
            const clipped = clipByGlobalNorm(grads, options.clipNorm);
            gradNorm = clipped.norm;
            options.optimizer.applyGradients(clipped.grads);
            for (const g of Object.values(clipped.grads)) g.dispose();
            options.afterStep?.();
          } finally {
            dispose(batch);
          }
          sum += lossValue;
          subscriber.next({ type: 'batch', epoch, epochs, batch: count, batches, loss: lossValue, gradNorm, elapsedMs: Date.now() - start });
          count++;
          if (subscriber.closed) return;
          if (count % yieldEvery === 0) await new Promise<void>((r) => setImmediate(r));
        }
        const metrics = options.evaluate ? await options.evaluate(epoch) : undefined;
        if (subscriber.closed) return;
        const ev: TrainEvent = { type: 'epoch', epoch, epochs, batch: count, batches, loss: count ? sum / count : NaN, elapsedMs: Date.now() - start };
        if (metrics) ev.metrics = metrics;
        subscriber.next(ev);
      }
      subscriber.complete();
    };
    loop().catch((err: unknown) => {
      if (!subscriber.closed) subscriber.error(err);
    });
  });
}
