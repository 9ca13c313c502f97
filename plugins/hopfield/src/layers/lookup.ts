/**
 * `HopfieldLookupLayer`: hopfield-layers' HopfieldLayer as a tf.layers layer.
 * State patterns come from the input; the stored patterns are `memories`
 * learned lookup weights (and, separated, learned targets as pattern
 * projections): a lookup table, a drop-in for a dense layer or a prototype layer.
 */
import * as tf from '@tensorflow/tfjs';
import { EngramError, ErrorCodes, z } from '@engram/core';
import { HopfieldLayerBase, lastAxis, shapeList, tensorList, type LayerArgs, type LayerKwargs } from './base.js';
import { layerShape } from './config.js';

/**
 * Options of {@link HopfieldLookupLayer}: the shared keys, `memories` (the
 * number of learned stored patterns; hopfield-layers calls it `quantity`) and
 * the lookup switches.
 */
export const lookupLayerSchema = z.strictObject({
  ...layerShape,
  memories: z.number().int().positive().default(1).describe('number of learned stored patterns (hopfield-layers quantity)'),
  lookupWeightsAsSeparated: z.boolean().default(false).describe('learn separate targets as the pattern projections (else the lookup weights are both)'),
  lookupWeightsTrainable: z.boolean().default(true).describe('whether model.fit trains the lookup weights (hopfield-layers trainable)'),
  lookupTargetsAsTrainable: z.boolean().default(true).describe('whether model.fit trains the separated targets'),
});

/** Options of a {@link HopfieldLookupLayer} as written, with tf.layers' own arguments. */
export type HopfieldLookupLayerArgs = z.input<typeof lookupLayerSchema> & LayerArgs;

/** Parsed options of a {@link HopfieldLookupLayer}. */
export type HopfieldLookupLayerOptions = z.output<typeof lookupLayerSchema>;

/** Initial std of the lookup weights and targets (hopfield-layers' 0.02). */
const LOOKUP_STD = 0.02;

/**
 * Hopfield lookup as a tf.layers layer. Input: state patterns
 * [batch, L, features] -> [batch, L, outDepth], or [batch, features] ->
 * [batch, outDepth] (one state pattern per sample, as a dense layer); with
 * `maskInput`, a last input of forbidden pairs ([batch, memories] or
 * [batch, L, memories]). Weights: the lookup weights [1, memories,
 * storedPatternSize] (hiddenSize with `storedPatternAsStatic`), the targets
 * with `lookupWeightsAsSeparated`, the layer norms and the projections.
 *
 * @example
 * const classifier = tf.sequential({ layers: [
 *   new HopfieldLookupLayer({ inputShape: [4], memories: 8, outputSize: 3 }),
 *   tf.layers.softmax(),
 * ] });
 */
export class HopfieldLookupLayer extends HopfieldLayerBase<HopfieldLookupLayerOptions> {
  /** The class name in a saved model's topology (tf.serialization.registerClass registers it, package 'engram'). */
  static readonly className = 'HopfieldLookupLayer';

  constructor(args: HopfieldLookupLayerArgs = {}) {
    super(HopfieldLookupLayer.className, lookupLayerSchema, args);
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const o = this.options;
    const s = this.resolve({ state: lastAxis(shapeList(inputShape)[0]) });
    if (!o.lookupWeightsAsSeparated && s.patternProjectionSize !== s.storedPatternSize) {
      throw new EngramError(
        ErrorCodes.INVALID_CONFIG,
        `config key 'patternProjectionSize' of ${HopfieldLookupLayer.className} must equal storedPatternSize (${s.storedPatternSize}) unless lookupWeightsAsSeparated: the lookup weights are the pattern projections too`,
        { owner: HopfieldLookupLayer.className, key: 'patternProjectionSize' },
      );
    }
    this.addNorms();
    this.weight('lookupWeights', [1, o.memories, s.storedPatternSize], { std: LOOKUP_STD }, o.lookupWeightsTrainable);
    if (o.lookupWeightsAsSeparated) this.weight('targetWeights', [1, o.memories, s.patternProjectionSize], { std: LOOKUP_STD }, o.lookupTargetsAsTrainable);
    this.addProjections(true);
    super.build(inputShape);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const x = shapeList(inputShape)[0]!;
    return x.length === 2 ? [x[0] ?? null, this.settings.outDepth] : [x[0] ?? null, x[1] ?? null, this.settings.outDepth];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: LayerKwargs): tf.Tensor {
    return tf.tidy(() => {
      const s = this.settings;
      const { patterns, mask } = this.splitMask(tensorList(inputs));
      const x = patterns[0]!;
      const flat = x.rank === 2;
      const r = (flat ? x.expandDims(1) : x) as tf.Tensor3D;
      this.checkDepth('state patterns', r, 3, s.inputSize);
      const y = this.value('lookupWeights') as tf.Tensor3D;
      const v = this.options.lookupWeightsAsSeparated ? (this.value('targetWeights') as tf.Tensor3D) : y;
      const out = this.associateAll(r, y, v, mask, HopfieldLayerBase.isTraining(kwargs));
      return flat ? out.squeeze([1]) : out;
    });
  }
}

tf.serialization.registerClass(HopfieldLookupLayer, 'engram');
