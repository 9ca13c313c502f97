/**
 * A base class that implements the model protocol's plumbing once: run-option
 * validation inside the Observable, input reading, generated states, weight
 * loading with checks, and disposal (ENGRAM_ERR_DISPOSED on any later use).
 * Subclasses give their layers, their dynamics for a run, their variables and
 * their config.
 */
import * as tf from '@tensorflow/tfjs';
import { randomNormal } from '../numerics/random.js';
import { defer, finalize, type Observable } from 'rxjs';
import type { z } from 'zod';
import { errors } from '../errors/index.js';
import { runDynamics } from '../dynamics/run.js';
import type { DynamicsStep } from '../dynamics/step-event.js';
import type { DynamicsSystem } from '../dynamics/system.js';
import type { JsonObject } from '../numerics/tensor-input.js';
import { parseConfig } from '../schema/parse-config.js';
import { disposeState, type State } from '../state.js';
import type { GenerateOptions, Model, StateLayer } from './model.js';
import { batchOf, readClamp, readState } from './read-state.js';
import { runOptionsSchema, type RunDefaults, type RunOptions, type StateInput } from './run-options.js';
import type { TrainingFace } from './training.js';
import { assignWeights } from './weights.js';

/**
 * Base of engram's models. `Config` is the model's parsed config type, `Extra`
 * the type of its own run keys (declared in `runSchema`).
 */
export abstract class ModelBase<Config extends object = JsonObject, Extra extends object = object> implements Model<Config, Extra> {
  abstract readonly kind: string;
  abstract readonly layers: readonly StateLayer[];
  /** Core's run options; override with `runOptionsSchema.extend({...})` to add the model's own keys. */
  readonly runSchema: z.ZodObject = runOptionsSchema;
  /** Defaults for run settings the caller leaves out (e.g. a tolerance); the engine's defaults otherwise. */
  protected readonly runDefaults: RunDefaults = {};
  readonly training?: TrainingFace;
  private disposedFlag = false;

  /**
   * The dynamics of one run, from the parsed options and the initial state
   * (already read and completed by {@link prepareState}). Called inside the
   * run's Observable: throwing here is an error notification. Tensors the
   * system makes for this run alone go in its `dispose`, called when the run ends.
   */
  protected abstract dynamics(options: RunOptions & Extra, initial: State): DynamicsSystem;

  abstract variables(): Record<string, tf.Variable>;
  abstract getConfig(): Config;

  /** True once disposed. */
  get isDisposed(): boolean {
    return this.disposedFlag;
  }

  run(options: RunOptions & Extra): Observable<DynamicsStep> {
    return defer(() => {
      this.assertAlive();
      const parsed = parseConfig(this.runSchema, options, this.kind, 'run options') as RunOptions & Extra;
      const initial = this.initialState(parsed.initial);
      let clamp: Record<string, tf.Tensor | true> | undefined;
      try {
        clamp = readClamp(parsed.clamp, initial, this.layers);
        const system = this.dynamics(parsed, initial);
        const { initial: _i, clamp: _c, ...settings } = parsed;
        const engineOptions = { ...this.runDefaults, ...settings, initial, ...(clamp ? { clamp } : {}) };
        const held = clamp;
        return runDynamics(system, engineOptions).pipe(
          finalize(() => {
            system.dispose?.();
            disposeState(initial);
            if (held) for (const m of Object.values(held)) if (m !== true) m.dispose();
          }),
        );
      } catch (err) {
        disposeState(initial);
        if (clamp) for (const m of Object.values(clamp)) if (m !== true) m.dispose();
        throw err;
      }
    });
  }

  initialState(input: StateInput | number, options: GenerateOptions = {}): State {
    this.assertAlive();
    if (typeof input === 'number') {
      if (!Number.isInteger(input) || input < 1) throw errors.invalidArgument('batch size', 'a positive integer', input);
      return this.prepareState(this.generateState(input, options));
    }
    const state = readState(input, this.layers);
    try {
      return this.prepareState(state);
    } catch (err) {
      disposeState(state);
      throw err;
    }
  }

  /**
   * Completes a state read from input: by default every missing layer starts
   * at zeros. Override to derive layers from the given ones (e.g. a cue's
   * overlaps) or to map input values (e.g. binarise); ownership of `state`
   * passes here, and the result is owned by the caller.
   */
  protected prepareState(state: State): State {
    const batch = batchOf(state);
    for (const l of this.layers) {
      if (state[l.name]) continue;
      if (l.shape.some((d) => d === null)) throw errors.invalidArgument(`initial.${l.name}`, 'given (its size varies per run)', 'missing');
      state[l.name] = tf.zeros([batch, ...(l.shape as number[])]);
    }
    return state;
  }

  /** A generated state for `batch` samples: seeded normal noise with `std` (default 1) in the first layer, zeros elsewhere. */
  protected generateState(batch: number, options: GenerateOptions): State {
    const state: State = {};
    this.layers.forEach((l, i) => {
      if (l.shape.some((d) => d === null)) throw errors.invalidArgument(`${this.kind} layer '${l.name}'`, 'a fixed shape to generate a state', 'a shape that varies per run');
      const shape = [batch, ...(l.shape as number[])];
      state[l.name] = i === 0 ? randomNormal(shape, 0, options.std ?? 1, options.seed ?? 0) : tf.zeros(shape);
    });
    return state;
  }

  setWeights(weights: Readonly<Record<string, tf.Tensor>>): void {
    this.assertAlive();
    assignWeights(this.kind, this.variables(), weights);
    this.weightsChanged();
  }

  /** Called after `setWeights` assigned new values (refresh anything derived from the weights). */
  protected weightsChanged(): void {}

  dispose(): void {
    if (this.disposedFlag) return;
    this.disposedFlag = true;
    this.release();
  }

  /** Frees the model's tensors (default: every variable). */
  protected release(): void {
    for (const v of Object.values(this.variables())) v.dispose();
  }

  /** Throws ENGRAM_ERR_DISPOSED once the model is disposed; call it first in every public method. */
  protected assertAlive(): void {
    if (this.disposedFlag) throw errors.disposed(`${this.kind} model`);
  }
}
