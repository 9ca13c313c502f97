/**
 * What the five sequence models share on top of core's ModelBase: the stored
 * patterns [S, P, N] as a variable, the state's `v` layer (±1 neurons) with
 * layers derived from it (the overlaps with every stored pattern, so the active
 * element streams), cue input as a single tensor, generated states, clamping
 * of `v`, and one transition per step as an explicit rule on core's engine
 * (asymmetric transitions are not energy descent).
 */
import * as tf from '@tensorflow/tfjs';
import { defer, finalize, type Observable } from 'rxjs';
import {
  ModelBase,
  disposeState,
  errors,
  explicitRule,
  isTensorInput,
  readClamp,
  type DynamicsStep,
  type DynamicsSystem,
  type GenerateOptions,
  type RunDefaults,
  type RunOptions,
  type State,
  type StateInput,
  type TensorInput,
  toTensor,
} from '@engram/core';
import { checkBinary } from './patterns.js';
import { binarySign } from './sign.js';

/** Maps the next `v` [B, N] to its clamped value (identity without a clamp). */
export type Hold = (v: tf.Tensor2D) => tf.Tensor2D;

const free: Hold = (v) => v;

/** A single tensor given for `initial` or `clamp` is the `v` layer. */
function withLayerRecords(options: RunOptions): RunOptions {
  if (typeof options !== 'object' || options === null) return options;
  const o = { ...options };
  if (typeof o.initial !== 'number' && isTensorInput(o.initial)) o.initial = { v: o.initial };
  if (o.clamp !== undefined && isTensorInput(o.clamp)) o.clamp = { v: o.clamp };
  return o;
}

/**
 * Base of the sequence models (internal). Subclasses give their kind, layers,
 * config, the derived layers of a state and one transition.
 */
export abstract class SequenceModel<Config extends object> extends ModelBase<Config> {
  /** N: neurons. */
  readonly size: number;
  /** P: patterns per sequence. */
  readonly length: number;
  /** S: independent sequences (a run takes one state per sequence when S > 1). */
  readonly sequences: number;
  /** The stored patterns [S, P, N] (the weight 'patterns'). */
  protected readonly patterns: tf.Variable<tf.Rank.R3>;
  /** The patterns transposed [S, N, P] for the overlap product (derived, never saved; see TransitionField.keysT). */
  private patternsT: tf.Tensor3D;
  protected override readonly runDefaults: RunDefaults;
  /** Layers computed from `v` (recomputed from it on input; never clamped). */
  protected abstract readonly derivedLayers: readonly string[];
  /** Tensors owned by the run being subscribed (clamp masks), freed when it ends. */
  private runScope: tf.Tensor[] | undefined;

  /** Takes ownership of `patterns` [S, P, N] (disposed here); a run defaults to `periodSteps` steps. */
  protected constructor(patterns: tf.Tensor3D, periodSteps: number) {
    super();
    [this.sequences, this.length, this.size] = patterns.shape;
    try {
      this.patterns = tf.variable(patterns, false) as tf.Variable<tf.Rank.R3>;
    } finally {
      patterns.dispose();
    }
    this.patternsT = tf.tidy(() => tf.transpose(this.patterns, [0, 2, 1]) as tf.Tensor3D);
    this.runDefaults = { maxSteps: periodSteps };
  }

  /** Completes `state` (which has a checked `v`, derived layers removed) with the derived layers and defaults. Owns nothing. */
  protected abstract complete(state: State): void;
  /** The next full state from `state`, `hold` applied to the next `v` before anything is derived from it. New tensors. */
  protected abstract transition(state: State, hold: Hold): State;
  /** Rebuilds what is precomputed from the patterns (fields, pseudo-inverses). */
  protected abstract rebuild(): void;
  /** Frees what {@link rebuild} made. */
  protected abstract releaseDerived(): void;

  /** Builds what derives from the patterns at the end of a subclass constructor; frees everything if that fails. */
  protected build(): void {
    try {
      this.rebuild();
    } catch (err) {
      this.dispose();
      throw err;
    }
  }

