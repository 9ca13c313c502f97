/**
 * The model protocol: what every model kind contributed through `ctx.model`
 * implements, so that the CLI, the live view, serialization and training treat
 * every kind the same way and never duck-type.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Observable } from 'rxjs';
import type { z } from 'zod';
import type { DynamicsStep } from '../dynamics/step-event.js';
import type { EnergyTerms } from '../dynamics/system.js';
import type { JsonObject, TensorInput } from '../numerics/tensor-input.js';
import type { State } from '../state.js';
import type { RunOptions, StateInput } from './run-options.js';
import type { TrainingFace } from './training.js';

/** One layer of a model's state: its name and per-sample shape (`null` for an axis whose size varies per run). */
export interface StateLayer {
  readonly name: string;
  readonly shape: readonly (number | null)[];
  /**
   * The values the layer's state takes: 'binary' for ±1 states (classical
   * Hopfield, the sequence models), which `run` refuses otherwise; absent means
   * real values. Tools that make cues (the playground, the CLI) binarise data
   * for a binary layer.
   */
  readonly values?: 'real' | 'binary';
}

/** How {@link Model.initialState} generates a state for a batch size. */
export interface GenerateOptions {
  /** Seed of random states (default 0). */
  seed?: number;
  /** Standard deviation of a normal random state; 0 or absent for the model's default (often zeros). */
  std?: number;
}

/**
 * An engram model. Every registered kind implements it:
 *
 * - `run(options)` streams the dynamics from `options.initial` as a cold
 *   Observable of {@link DynamicsStep}s. ONE options type for all models
 *   ({@link RunOptions}) plus the keys of the model's `runSchema`. Bad input is
 *   always an error notification carrying an EngramError, never a throw.
 * - `initialState(input | batch)` turns user input (a tensor, or one per layer)
 *   into a full checked {@link State}, or generates one for a batch size.
 * - `energy(state)` for energy-based models; `variables()` every tensor the
 *   model persists (its saved weights), trainable or not; `getConfig()` the JSON
 *   that rebuilds it through the registry; `setWeights` for loading;
 *   `dispose()`, after which every method fails with ENGRAM_ERR_DISPOSED.
 * - `training`, present on trainable kinds: default data, loss and optimizer
 *   settings, so that `trainModel` and `engram train` work for every one.
 *
 * Model-specific conveniences (`complete`, `retrieve`, `sample`, `logits`) are
 * written on top of `run`.
 */
export interface Model<Config extends object = JsonObject, Extra extends object = object> {
  /** The registered id that rebuilds it, e.g. 'hopfield/modern'. */
  readonly kind: string;
  /** The layers of the state `run` evolves, in order (the first is the input layer). */
  readonly layers: readonly StateLayer[];
  /** The schema of the run options this model accepts (core's keys plus its own). */
  readonly runSchema: z.ZodObject;
  /** The dynamics as a cold Observable of steps (validation happens on subscribe). */
  run(options: RunOptions & Extra): Observable<DynamicsStep>;
  /** A full state from input (copied; the caller owns the result), or generated for `batch` samples. */
  initialState(input: StateInput | number, options?: GenerateOptions): State;
  /** Energy per sample, with its named terms; absent for models that are not energy descent. */
  energy?(state: StateInput): EnergyTerms;
  /** Every persisted tensor by name (live variables: do not dispose). */
  variables(): Record<string, tf.Variable>;
  /** Copies values into the variables; names and shapes must match `variables()` (checked before anything changes). */
  setWeights(weights: Readonly<Record<string, tf.Tensor>>): void;
  /** Hyper-parameters and structure as JSON (no weights): the input of the model's factory. */
  getConfig(): Config;
  /** The trainable face, on kinds that train. */
  readonly training?: TrainingFace;
  /**
   * The memory face, on kinds whose parameters are set by storing patterns
   * (Hopfield networks, sequence memories, the exact denoiser): replaces the
   * stored patterns by `patterns` [count, ...first layer's shape]. Tools (the
   * playground, `engram create --store`) use it to fill a memory with data.
   */
  store?(patterns: TensorInput): unknown;
  /** True once disposed. */
  readonly isDisposed: boolean;
  /** Frees every tensor; later calls fail with ENGRAM_ERR_DISPOSED. */
  dispose(): void;
}

/** True when `value` implements the model protocol. */
export function isModel(value: unknown): value is Model {
  const m = value as Partial<Model> | null;
  return (
    !!m &&
    typeof m === 'object' &&
    typeof m.kind === 'string' &&
    Array.isArray(m.layers) &&
    typeof m.run === 'function' &&
    typeof m.initialState === 'function' &&
    typeof m.variables === 'function' &&
    typeof m.setWeights === 'function' &&
    typeof m.getConfig === 'function' &&
    typeof m.dispose === 'function'
  );
}
