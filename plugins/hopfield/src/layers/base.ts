/**
 * The base of the tf.layers Hopfield layers: option parsing (core's
 * parseConfig, so bad options are coded errors naming the key), weights
 * created through `addWeight` (so `model.fit` trains them and `tf.io` saves
 * them), the norms and projections of hopfield-layers, masks, dropout on the
 * association, and `getConfig` for serialization. The association itself is
 * the plugin's (internal/layers/associate.ts), shared with the model-protocol
 * modules.
 */
import * as tf from '@tensorflow/tfjs';
import { errors, parseConfig, type z } from '@engram/core';
import { associate } from '../internal/layers/associate.js';
import { affineLayerNorm, layerNorm, linear } from '../internal/layers/params.js';
import { resolveLayer, type InputDepths, type LayerOptions, type LayerSettings } from './config.js';

/** The arguments every tf.layers layer takes (name, inputShape, trainable, ...). */
export type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/** Keyword arguments of `call` (tf.layers passes `training` and `mask`). */
export type LayerKwargs = Parameters<tf.layers.Layer['call']>[1];

/** The keys of {@link LayerArgs}, which go to tf.layers rather than to the option schema. */
const LAYER_ARG_KEYS = ['inputShape', 'batchInputShape', 'batchSize', 'dtype', 'name', 'trainable', 'weights', 'inputDType'] as const;

/** What tf.layers' deserializer adds to a saved config (the registry of custom classes); not an option. */
const DESERIALIZER_KEYS = ['customObjects'];

/** Splits tf.layers' own arguments from the layer's options. */
function splitArgs(args: object): { layer: LayerArgs; own: Record<string, unknown> } {
  const layer: Record<string, unknown> = {};
  const own: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) {
    if ((LAYER_ARG_KEYS as readonly string[]).includes(k)) layer[k] = v;
    else if (!DESERIALIZER_KEYS.includes(k)) own[k] = v;
  }
  return { layer: layer as LayerArgs, own };
}

/** The shapes of one or several inputs, as a list. */
export function shapeList(inputShape: tf.Shape | tf.Shape[]): tf.Shape[] {
  return Array.isArray(inputShape[0]) ? (inputShape as tf.Shape[]) : [inputShape as tf.Shape];
}

