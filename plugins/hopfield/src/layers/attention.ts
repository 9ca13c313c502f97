/**
 * `HopfieldAttentionLayer`: hopfield-layers' Hopfield module as a tf.layers
 * layer. State patterns (queries) come from an input, stored patterns (and
 * their projections) from another input or the same one (self-association).
 */
import * as tf from '@tensorflow/tfjs';
import { z } from '@engram/core';
import { HopfieldLayerBase, lastAxis, shapeList, tensorList, type LayerArgs, type LayerKwargs } from './base.js';
import { layerShape } from './config.js';

/** Options of {@link HopfieldAttentionLayer}: the shared keys. */
export const attentionLayerSchema = z.strictObject(layerShape);

/** Options of a {@link HopfieldAttentionLayer} as written, with tf.layers' own arguments. */
export type HopfieldAttentionLayerArgs = z.input<typeof attentionLayerSchema> & LayerArgs;

/** Parsed options of a {@link HopfieldAttentionLayer}. */
export type HopfieldAttentionLayerOptions = z.output<typeof attentionLayerSchema>;

/**
 * Hopfield association as a tf.layers layer. Inputs, in hopfield-layers'
 * order: one tensor [batch, L, features] used as stored patterns, state
 * patterns and pattern projections; or `[stored, state]` (projections = stored);
 * or `[stored, state, projection]`; with `maskInput`, a last input of forbidden
 * pairs ([batch, S] or [batch, L, S]). Output [batch, L, outDepth]. Weights:
 * the layer norms and the query, key, value and output projections (those not
 * switched off by the `*AsStatic` and `disableOutProjection` options).
 *
 * @example
 * const tokens = tf.input({ shape: [10, 16] });
 * const mixed = new HopfieldAttentionLayer({ heads: 2 }).apply(tokens) as tf.SymbolicTensor; // [batch, 10, 16]
 */
export class HopfieldAttentionLayer extends HopfieldLayerBase<HopfieldAttentionLayerOptions> {
  /** The class name in a saved model's topology (tf.serialization.registerClass registers it, package 'engram'). */
  static readonly className = 'HopfieldAttentionLayer';

  constructor(args: HopfieldAttentionLayerArgs = {}) {
    super(HopfieldAttentionLayer.className, attentionLayerSchema, args);
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shapes = this.patternShapes(inputShape);
    this.resolve({ stored: lastAxis(shapes[0]), state: lastAxis(shapes[1] ?? shapes[0]), projection: lastAxis(shapes[2] ?? shapes[0]) });
    this.addNorms();
    this.addProjections(true);
    super.build(inputShape);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shapes = this.patternShapes(inputShape);
    const state = shapes[1] ?? shapes[0]!;
    return [state[0] ?? null, state[1] ?? null, this.settings.outDepth];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: LayerKwargs): tf.Tensor {
    return tf.tidy(() => {
      const s = this.settings;
      const { patterns, mask } = this.splitMask(tensorList(inputs));
      const y = patterns[0]!;
      const r = patterns[1] ?? y;
      const v = patterns[2] ?? y;
      this.checkDepth('stored patterns', y, 3, s.storedPatternSize);
      this.checkDepth('state patterns', r, 3, s.inputSize);
      this.checkDepth('pattern projections', v, 3, s.patternProjectionSize);
      return this.associateAll(r as tf.Tensor3D, y as tf.Tensor3D, v as tf.Tensor3D, mask, HopfieldLayerBase.isTraining(kwargs));
    });
  }

  /** The shapes of the pattern inputs (without the mask input). */
  private patternShapes(inputShape: tf.Shape | tf.Shape[]): tf.Shape[] {
    const shapes = shapeList(inputShape);
    return this.options.maskInput ? shapes.slice(0, -1) : shapes;
  }
}

tf.serialization.registerClass(HopfieldAttentionLayer, 'engram');