  variables(): Record<string, tf.Variable> {
    this.assertAlive();
    return this.ownVariables();
  }

  /** Every persisted tensor by name (no disposal check: release() uses it). */
  protected ownVariables(): Record<string, tf.Variable> {
    return { patterns: this.patterns };
  }

  /**
   * Streams the transitions from `options.initial`: a cue ([N] or [B, N] of
   * ±1; B = S when S > 1), or a state record (e.g. from `initialState`).
   * Layers derived from `v` (overlaps, ...) are recomputed from it. `clamp`
   * (1 = held) may hold entries of `v`. maxSteps defaults to one period.
   */
  override run(options: RunOptions): Observable<DynamicsStep> {
    return defer(() => {
      const owned: tf.Tensor[] = [];
      // ModelBase.run subscribes synchronously below, so dynamics() of this run finds its scope here.
      this.runScope = owned;
      return super.run(withLayerRecords(options)).pipe(
        finalize(() => {
          this.runScope = undefined;
          for (const t of owned) t.dispose();
        }),
      );
    });
  }

  /** A checked state from a cue (one tensor) or a record of layers, or a generated one for `batch` samples (see generateState). */
  override initialState(input: StateInput | number, options: GenerateOptions = {}): State {
    return super.initialState(typeof input !== 'number' && isTensorInput(input) ? { v: input } : input, options);
  }

  protected override prepareState(state: State): State {
    const v = state['v'];
    if (!v) throw errors.invalidArgument('initial', "a cue: one tensor [N] or [B, N] of ±1 entries, or a record with the layer 'v'", `layers ${Object.keys(state).join(', ')}`);
    checkBinary(v, 'initial.v', 'a state of ±1 entries');
    if (this.sequences > 1 && v.shape[0] !== this.sequences) {
      throw errors.shapeMismatch(`initial.v (one state per stored sequence, S = ${this.sequences})`, [this.sequences, this.size], v.shape);
    }
    for (const name of this.derivedLayers) {
      state[name]?.dispose();
      delete state[name];
    }
    this.complete(state);
    return state;
  }

  /**
   * A generated state for `batch` samples: the first stored pattern (of each
   * sequence), so the run recalls the sequence from its start; with
   * `options.seed`, seeded random ±1 states instead. S > 1 needs batch = S.
   */
  protected override generateState(batch: number, options: GenerateOptions): State {
    if (this.sequences > 1 && batch !== this.sequences) {
      throw errors.invalidArgument('batch size', `${this.sequences} (one state per stored sequence)`, batch);
    }
    if (options.seed !== undefined) {
      return { v: tf.tidy(() => binarySign(tf.randomUniform([batch, this.size], -1, 1, 'float32', options.seed))) };
    }
    return this.startState(batch);
  }

  /** The generated state that starts the sequences (default: pattern 0 as `v`). */
  protected startState(batch: number): State {
    return { v: tf.tidy(() => (this.sequences === 1 ? tf.tile(this.patternAt(0), [batch, 1]) : this.patternAt(0))) };
  }

  protected dynamics(options: RunOptions, initial: State): DynamicsSystem {
    const scope = this.runScope ?? [];
    this.runScope = undefined;
    const hold = this.readHold(options, initial, scope);
    return explicitRule({ update: (state) => this.transition(state, hold) });
  }