/** The tensors of one or several inputs, as a list. */
export function tensorList(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor[] {
  return Array.isArray(inputs) ? inputs : [inputs];
}

/** Last axis of a shape (undefined when unknown). */
export function lastAxis(shape: tf.Shape | undefined): number | undefined {
  const d = shape?.[shape.length - 1];
  return d === null ? undefined : d;
}

/** Weight initialisations (hopfield-layers': Glorot-uniform projections, zero biases, unit/zero norms, small normal patterns). */
type Init = 'glorot' | 'zeros' | 'ones' | { std: number };

/** Base of the three layers; `Options` is the parsed option type of the subclass's schema. */
export abstract class HopfieldLayerBase<Options extends LayerOptions> extends tf.layers.Layer {
  /** The options as parsed (defaults filled in; sizes read from the inputs are resolved at build). */
  readonly options: Options;
  private resolved: LayerSettings | undefined;
  private readonly vars = new Map<string, tf.LayerVariable>();
  private nextSeed: number | undefined;
  private dropoutCalls = 0;

  protected constructor(owner: string, schema: z.ZodType<Options>, args: object) {
    const { layer, own } = splitArgs(args);
    const options = parseConfig(schema, own, owner);
    super(layer);
    this.options = options;
    this.nextSeed = options.seed;
  }

  /** The resolved settings (after build: the first call or model construction). */
  get settings(): LayerSettings {
    if (!this.resolved) throw errors.invalidArgument(`settings of layer '${this.name}'`, 'read after the layer is built (called once or added to a model)', 'an unbuilt layer');
    return this.resolved;
  }

  /**
   * The weights by their names within the layer (tf.layers prefixes the layer
   * name), e.g. 'query.weight', 'poolingWeights': the names of the plain-API
   * modules' `variables()` wherever the two hold the same parameter. Empty
   * before the layer is built.
   */
  weightsByName(): Record<string, tf.LayerVariable> {
    return Object.fromEntries(this.vars);
  }

  /** The options (as parsed) and tf.layers' own keys: what `tf.loadLayersModel` rebuilds the layer from. */
  override getConfig(): tf.serialization.ConfigDict {
    // JSON drops the keys left undefined (derived at build), which tf.io cannot store.
    const own = JSON.parse(JSON.stringify(this.options)) as tf.serialization.ConfigDict;
    return { ...own, ...super.getConfig() };
  }

  /** Resolves the settings from the input depths; subclasses call it first in `build`. */
  protected resolve(depths: InputDepths): LayerSettings {
    this.resolved = resolveLayer(this.getClassName(), this.options, depths);
    return this.resolved;
  }

  /** Adds a weight named `name` (saved under that name); `trainable` false keeps it out of `fit`. */
  protected weight(name: string, shape: number[], init: Init, trainable = true): void {
    const seed = this.nextSeed;
    if (this.nextSeed !== undefined) this.nextSeed++;
    const initializer =
      init === 'glorot'
        ? tf.initializers.glorotUniform({ seed })
        : init === 'zeros'
          ? tf.initializers.zeros()
          : init === 'ones'
            ? tf.initializers.ones()
            : tf.initializers.randomNormal({ mean: 0, stddev: init.std, seed });
    this.vars.set(name, this.addWeight(name, shape, 'float32', initializer, undefined, trainable));
  }

  /** The current value of weight `name`. */
  protected value(name: string): tf.Tensor {
    return this.vars.get(name)!.read();
  }

  /** Adds the layer norm `name` of depth `size` (its gain and bias when affine). */
  protected addNorm(name: string, size: number, on: boolean, affine: boolean): void {
    if (!on || !affine) return;
    this.weight(`${name}.gamma`, [size], 'ones');
    this.weight(`${name}.beta`, [size], 'zeros');
  }

  /** Adds the linear map `name` (weights [in, out], bias when `bias`). */
  protected addLinear(name: string, inSize: number, outSize: number, bias: boolean): void {
    this.weight(`${name}.weight`, [inSize, outSize], 'glorot');
    if (bias) this.weight(`${name}.bias`, [outSize], 'zeros');
  }

  protected norm(name: string, x: tf.Tensor, on: boolean, affine: boolean): tf.Tensor {
    if (!on) return x;
    return affine ? affineLayerNorm(x, this.value(`${name}.gamma`), this.value(`${name}.beta`)) : layerNorm(x);
  }

  protected project(name: string, x: tf.Tensor, bias: boolean): tf.Tensor3D {
    return linear(x, this.value(`${name}.weight`), bias ? this.value(`${name}.bias`) : undefined) as tf.Tensor3D;
  }

  /**
   * Into Hopfield space: the projection `name`, or for a static pattern the
   * pattern itself, the same for every head (hopfield-layers repeats it).
   */
  protected toSpace(name: string, x: tf.Tensor3D, isStatic: boolean): tf.Tensor3D {
    if (!isStatic) return this.project(name, x, this.settings.inputBias);
    return this.settings.heads === 1 ? x : tf.tile(x, [1, 1, this.settings.heads]);
  }

  /** Adds the projections of the state (unless static or `none`), stored and projected patterns and the output. */
  protected addProjections(withState: boolean): void {
    const s = this.settings;
    if (withState && !s.statePatternAsStatic) this.addLinear('query', s.inputSize, s.heads * s.hiddenSize, s.inputBias);
    if (!s.storedPatternAsStatic) this.addLinear('key', s.storedPatternSize, s.heads * s.hiddenSize, s.inputBias);
    if (!s.patternProjectionAsStatic) this.addLinear('value', s.patternProjectionSize, s.heads * s.patternSize, s.inputBias);
    if (!s.disableOutProjection) this.addLinear('out', s.heads * s.patternSize, s.outputSize, true);
  }

  /** Adds the three layer norms that are switched on. */
  protected addNorms(): void {
    const s = this.settings;
    this.addNorm('normStored', s.storedPatternSize, s.normalizeStoredPattern, s.normalizeStoredPatternAffine);
    this.addNorm('normState', s.inputSize, s.normalizeStatePattern, s.normalizeStatePatternAffine);
    this.addNorm('normProjection', s.patternProjectionSize, s.normalizePatternProjection, s.normalizePatternProjectionAffine);
  }

  /**
   * The association of state patterns r [B, L, inputSize] with stored patterns
   * y [B or 1, S, storedPatternSize] and pattern projections v [B or 1, S, ...]:
   * normalised, into Hopfield space, `updateStepsMax` updates, dropout on the
   * association in training, read-out and output projection: [B, L, outDepth].
   */
  protected associateAll(r: tf.Tensor3D, y: tf.Tensor3D, v: tf.Tensor3D, mask: tf.Tensor | undefined, training: boolean): tf.Tensor3D {
    const s = this.settings;
    const q = this.toSpace('query', this.norm('normState', r, s.normalizeStatePattern, s.normalizeStatePatternAffine) as tf.Tensor3D, s.statePatternAsStatic);
    const k = this.toSpace('key', this.norm('normStored', y, s.normalizeStoredPattern, s.normalizeStoredPatternAffine) as tf.Tensor3D, s.storedPatternAsStatic);
    const vv = this.toSpace('value', this.norm('normProjection', v, s.normalizePatternProjection, s.normalizePatternProjectionAffine) as tf.Tensor3D, s.patternProjectionAsStatic);
    const dropout = training && s.dropout > 0;
    const a = associate(q, k, vv, {
      heads: s.heads,
      beta: s.scaling,
      steps: s.updateStepsMax,
      eps: s.updateStepsEps,
      mask: this.forbidden(mask, r.shape[0], r.shape[1], y.shape[1]),
      ...(dropout ? { readout: (w: tf.Tensor4D) => tf.dropout(w, s.dropout, undefined, this.dropoutSeed()) as tf.Tensor4D } : {}),
    });
    return s.disableOutProjection ? a.output : this.project('out', a.output, true);
  }

  /** The mask input of a call when `maskInput` is set (the last input), and the other inputs. */
  protected splitMask(inputs: tf.Tensor[]): { patterns: tf.Tensor[]; mask: tf.Tensor | undefined } {
    if (!this.settings.maskInput) return { patterns: inputs, mask: undefined };
    return { patterns: inputs.slice(0, -1), mask: inputs[inputs.length - 1] };
  }

  /** Checks that `x` has `depth` entries on its last axis (a coded error naming the input otherwise). */
  protected checkDepth(what: string, x: tf.Tensor, rank: number, depth: number): void {
    if (x.rank !== rank || x.shape[rank - 1] !== depth) {
      const expected = [...Array.from({ length: rank - 1 }, () => 'n'), depth];
      throw errors.shapeMismatch(`${what} of layer '${this.name}'`, expected, x.shape);
    }
  }

  /** The training flag of a call (tf.layers sets it in `fit`). */
  protected static isTraining(kwargs: LayerKwargs): boolean {
    return kwargs?.['training'] === true;
  }

  /**
   * Forbidden pairs as 1s broadcastable to [B, heads, L, S]: the fixed
   * `associationMask` [L, S] and the mask input ([B, S] for every state
   * pattern, or [B, L, S]), either non-zero entry forbidding a pair.
   */
  private forbidden(input: tf.Tensor | undefined, b: number, l: number, s: number): tf.Tensor | undefined {
    const parts: tf.Tensor[] = [];
    const fixed = this.settings.associationMask;
    if (fixed) {
      if (fixed.length !== l || fixed[0]!.length !== s) throw errors.shapeMismatch(`associationMask of layer '${this.name}'`, [l, s], [fixed.length, fixed[0]!.length]);
      parts.push(tf.tensor4d(fixed.flat(), [1, 1, l, s]));
    }
    if (input) {
      const ok = (input.rank === 2 && input.shape[0] === b && input.shape[1] === s) || (input.rank === 3 && input.shape[0] === b && input.shape[1] === l && input.shape[2] === s);
      if (!ok) throw errors.shapeMismatch(`mask input of layer '${this.name}'`, input.rank === 3 ? [b, l, s] : [b, s], input.shape);
      const shape = input.rank === 2 ? [b, 1, 1, s] : [b, 1, l, s];
      parts.push(tf.cast(tf.notEqual(input.reshape(shape), 0), 'float32'));
    }
    if (parts.length === 0) return undefined;
    return parts.length === 1 ? parts[0] : tf.maximum(parts[0]!, parts[1]!);
  }

  /** A fresh dropout seed per training call when the layer is seeded (one seed for every call would repeat one mask). */
  private dropoutSeed(): number | undefined {
    if (this.options.seed === undefined) return undefined;
    return this.options.seed * 7919 + 104729 + this.dropoutCalls++;
  }
}
