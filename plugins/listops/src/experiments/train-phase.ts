/**
 * Trains a ListOps transformer on one phase's data with Adam and early
 * stopping, as an RxJS stream of core's TrainEvents (trainStream underneath):
 * one 'epoch' is one pass over the training expressions, scored on the
 * validation set; training stops when validation accuracy reaches `target`,
 * when (after `minEpochs`) it has not improved by `minDelta` for `patience`
 * epochs, or after `maxEpochs`. The weights of the best validation epoch are restored at the end.
 */
import * as tf from '@tensorflow/tfjs';
import { errors, trainStream, type TrainEvent } from '@engram/core';
import { defer, finalize, Observable, takeWhile, tap } from 'rxjs';
import type { ListOpsExample } from '../listops/generate.js';
import type { ListOpsTransformer } from '../models/transformer.js';
import { encodedBatches } from '../models/transformer-training.js';

/** Optimisation and stopping settings of one phase. */
export interface PhaseSettings {
  batchSize: number;
  lr: number;
  maxEpochs: number;
  /** Stop once validation accuracy reaches this. */
  target: number;
  /** Epochs without an improvement of at least `minDelta` before stopping. */
  patience: number;
  /**
   * No plateau stop before this many epochs: small models often sit at chance
   * for a while and then learn abruptly (the learning transition), and a
   * plateau test during that wait would cut them off.
   */
  minEpochs: number;
  minDelta: number;
  /** Seed of the batch order. */
  seed: number;
}

/** Why a phase ended. */
export type StopReason = 'target' | 'plateau' | 'budget';

/** What a finished phase reports. */
export interface PhaseOutcome {
  epochs: number;
  steps: number;
  bestValAccuracy: number;
  bestEpoch: number;
  stoppedBy: StopReason;
  finalLoss: number;
  elapsedMs: number;
}

/** A training event with the phase's running summary. */
export interface PhaseEvent {
  event: TrainEvent;
  /** Set on the last event of the phase. */
  outcome?: PhaseOutcome;
}

/** Checks the settings (coded errors). */
export function checkPhaseSettings(s: PhaseSettings): void {
  if (!(s.lr > 0)) throw errors.invalidArgument('lr', 'a positive number', s.lr);
  if (!Number.isInteger(s.batchSize) || s.batchSize < 1) throw errors.invalidArgument('batchSize', 'a positive integer', s.batchSize);
  if (!Number.isInteger(s.maxEpochs) || s.maxEpochs < 1) throw errors.invalidArgument('maxEpochs', 'a positive integer', s.maxEpochs);
  if (!(s.target > 0 && s.target <= 1)) throw errors.invalidArgument('target', 'a number in (0, 1]', s.target);
  if (!Number.isInteger(s.patience) || s.patience < 1) throw errors.invalidArgument('patience', 'a positive integer', s.patience);
  if (!Number.isInteger(s.minEpochs) || s.minEpochs < 0) throw errors.invalidArgument('minEpochs', 'a non-negative integer', s.minEpochs);
}

/**
 * The training of one phase as a cold Observable (subscribe to start,
 * unsubscribe to stop after the current batch; every tensor it made is freed
 * on complete, error and cancel).
 */
export function trainPhase(model: ListOpsTransformer, train: readonly ListOpsExample[], val: readonly ListOpsExample[], settings: PhaseSettings): Observable<PhaseEvent> {
  return defer(() => {
    checkPhaseSettings(settings);
    if (train.length === 0 || val.length === 0) throw errors.invalidArgument('phase data', 'at least one training and one validation expression', { train: train.length, val: val.length });
    const data = encodedBatches(model.encode(train), settings.batchSize, settings.seed);
    const optimizer = tf.train.adam(settings.lr);
    const vars = model.variables();
    let best: Record<string, tf.Tensor> | undefined;
    let bestAcc = -1;
    let bestEpoch = -1;
    let sinceBest = 0;
    let steps = 0;
    let lastLoss = NaN;
    let stop: StopReason | undefined;
    const keepBest = (epoch: number, acc: number): void => {
      if (acc > bestAcc) {
        if (best) for (const t of Object.values(best)) t.dispose();
        best = Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, tf.clone(v)]));
        // Only an improvement of at least minDelta resets the patience count.
        sinceBest = acc > bestAcc + settings.minDelta ? 0 : sinceBest + 1;
        bestAcc = acc;
        bestEpoch = epoch;
      } else sinceBest++;
    };
    const start = Date.now();
    return trainStream({
      variables: vars,
      optimizer,
      epochs: settings.maxEpochs,
      batchesPerEpoch: data.batchesPerEpoch,
      batches: (epoch) => data.batches(epoch),
      loss: (b) => model.loss(b),
      evaluate: (epoch) => {
        const valAccuracy = model.accuracy(val);
        keepBest(epoch, valAccuracy);
        return { valAccuracy };
      },
    }).pipe(
      tap((ev) => {
        if (ev.type === 'batch') {
          steps++;
          lastLoss = ev.loss;
          return;
        }
        const acc = ev.metrics?.valAccuracy ?? 0;
        if (acc >= settings.target) stop = 'target';
        else if (sinceBest >= settings.patience && ev.epoch + 1 >= settings.minEpochs) stop = 'plateau';
        else if (ev.epoch + 1 >= settings.maxEpochs) stop = 'budget';
      }),
      takeWhile(() => stop === undefined, true),
      (source) =>
        new Observable<PhaseEvent>((sub) =>
          source.subscribe({
            next: (event) => {
              if (stop === undefined || event.type !== 'epoch') return sub.next({ event });
              // Restore the best validation epoch before reporting the outcome.
              if (best) for (const [k, v] of Object.entries(vars)) v.assign(best[k]!);
              sub.next({
                event,
                outcome: { epochs: event.epoch + 1, steps, bestValAccuracy: bestAcc, bestEpoch: bestEpoch + 1, stoppedBy: stop, finalLoss: lastLoss, elapsedMs: Date.now() - start },
              });
            },
            error: (e: unknown) => sub.error(e),
            complete: () => sub.complete(),
          }),
        ),
      finalize(() => {
        optimizer.dispose();
        if (best) for (const t of Object.values(best)) t.dispose();
        best = undefined;
      }),
    );
  });
}
