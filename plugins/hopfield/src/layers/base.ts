/**
 * Settings and parameter handling shared by the hopfield-layers style
 * modules ({@link Hopfield}, {@link HopfieldPooling}, {@link HopfieldLayer}).
 * Defaults follow ml-jku/hopfield-layers: one head, hidden (per-head) size
 * input/heads, beta = 1/sqrt(hidden size), no extra update steps (eps 1e-4),
 * affine layer norms on the inputs.
 */
import * as tf from '@tensorflow/tfjs';
import { errors, type JsonObject } from '@engram/core';
import { checkNonNegativeInt, checkPositive, checkPositiveInt } from '../internal/validate.js';
import { ParamStore, layerNorm, linear } from './params.js';
import type { Association } from './associate.js';

/** Configuration shared by the trainable Hopfield modules. */
export interface HopfieldModuleConfig {
  /** Depth of the state patterns (the input). */
  inputSize: number;
  /** Depth of the association space per head (default inputSize / heads). */
  hiddenSize?: number;
  /** Depth of the output (default inputSize). */
  outputSize?: number;
  /** Depth of the projected patterns per head (default hiddenSize). */
  patternSize?: number;
  /** Depth of the stored patterns (default inputSize). */
  storedPatternSize?: number;
  /** Depth of the pattern projections (default storedPatternSize). */
  patternProjectionSize?: number;
  /** Number of heads (default 1). */
  heads?: number;
  /** beta (default 1/sqrt(hiddenSize)). */
  scaling?: number;
  /** Extra state updates before the output (default 0: one association, as in attention). */
  updateStepsMax?: number;
  /** Stop the updates when max |xi_new - xi| < eps (default 1e-4). */
  updateStepsEps?: number;
  /** Layer norms (affine) on stored patterns, state patterns and projections (default true each). */
  normalizeStoredPattern?: boolean;
  normalizeStatePattern?: boolean;
  normalizePatternProjection?: boolean;
  /** Skip the output projection (output depth heads * patternSize). */
  disableOutProjection?: boolean;
  /** Number of learned patterns (pooling queries or layer lookups; default 1). */
  quantity?: number;
  /** Seed of the initial parameters (default 0). */
  seed?: number;
}

/** Resolved settings. */
export interface ResolvedHopfieldConfig {
  inputSize: number;
  hiddenSize: number;
  outputSize: number;
  patternSize: number;
  storedPatternSize: number;
  patternProjectionSize: number;
  heads: number;
  scaling: number;
  updateStepsMax: number;
  updateStepsEps: number;
  normalizeStoredPattern: boolean;
  normalizeStatePattern: boolean;
  normalizePatternProjection: boolean;
  disableOutProjection: boolean;
  quantity: number;
  seed: number;
}

const bool = (name: string, v: unknown, dflt: boolean): boolean => {
  if (v === undefined) return dflt;
  if (typeof v !== 'boolean') throw errors.invalidArgument(name, 'a boolean', v);
  return v;
};

/** Validates a config and fills in the defaults. */
export function resolveConfig(c: HopfieldModuleConfig): ResolvedHopfieldConfig {
  if (!c || typeof c !== 'object') throw errors.invalidArgument('config', 'an object with inputSize', c);
  const inputSize = checkPositiveInt('inputSize', c.inputSize);
  const heads = checkPositiveInt('heads', c.heads ?? 1);
  const hiddenSize = checkPositiveInt('hiddenSize', c.hiddenSize ?? Math.floor(inputSize / heads));
  const storedPatternSize = checkPositiveInt('storedPatternSize', c.storedPatternSize ?? inputSize);
  return {
    inputSize,
    heads,
    hiddenSize,
    outputSize: checkPositiveInt('outputSize', c.outputSize ?? inputSize),
    patternSize: checkPositiveInt('patternSize', c.patternSize ?? hiddenSize),
    storedPatternSize,
    patternProjectionSize: checkPositiveInt('patternProjectionSize', c.patternProjectionSize ?? storedPatternSize),
    scaling: checkPositive('scaling', c.scaling ?? 1 / Math.sqrt(hiddenSize)),
    updateStepsMax: checkNonNegativeInt('updateStepsMax', c.updateStepsMax ?? 0),
    updateStepsEps: checkPositive('updateStepsEps', c.updateStepsEps ?? 1e-4),
    normalizeStoredPattern: bool('normalizeStoredPattern', c.normalizeStoredPattern, true),
    normalizeStatePattern: bool('normalizeStatePattern', c.normalizeStatePattern, true),
    normalizePatternProjection: bool('normalizePatternProjection', c.normalizePatternProjection, true),
    disableOutProjection: bool('disableOutProjection', c.disableOutProjection, false),
    quantity: checkPositiveInt('quantity', c.quantity ?? 1),
    seed: c.seed ?? 0,
  };
}