  /** The clamp of `v` as a Hold (masks copied into `scope`); other layers cannot be held. */
  private readHold(options: RunOptions, initial: State, scope: tf.Tensor[]): Hold {
    const masks = readClamp(options.clamp, initial, this.layers);
    if (!masks) return free;
    const owned = Object.values(masks).filter((m): m is tf.Tensor => m !== true);
    scope.push(...owned);
    const other = Object.keys(masks).find((k) => k !== 'v');
    if (other !== undefined) {
      throw errors.invalidArgument(`clamp.${other}`, `absent: only layer 'v' can be held (${this.derivedLayers.includes(other) ? `'${other}' is derived from v` : `'${other}' follows v`})`, 'a mask');
    }
    const mask = masks['v'];
    if (mask === undefined) return free;
    const anchor = initial['v']!.clone();
    scope.push(anchor);
    if (mask === true) return () => anchor.clone() as tf.Tensor2D;
    // The engine's own clamp formula, so re-applying it after the step changes nothing.
    return (v) => tf.add(tf.mul(mask, anchor), tf.mul(tf.sub(1, mask), v)) as tf.Tensor2D;
  }

  /** One transition from a cue or state (no clamp); the caller owns the result. */
  next(input: StateInput): State {
    const state = this.initialState(input);
    try {
      return this.transition(state, free);
    } finally {
      disposeState(state);
    }
  }

  /** Pattern `index` (mod P) of every sequence: [S, N], caller owns. */
  patternAt(index: number): tf.Tensor2D {
    this.assertAlive();
    if (!Number.isInteger(index)) throw errors.invalidArgument('index', 'an integer', index);
    const k = ((index % this.length) + this.length) % this.length;
    return tf.tidy(() => this.patterns.slice([0, k, 0], [-1, 1, -1]).reshape([this.sequences, this.size]));
  }

  /**
   * Overlaps m^mu = xi^mu . v / N of states v ([N] or [B, N]; B = S when S > 1)
   * with every stored pattern (of its own sequence): [B, P], caller owns.
   */
  overlaps(v: TensorInput): tf.Tensor2D {
    const x = this.readStates(v, 'v');
    try {
      return this.overlapsOf(x);
    } finally {
      x.dispose();
    }
  }

  /** {@link overlaps} of a checked [B, N] tensor. */
  protected overlapsOf(v: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.div(tf.matMul(this.to3d(v), this.patternsT), this.size).reshape([v.shape[0], this.length]) as tf.Tensor2D);
  }

  /** States [B, N] from input (a lone [N] gets a batch axis; finite; B = S when S > 1); caller owns. */
  protected readStates(v: TensorInput, name: string): tf.Tensor2D {
    this.assertAlive();
    const x = toTensor(v, name, { shape: ['batch', this.size], batch: true, finite: true }) as tf.Tensor2D;
    if (this.sequences > 1 && x.shape[0] !== this.sequences) {
      x.dispose();
      throw errors.shapeMismatch(`${name} (one state per stored sequence, S = ${this.sequences})`, [this.sequences, this.size], x.shape);
    }
    return x;
  }

  /** The integer overlaps u = xi . v [S, B', P] of a state, read back from its `overlaps` layer (exact: |u| <= N). */
  protected rawOverlaps(state: State): tf.Tensor3D {
    return tf.round(tf.mul(this.to3d(state['overlaps']!), this.size)) as tf.Tensor3D;
  }

  /** [B, K] to the [S, B', K] layout of the fields: S = 1 shares one memory across the batch, else one state per sequence. */
  protected to3d(x: tf.Tensor): tf.Tensor3D {
    const [b, k] = x.shape as [number, number];
    return (this.sequences === 1 ? x.reshape([1, b, k]) : x.reshape([this.sequences, 1, k])) as tf.Tensor3D;
  }

  override setWeights(weights: Readonly<Record<string, tf.Tensor>>): void {
    this.assertAlive();
    const p = weights['patterns'];
    if (p && !p.isDisposed) checkBinary(p, `weight 'patterns' of ${this.kind}`);
    super.setWeights(weights);
  }

  protected override weightsChanged(): void {
    this.releaseDerived();
    this.patternsT.dispose();
    this.patternsT = tf.tidy(() => tf.transpose(this.patterns, [0, 2, 1]) as tf.Tensor3D);
    this.rebuild();
  }

  protected override release(): void {
    this.releaseDerived();
    this.patternsT.dispose();
    for (const v of Object.values(this.ownVariables())) v.dispose();
  }
}
