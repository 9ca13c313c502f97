/**
 * The options the tf.layers Hopfield layers share: the modules' keys
 * (models/module-config.ts, hopfield-layers' names) plus the ones that only
 * make sense inside a tf.layers model (dropout, masks, static patterns,
 * input biases, affine switches), and their resolution at build time, when
 * the input depths are known. Depths read from the inputs need not be
 * configured; configured ones must agree with them.
 */
import { EngramError, ErrorCodes, z } from '@engram/core';
import { moduleShape, resolveModule, type ModuleSettings } from '../models/module-config.js';

const flag = (what: string, dflt: boolean) => z.boolean().default(dflt).describe(what);

/** Keys every Hopfield layer takes. */
export const layerShape = {
  ...moduleShape,
  inputSize: z.number().int().positive().optional().describe('depth of the state patterns (hopfield-layers input_size; default: read from the input)'),
  seed: z.number().int().optional().describe('seed of the initial weights (default: unseeded, as tf.layers initializers)'),
  dropout: z.number().min(0).lt(1).default(0).describe('dropout rate on the association matrix, applied in training only'),
  normalizeStoredPatternAffine: flag('learned gain and bias in the stored patterns\' layer norm', true),
  normalizeStatePatternAffine: flag('learned gain and bias in the state patterns\' layer norm', true),
  normalizePatternProjectionAffine: flag('learned gain and bias in the pattern projections\' layer norm', true),
  storedPatternAsStatic: flag('use the stored patterns in Hopfield space as they are (no projection; depth hiddenSize, the same for every head)', false),
  statePatternAsStatic: flag('use the state patterns in Hopfield space as they are (no projection; depth hiddenSize, the same for every head)', false),
  patternProjectionAsStatic: flag('use the pattern projections as they are (no projection; depth patternSize, the same for every head)', false),
  inputBias: flag('biases in the state, stored and pattern projections', true),
  associationMask: z
    .array(z.array(z.number().int().min(0).max(1)).min(1))
    .min(1)
    .optional()
    .describe('fixed [state patterns, stored patterns] mask of forbidden pairs, 1 = forbidden (hopfield-layers association_mask)'),
  maskInput: flag('the last input is a mask of forbidden pairs, non-zero = forbidden: [batch, stored] (stored-pattern padding) or [batch, state, stored]', false),
};

/** The shared keys as parsed (defaults filled in, derived sizes still open). */
export type LayerOptions = z.output<z.ZodObject<typeof layerShape>>;

/** Everything a built layer uses: the modules' resolved settings and the layer keys. */
export type LayerSettings = ModuleSettings &
  Pick<
    LayerOptions,
    | 'dropout'
    | 'normalizeStoredPatternAffine'
    | 'normalizeStatePatternAffine'
    | 'normalizePatternProjectionAffine'
    | 'storedPatternAsStatic'
    | 'statePatternAsStatic'
    | 'patternProjectionAsStatic'
    | 'inputBias'
    | 'associationMask'
    | 'maskInput'
  > & {
    /** Depth of the output per state pattern (heads * patternSize without the output projection). */
    outDepth: number;
  };

/** Depths known from the inputs (undefined where the layer's own weights have that depth). */
export interface InputDepths {
  state?: number | undefined;
  stored?: number | undefined;
  projection?: number | undefined;
}

function bad(owner: string, key: string, message: string): EngramError {
  return new EngramError(ErrorCodes.INVALID_CONFIG, `config key '${key}' of ${owner} ${message}`, { owner, key });
}

/** A configured depth, checked against the input's depth when both are known. */
function depth(owner: string, key: string, given: number | undefined, fromInput: number | undefined, fallback: number): number {
  if (given !== undefined && fromInput !== undefined && given !== fromInput) {
    throw bad(owner, key, `is ${given}, but the input's last axis has ${fromInput} entries`);
  }
  return given ?? fromInput ?? fallback;
}

/**
 * Resolves a layer's options once its input depths are known. Static patterns
 * skip a projection, so their depth must be the Hopfield-space depth: the
 * default hiddenSize (patternSize) is then that depth, and a configured one
 * must agree. Without any projection (all three static) beta defaults to 1,
 * as in hopfield-layers.
 */
export function resolveLayer(owner: string, o: LayerOptions, d: InputDepths): LayerSettings {
  const inputSize = depth(owner, 'inputSize', o.inputSize, d.state, d.stored ?? o.hiddenSize ?? 1);
  const hiddenSize = o.hiddenSize ?? (o.statePatternAsStatic ? inputSize : o.storedPatternAsStatic && d.stored !== undefined ? d.stored : undefined);
  const heads = o.heads;
  const perHead = hiddenSize ?? Math.floor(inputSize / heads);
  const storedPatternSize = depth(owner, 'storedPatternSize', o.storedPatternSize, d.stored, o.storedPatternAsStatic ? perHead : inputSize);
  const patternSize = o.patternSize ?? (o.patternProjectionAsStatic && d.projection !== undefined ? d.projection : undefined);
  const patternProjectionSize = depth(owner, 'patternProjectionSize', o.patternProjectionSize, d.projection, o.patternProjectionAsStatic ? (patternSize ?? perHead) : storedPatternSize);
  const m = resolveModule(owner, {
    inputSize,
    hiddenSize,
    outputSize: o.outputSize,
    patternSize,
    storedPatternSize,
    patternProjectionSize,
    heads,
    scaling: o.scaling ?? (o.statePatternAsStatic && o.storedPatternAsStatic && o.patternProjectionAsStatic ? 1 : undefined),
    updateStepsMax: o.updateStepsMax,
    updateStepsEps: o.updateStepsEps,
    normalizeStoredPattern: o.normalizeStoredPattern,
    normalizeStatePattern: o.normalizeStatePattern,
    normalizePatternProjection: o.normalizePatternProjection,
    disableOutProjection: o.disableOutProjection,
    seed: o.seed ?? 0,
  });
  if (o.statePatternAsStatic && m.inputSize !== m.hiddenSize) throw bad(owner, 'hiddenSize', `must equal the state patterns' depth (${m.inputSize}) with statePatternAsStatic, got ${m.hiddenSize}`);
  if (o.storedPatternAsStatic && m.storedPatternSize !== m.hiddenSize) throw bad(owner, 'hiddenSize', `must equal the stored patterns' depth (${m.storedPatternSize}) with storedPatternAsStatic, got ${m.hiddenSize}`);
  if (o.patternProjectionAsStatic && m.patternProjectionSize !== m.patternSize) throw bad(owner, 'patternSize', `must equal the pattern projections' depth (${m.patternProjectionSize}) with patternProjectionAsStatic, got ${m.patternSize}`);
  if (o.associationMask) {
    const width = o.associationMask[0]!.length;
    if (o.associationMask.some((row) => row.length !== width)) throw bad(owner, 'associationMask', 'must have rows of one length');
  }
  return {
    ...m,
    dropout: o.dropout,
    normalizeStoredPatternAffine: o.normalizeStoredPatternAffine,
    normalizeStatePatternAffine: o.normalizeStatePatternAffine,
    normalizePatternProjectionAffine: o.normalizePatternProjectionAffine,
    storedPatternAsStatic: o.storedPatternAsStatic,
    statePatternAsStatic: o.statePatternAsStatic,
    patternProjectionAsStatic: o.patternProjectionAsStatic,
    inputBias: o.inputBias,
    associationMask: o.associationMask,
    maskInput: o.maskInput,
    outDepth: m.disableOutProjection ? m.heads * m.patternSize : m.outputSize,
  };
}
