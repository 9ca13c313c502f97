/**
 * Shared plumbing of the sequence memories: stored patterns [S, P, N] (S
 * independent sequences of P patterns of N +-1 neurons), cue checks, overlaps,
 * and a run() that streams transitions through the core dynamics engine.
 */
import * as tf from '@tensorflow/tfjs';
import { Observable } from 'rxjs';
import {
  disposeState,
  errors,
  runDynamics,
  toTensor,
  type DynamicsStep,
  type DynamicsSystem,
  type EngramModel,
  type JsonObject,
  type RunOptions,
  type State,
  type TensorInput,
} from '@engram/core';
import { binaryPatterns } from '@engram/data';

/** How the stored sequences are given: tensors, or sizes and a seed for random +-1 patterns. */
export interface SequencePatternsOptions {
  /** Stored sequence(s): [P, N] for one sequence, [S, P, N] for S independent ones. Entries +-1. Copied. */
  patterns?: TensorInput;
  /** Without `patterns`: number of neurons N. */
  neurons?: number;
  /** Without `patterns`: sequence length P. */
  length?: number;
  /** Without `patterns`: number of independent sequences S (default 1). */
  sequences?: number;
  /** Seed of the random patterns (default 0). */
  seed?: number;
  /** Probability of +1 in the random patterns (default 0.5). */
  bias?: number;
}

/** Options of a model's `run`: the engine's options, with a cue instead of a full initial state. */
export interface SequenceRunOptions extends Omit<RunOptions, 'initial'> {
  /** Initial state of the neurons: [N] or [B, N], entries +-1 (B must equal S when S > 1). */
  cue?: TensorInput;
  /** Instead of `cue`: a full initial state, every layer (e.g. from `initialState`); copied. */
  initial?: Record<string, TensorInput>;
}

function posInt(name: string, v: unknown, min = 1): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw errors.invalidArgument(name, `an integer >= ${min}`, v);
  return v;
}

/** Reads a model's patterns option into a [S, P, N] float32 tensor (caller owns), checking +-1 entries. */
export function readPatterns(o: SequencePatternsOptions, what: string): tf.Tensor3D {
  if (o.patterns !== undefined) {
    const t = toTensor(o.patterns);
    const x = tf.tidy(() => (t.rank === 2 ? t.toFloat().expandDims(0) : t.toFloat().clone())) as tf.Tensor3D;
    if (t !== o.patterns) t.dispose();
    try {
      if (x.rank !== 3 || x.shape[1] < 1 || x.shape[2] < 2) throw errors.shapeMismatch(`${what} patterns`, ['P', 'N >= 2'], t.shape);
      const bad = tf.tidy(() => tf.sum(tf.cast(tf.notEqual(tf.abs(x), 1), 'int32')).dataSync()[0]!);
      if (bad > 0) throw errors.invalidArgument(`${what} patterns`, 'entries in {-1, +1}', `${bad} other entries`);
    } catch (e) {
      x.dispose();
      throw e;
    }
    return x;
  }
  const n = posInt('neurons', o.neurons, 2);
  const p = posInt('length', o.length);
  const s = posInt('sequences', o.sequences ?? 1);
  const xi = binaryPatterns({ count: s * p, dim: n, seed: o.seed ?? 0, bias: o.bias ?? 0.5 });
  return tf.tensor3d(xi.data, [s, p, n]);
}

/** Base class of the sequence models (not exported from the package). */
export abstract class SequenceMemoryBase implements EngramModel {
  abstract readonly kind: string;
  /** N. */
  readonly neurons: number;
  /** P. */
  readonly length: number;
  /** S. */
  readonly sequences: number;
  protected patterns: tf.Tensor3D;
  /** Patterns transposed [S, N, P], for overlaps. */
  protected patternsT: tf.Tensor3D;
  private disposed = false;

  protected constructor(patterns: tf.Tensor3D) {
    [this.sequences, this.length, this.neurons] = patterns.shape;
    this.patterns = patterns;
    this.patternsT = tf.tidy(() => tf.transpose(patterns, [0, 2, 1]));
  }

  /** Rebuilds what derives from the patterns (fields, pseudo-inverses). */
  protected abstract rebuild(): void;
  /** Frees the derived tensors. */
  protected abstract disposeDerived(): void;
  /** Model-specific config entries. */
  protected abstract configExtra(): JsonObject;
  /** The transition rule on the engine's state. */
  abstract system(): DynamicsSystem;
  /** Full initial state from a validated cue [B, N] (caller owns the result). */
  protected abstract stateFromCue(cue: tf.Tensor2D): State;

  protected assertLive(): void {
    if (this.disposed) throw errors.disposed(`sequence model '${this.kind}'`);
  }

  /** The stored patterns [S, P, N] (a copy the caller owns). */
  getPatterns(): tf.Tensor3D {
    this.assertLive();
    return this.patterns.clone();
  }

  /** Pattern `index` (mod P) of every sequence: [S, N], caller owns. */
  patternAt(index: number): tf.Tensor2D {
    this.assertLive();
    if (!Number.isInteger(index)) throw errors.invalidArgument('index', 'an integer', index);
    const k = ((index % this.length) + this.length) % this.length;
    return tf.tidy(() => this.patterns.slice([0, k, 0], [-1, 1, -1]).reshape([this.sequences, this.neurons]));
  }

