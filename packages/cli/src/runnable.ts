/**
 * The duck-typed interfaces the CLI uses on loaded models, so that plugin models
 * work without the CLI knowing their classes:
 *
 * - {@link RunnableModel}: anything with `run(options): Observable<DynamicsStep>` taking
 *   the core RunOptions (the core EnergyModel: `initial` is a record by layer name),
 *   or a single-state model's options where `initial` is one tensor [batch, dim]
 *   (the Hopfield plugin's models; recognised by having no `layers` but a numeric `dim`).
 *   Optional `initialState(batch, { seed, std })` lets `engram run` generate input
 *   (it asks for seeded noise with std 1);
 *   optional `layers` (name and shape) lets a plain array be given as input.
 * - {@link TrainableModel}: anything with `train(options: JsonObject): Observable<TrainEvent>`
 *   (options from `engram train`: epochs, batchSize, lr, limit, seed, ...).
 */
import type * as tf from '@tensorflow/tfjs';
import type { Observable } from 'rxjs';
import type { DynamicsStep, JsonObject, RunOptions, TensorInput, TrainEvent } from '@engram/core';

/** A model whose dynamics `engram run` and `engram serve` can stream. */
export interface RunnableModel {
  run(options: RunOptions | SingleStateRunOptions): Observable<DynamicsStep>;
  /** Size of the single state vector (single-state models). */
  readonly dim?: number;
  /** A generated initial state (e.g. seeded noise) for `batch` samples. */
  initialState?(batch: number, options?: { seed?: number; std?: number }): Record<string, tf.Tensor>;
  /** Layers with their per-sample shapes; the first one receives a plain-array input. */
  readonly layers?: readonly { readonly name: string; readonly shape: readonly number[] }[];
}

/** Run options of a single-state model: the core options with one initial tensor. */
export type SingleStateRunOptions = Omit<RunOptions, 'initial' | 'clamp'> & { initial: TensorInput; clamp?: TensorInput };

/** A model that trains itself and reports progress as core TrainEvents. */
export interface TrainableModel {
  train(options: JsonObject): Observable<TrainEvent>;
}

/** True when `m` has a `run` method. */
export function isRunnable(m: unknown): m is RunnableModel {
  return !!m && typeof (m as RunnableModel).run === 'function';
}

/** True when `m` has a `train` method. */
export function isTrainable(m: unknown): m is TrainableModel {
  return !!m && typeof (m as TrainableModel).train === 'function';
}
