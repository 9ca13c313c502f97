/**
 * `HopfieldPooling`: learned state patterns (queries, in Hopfield space)
 * pool a set of stored patterns, e.g. the instances of a bag (hopfield-layers'
 * HopfieldPooling; quantity queries give quantity pooled vectors, flattened).
 */
import * as tf from '@tensorflow/tfjs';
import type { EngramModel } from '@engram/core';
import { associate, type Association } from './associate.js';
import { HopfieldModuleBase, type HopfieldModuleConfig } from './base.js';

/** Result of {@link HopfieldPooling.apply} (a type alias, so tf.tidy can return it). */
export type PoolingResult = {
  /** Pooled vectors, [B, quantity * outputSize]. */
  output: tf.Tensor2D;
  /** Association matrix [B, heads, quantity, S]. */
  association: tf.Tensor4D;
};

/**
 * Pooling with `quantity` learned queries.
 *
 * @example
 * const pool = new HopfieldPooling({ inputSize: 32, heads: 4, quantity: 1 });
 * const { output, association } = pool.apply(bags); // bags [B, S, 32] -> output [B, 32]
 */
export class HopfieldPooling extends HopfieldModuleBase implements EngramModel {
  /** Registered model id. */
  readonly kind = 'hopfield/pooling';

  constructor(config: HopfieldModuleConfig) {
    super(config);
    const c = this.config;
    this.addNorm('normStored', c.storedPatternSize, c.normalizeStoredPattern);
    this.addNorm('normProjection', c.patternProjectionSize, c.normalizePatternProjection);
    this.params.normal('queries', [1, c.quantity, c.heads * c.hiddenSize], 1 / Math.sqrt(c.hiddenSize));
    this.addLinear('key', c.storedPatternSize, c.heads * c.hiddenSize);
    this.addLinear('value', c.patternProjectionSize, c.heads * c.patternSize);
    if (!c.disableOutProjection) this.addLinear('out', c.heads * c.patternSize, c.outputSize);
  }

  /**
   * Pools `stored` [B, S, storedPatternSize] (values from `projection`, default
   * the same tensor): output [B, quantity * outputSize], association [B, heads, quantity, S].
   */
  apply(stored: tf.Tensor3D, projection?: tf.Tensor3D): PoolingResult {
    return tf.tidy(() => {
      const a = this.run(stored, projection, false);
      return { output: a.output.reshape([stored.shape[0], this.config.quantity * this.outDepth]) as tf.Tensor2D, association: a.association };
    });
  }

  /** Energy of the learned queries against each set, [B, heads, quantity] (differentiable). */
  energy(stored: tf.Tensor3D, projection?: tf.Tensor3D): tf.Tensor3D {
    return HopfieldModuleBase.energyOnly(this.run(stored, projection, true));
  }

  private run(stored: tf.Tensor3D, projection: tf.Tensor3D | undefined, withEnergy: boolean): Association {
    this.checkAlive();
    const c = this.config;
    const y = this.check3d('stored', stored, c.storedPatternSize);
    const v = this.check3d('projection', projection ?? stored, c.patternProjectionSize);
    return tf.tidy(() => {
      const k = this.project('key', this.norm('normStored', y, c.normalizeStoredPattern)) as tf.Tensor3D;
      const vv = this.project('value', this.norm('normProjection', v, c.normalizePatternProjection)) as tf.Tensor3D;
      const q = tf.tile(this.params.get('queries'), [y.shape[0], 1, 1]) as tf.Tensor3D;
      return this.finish(associate(q, k, vv, this.assocOptions(withEnergy)));
    });
  }

  /** The pooled output only, [B, quantity * outputSize]. */
  forward(stored: tf.Tensor3D, projection?: tf.Tensor3D): tf.Tensor2D {
    const { output, association } = this.apply(stored, projection);
    association.dispose();
    return output;
  }

  /** The association (softmax) matrix only, [B, heads, quantity, S]: how each learned query weighs the set. */
  associationMatrix(stored: tf.Tensor3D, projection?: tf.Tensor3D): tf.Tensor4D {
    const { output, association } = this.apply(stored, projection);
    output.dispose();
    return association;
  }
}