  getConfig(): JsonObject {
    return { neurons: this.neurons, length: this.length, sequences: this.sequences, ...this.configExtra() };
  }

  getWeights(): Record<string, tf.Tensor> {
    this.assertLive();
    return { patterns: this.patterns };
  }

  setWeights(weights: Record<string, tf.Tensor>): void {
    this.assertLive();
    const p = weights['patterns'];
    if (!p) throw errors.invalidArgument('weights', "an object with 'patterns'", Object.keys(weights));
    if (!tf.util.arraysEqual(p.shape, this.patterns.shape)) throw errors.shapeMismatch('weight patterns', this.patterns.shape, p.shape);
    const next = readPatterns({ patterns: p }, this.kind);
    this.disposeDerived();
    this.patterns.dispose();
    this.patternsT.dispose();
    this.patterns = next;
    this.patternsT = tf.tidy(() => tf.transpose(next, [0, 2, 1]));
    this.rebuild();
  }

  /** [B, N] to the [S, B', N] layout of the fields (S = 1: one shared memory; else one state per sequence). */
  protected to3d(v: tf.Tensor): tf.Tensor3D {
    const b = v.shape[0]!;
    return (this.sequences === 1 ? v.reshape([1, b, this.neurons]) : v.reshape([this.sequences, 1, this.neurons])) as tf.Tensor3D;
  }

  /** Overlaps m^mu = xi^mu . v / N of states v [B, N] with every stored pattern: [B, P]. */
  overlaps(v: tf.Tensor2D): tf.Tensor2D {
    this.assertLive();
    return tf.tidy(() => tf.div(tf.matMul(this.to3d(v), this.patternsT), this.neurons).reshape([v.shape[0], this.length]));
  }

  /** Checks a cue ([N] or [B, N], +-1 entries) and returns it as a [B, N] tensor (caller owns). */
  checkCue(cue: TensorInput): tf.Tensor2D {
    this.assertLive();
    const t = toTensor(cue);
    const v = tf.tidy(() => (t.rank === 1 ? t.toFloat().expandDims(0) : t.toFloat().clone())) as tf.Tensor2D;
    if (t !== cue) t.dispose();
    try {
      if (v.rank !== 2 || v.shape[1] !== this.neurons) throw errors.shapeMismatch('cue', ['B', this.neurons], t.shape);
      if (this.sequences > 1 && v.shape[0] !== this.sequences) {
        throw errors.shapeMismatch(`cue (one state per stored sequence, S = ${this.sequences})`, [this.sequences, this.neurons], v.shape);
      }
      const bad = tf.tidy(() => tf.sum(tf.cast(tf.notEqual(tf.abs(v), 1), 'int32')).dataSync()[0]!);
      if (bad > 0) throw errors.invalidArgument('cue', 'a state with entries in {-1, +1}', `${bad} other entries (NaN or not +-1)`);
    } catch (e) {
      v.dispose();
      throw e;
    }
    return v;
  }

  /** The full initial state (every layer) for a cue; the caller owns it. */
  initialState(cue: TensorInput): State {
    const v = this.checkCue(cue);
    try {
      return this.stateFromCue(v);
    } finally {
      v.dispose();
    }
  }

  /**
   * Streams the transitions from `cue` through the core engine: one
   * DynamicsStep per update, with layers 'v' (the neurons), 'overlaps' [B, P]
   * (m^mu = xi^mu . v / N, so the active element is visible) and any
   * model-specific layer; ask for them with `snapshot`. The cue is checked now;
   * the state is built when subscribing and freed when the run ends.
   */
  run(options: SequenceRunOptions): Observable<DynamicsStep> {
    const { cue, initial, ...rest } = options;
    if ((cue === undefined) === (initial === undefined)) {
      throw errors.invalidArgument('run options', "exactly one of 'cue' and 'initial'", Object.keys(options));
    }
    if (initial !== undefined) {
      this.assertLive();
      return runDynamics(this.system(), { ...rest, initial });
    }
    this.checkCue(cue!).dispose();
    return new Observable<DynamicsStep>((subscriber) => {
      const init = this.initialState(cue!);
      const inner = runDynamics(this.system(), { ...rest, initial: init }).subscribe(subscriber);
      return () => {
        inner.unsubscribe();
        disposeState(init);
      };
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposeDerived();
    this.patterns.dispose();
    this.patternsT.dispose();
  }
}

/** Patterns rolled by one along the sequence: T[mu] = xi[mu + 1 mod P] (the asymmetric targets). */
export function nextPatterns(patterns: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => {
    const p = patterns.shape[1];
    if (p === 1) return patterns.clone();
    return tf.concat([patterns.slice([0, 1, 0], [-1, p - 1, -1]), patterns.slice([0, 0, 0], [-1, 1, -1])], 1);
  });
}

/** Reads an optional boolean config entry. */
export function readBool(name: string, v: unknown, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  if (typeof v !== 'boolean') throw errors.invalidArgument(name, 'a boolean', v);
  return v;
}

/** Reads a finite number config entry. */
export function readNumber(name: string, v: unknown, dflt: number, check: (x: number) => boolean, expected: string): number {
  const x = v === undefined ? dflt : v;
  if (typeof x !== 'number' || !Number.isFinite(x) || !check(x)) throw errors.invalidArgument(name, expected, v);
  return x;
}
