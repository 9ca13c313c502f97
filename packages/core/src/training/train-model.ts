/**
 * Trains any trainable model through its training face: default data, loss
 * and optimizer settings from the model, overridable by the caller. What
 * `engram train <spec>` runs for every trainable kind.
 */
import * as tf from '@tensorflow/tfjs';
import { defer, EMPTY, finalize, from, switchMap, type Observable } from 'rxjs';
import { EngramError, ErrorCodes } from '../errors/index.js';
import type { Model } from '../model/model.js';
import type { TrainingData, TrainingSettings } from '../model/training.js';
import type { Engram } from '../plugins/engram.js';
import { parseConfig } from '../schema/parse-config.js';
import type { TrainEvent } from './train-event.js';
import { trainStream } from './train.js';

/** Options of {@link trainModel}. */
export interface TrainModelOptions {
  /** The registry the model's default data comes from. */
  engram: Engram;
  /** Settings overriding the model's defaults (checked against its training schema). */
  settings?: Readonly<Record<string, unknown>>;
}

/** A tf.train optimizer for the settings. */
export function optimizerFor(settings: Pick<TrainingSettings, 'optimizer' | 'lr'>): tf.Optimizer {
  switch (settings.optimizer) {
    case 'sgd':
      return tf.train.sgd(settings.lr);
    case 'momentum':
      return tf.train.momentum(settings.lr, 0.9);
    default:
      return tf.train.adam(settings.lr);
  }
}

/** The trainable variables of a model: its training face's list, or every trainable one of `variables()`. */
export function trainableVariables(model: Model): Record<string, tf.Variable> {
  const own = model.training?.variables?.();
  if (own) return own;
  return Object.fromEntries(Object.entries(model.variables()).filter(([, v]) => v.trainable));
}

/**
 * Trains `model` on its default data as a cold Observable of TrainEvents
 * (subscribe to start, unsubscribe to stop after the current batch). A model
 * without a training face is an error notification (ENGRAM_ERR_INVALID_ARGUMENT);
 * bad settings are ENGRAM_ERR_INVALID_CONFIG.
 */
export function trainModel(model: Model, options: TrainModelOptions): Observable<TrainEvent> {
  return defer(() => {
    let data: TrainingData<unknown> | undefined;
    let optimizer: tf.Optimizer | undefined;
    let released = false;
    const release = (): void => {
      released = true;
      optimizer?.dispose();
      data?.dispose?.();
      optimizer = undefined;
      data = undefined;
    };
    const prepare = async (): Promise<Observable<TrainEvent>> => {
      if (model.isDisposed) throw new EngramError(ErrorCodes.DISPOSED, `${model.kind} model was already disposed and cannot be used`, { what: model.kind });
      const face = model.training;
      if (!face) {
        throw new EngramError(
          ErrorCodes.INVALID_ARGUMENT,
          `model kind '${model.kind}' does not train (it has no training face): its parameters are set by storing patterns, not by gradients`,
          { kind: model.kind },
        );
      }
      const settings = parseConfig(face.schema, options.settings ?? {}, model.kind, 'training settings') as TrainingSettings;
      const loaded = await face.data(settings, options.engram);
      if (released) {
        loaded.dispose?.();
        return EMPTY;
      }
      data = loaded;
      optimizer = optimizerFor(settings);
      return trainStream({
        variables: trainableVariables(model),
        optimizer,
        epochs: settings.epochs,
        batchesPerEpoch: loaded.batchesPerEpoch,
        batches: (epoch) => loaded.batches(epoch),
        loss: (batch) => face.loss(batch, settings),
        ...(settings.clipNorm !== undefined ? { clipNorm: settings.clipNorm } : {}),
        ...(face.afterStep ? { afterStep: () => face.afterStep!() } : {}),
        ...(face.evaluate ? { evaluate: (epoch: number) => face.evaluate!(epoch, settings) } : {}),
      });
    };
    return from(prepare()).pipe(
      switchMap((stream) => stream),
      finalize(release),
    );
  });
}