/** Base of the modules: parameters, norms, projections, serialization. */
export abstract class HopfieldModuleBase {
  /** Resolved settings. */
  readonly config: ResolvedHopfieldConfig;
  protected readonly params: ParamStore;
  private disposed = false;

  protected constructor(config: HopfieldModuleConfig) {
    this.config = resolveConfig(config);
    this.params = new ParamStore(this.config.seed);
  }

  /** Registered model id. */
  abstract readonly kind: string;

  /** The trainable variables (for an optimizer or trainStream). */
  variables(): tf.Variable[] {
    return Object.values(this.params.all());
  }

  /** Settings as JSON. */
  getConfig(): JsonObject {
    return { ...this.config };
  }

  /** Parameters by name (live variables). */
  getWeights(): Record<string, tf.Tensor> {
    this.checkAlive();
    return this.params.all();
  }

  /** Copies parameter values in (names and shapes must match). */
  setWeights(weights: Record<string, tf.Tensor>): void {
    this.checkAlive();
    this.params.assign(weights);
  }

  /** Frees the parameters. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.params.dispose();
  }

  protected checkAlive(): void {
    if (this.disposed) throw errors.disposed(this.constructor.name);
  }

  /** Adds an affine layer norm of depth `size` named `name` when `on`. */
  protected addNorm(name: string, size: number, on: boolean): void {
    if (!on) return;
    this.params.constant(`${name}.gamma`, [size], 1);
    this.params.constant(`${name}.beta`, [size], 0);
  }

  /** Adds a linear map in -> out with bias (weights stored [in, out]). */
  protected addLinear(name: string, inSize: number, outSize: number): void {
    this.params.glorot(`${name}.weight`, inSize, outSize);
    this.params.constant(`${name}.bias`, [outSize], 0);
  }

  protected norm(name: string, x: tf.Tensor, on: boolean): tf.Tensor {
    return on ? layerNorm(x, this.params.get(`${name}.gamma`), this.params.get(`${name}.beta`)) : x;
  }

  protected project(name: string, x: tf.Tensor): tf.Tensor {
    return linear(x, this.params.get(`${name}.weight`), this.params.get(`${name}.bias`));
  }

  /** Applies the output projection (unless disabled) to an association. */
  protected finish(a: Association): Association {
    if (this.config.disableOutProjection) return a;
    const out: Association = { output: this.project('out', a.output) as tf.Tensor3D, association: a.association };
    if (a.energy) out.energy = a.energy;
    return out;
  }

  /** Checks a [B, N, depth] input. */
  protected check3d(name: string, x: tf.Tensor, depth: number): tf.Tensor3D {
    if (!(x instanceof tf.Tensor)) throw errors.invalidArgument(name, 'a tf.Tensor [batch, length, depth]', typeof x);
    if (x.rank !== 3 || x.shape[2] !== depth) throw errors.shapeMismatch(name, ['batch', 'length', depth], x.shape);
    return x as tf.Tensor3D;
  }

  /** Output depth after the (optional) output projection. */
  protected get outDepth(): number {
    return this.config.disableOutProjection ? this.config.heads * this.config.patternSize : this.config.outputSize;
  }

  protected assocOptions(withEnergy = false) {
    const c = this.config;
    return { heads: c.heads, beta: c.scaling, steps: c.updateStepsMax, eps: c.updateStepsEps, withEnergy };
  }

  /** Keeps only the energy of an association computed with `withEnergy`. */
  protected static energyOnly(a: Association): tf.Tensor3D {
    tf.dispose([a.output, a.association]);
    return a.energy!;
  }
}
