/**
 * `HopfieldPoolingLayer`: hopfield-layers' HopfieldPooling as a tf.layers
 * layer. `quantity` learned state patterns (its pooling weights) query a set
 * of stored patterns, e.g. the instances of a bag, and give `quantity` pooled
 * vectors, flattened: [batch, instances, features] -> [batch, quantity * outDepth].
 */
import * as tf from '@tensorflow/tfjs';
import { z } from '@engram/core';
import { HopfieldLayerBase, lastAxis, shapeList, tensorList, type LayerArgs, type LayerKwargs } from './base.js';
import { layerShape } from './config.js';

/** Options of {@link HopfieldPoolingLayer}: the shared keys, `quantity` and whether the pooling weights train. */
export const poolingLayerSchema = z.strictObject({
  ...layerShape,
  quantity: z.number().int().positive().default(1).describe('number of learned state patterns (pooled vectors per set)'),
  poolingWeightsTrainable: z.boolean().default(true).describe('whether model.fit trains the learned state patterns (hopfield-layers trainable)'),
});

/** Options of a {@link HopfieldPoolingLayer} as written, with tf.layers' own arguments. */
export type HopfieldPoolingLayerArgs = z.input<typeof poolingLayerSchema> & LayerArgs;

/** Parsed options of a {@link HopfieldPoolingLayer}. */
export type HopfieldPoolingLayerOptions = z.output<typeof poolingLayerSchema>;

/** The learned state patterns' initial std (hopfield-layers' 0.02; the state norm rescales them anyway). */
const POOLING_STD = 0.02;

/**
 * Hopfield pooling as a tf.layers layer. Input: the stored patterns
 * [batch, S, features] (used as pattern projections too), or
 * `[stored, projection]`; with `maskInput`, a last input of forbidden pairs
 * ([batch, S] masks padded instances). Output [batch, quantity * outDepth]
 * (outDepth = outputSize, default the state depth; heads * patternSize with
 * `disableOutProjection`). Weights: the pooling weights
 * [1, quantity, inputSize] (hiddenSize with `statePatternAsStatic`), the
 * layer norms and the projections, all trained by `model.fit` (the pooling
 * weights unless `poolingWeightsTrainable: false`).
 *
 * @example
 * const model = tf.sequential({ layers: [
 *   new HopfieldPoolingLayer({ inputShape: [8, 16], heads: 2, hiddenSize: 8, outputSize: 8 }),
 *   tf.layers.dense({ units: 1, activation: 'sigmoid' }),
 * ] });
 */
export class HopfieldPoolingLayer extends HopfieldLayerBase<HopfieldPoolingLayerOptions> {
  /** The class name in a saved model's topology (tf.serialization.registerClass registers it, package 'engram'). */
  static readonly className = 'HopfieldPoolingLayer';

  constructor(args: HopfieldPoolingLayerArgs = {}) {
    super(HopfieldPoolingLayer.className, poolingLayerSchema, args);
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shapes = shapeList(inputShape);
    const o = this.options;
    const stored = lastAxis(shapes[0]);
    const s = this.resolve({
      // Static pooling weights live in Hopfield space, so the state depth is hiddenSize.
      state: o.statePatternAsStatic ? (o.hiddenSize ?? o.inputSize ?? stored) : undefined,
      stored,
      projection: shapes.length > (o.maskInput ? 2 : 1) ? lastAxis(shapes[1]) : stored,
    });
    this.addNorms();
    this.weight('poolingWeights', [1, o.quantity, s.inputSize], { std: POOLING_STD }, o.poolingWeightsTrainable);
    this.addProjections(true);
    super.build(inputShape);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return [shapeList(inputShape)[0]![0] ?? null, this.options.quantity * this.settings.outDepth];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: LayerKwargs): tf.Tensor {
    return tf.tidy(() => {
      const s = this.settings;
      const { patterns, mask } = this.splitMask(tensorList(inputs));
      const y = patterns[0]!;
      const v = patterns[1] ?? y;
      this.checkDepth('stored patterns', y, 3, s.storedPatternSize);
      this.checkDepth('pattern projections', v, 3, s.patternProjectionSize);
      const b = y.shape[0]!;
      const r = tf.tile(this.value('poolingWeights'), [b, 1, 1]) as tf.Tensor3D;
      const out = this.associateAll(r, y as tf.Tensor3D, v as tf.Tensor3D, mask, HopfieldLayerBase.isTraining(kwargs));
      return out.reshape([b, this.options.quantity * s.outDepth]);
    });
  }
}

tf.serialization.registerClass(HopfieldPoolingLayer, 'engram');
