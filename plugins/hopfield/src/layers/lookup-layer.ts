/**
 * `HopfieldLayer`: the state patterns come from the input, the stored
 * patterns and their projections are learned (hopfield-layers' HopfieldLayer,
 * a lookup into `quantity` trainable memories — a drop-in for a dense layer
 * or an SVM-like prototype layer).
 */
import * as tf from '@tensorflow/tfjs';
import type { EngramModel } from '@engram/core';
import { associate, type Association } from './associate.js';
import { HopfieldModuleBase, type HopfieldModuleConfig } from './base.js';

/**
 * Layer with `quantity` learned stored patterns (keys) and targets (values).
 *
 * @example
 * const layer = new HopfieldLayer({ inputSize: 20, quantity: 8, outputSize: 3 });
 * const { output, association } = layer.apply(x); // x [B, L, 20] -> [B, L, 3], association [B, 1, L, 8]
 */
export class HopfieldLayer extends HopfieldModuleBase implements EngramModel {
  /** Registered model id. */
  readonly kind = 'hopfield/layer';

  constructor(config: HopfieldModuleConfig) {
    super(config);
    const c = this.config;
    this.addNorm('normState', c.inputSize, c.normalizeStatePattern);
    this.addLinear('query', c.inputSize, c.heads * c.hiddenSize);
    this.params.normal('lookupKeys', [1, c.quantity, c.heads * c.hiddenSize], 1 / Math.sqrt(c.hiddenSize));
    this.params.normal('lookupValues', [1, c.quantity, c.heads * c.patternSize], 1 / Math.sqrt(c.patternSize));
    if (!c.disableOutProjection) this.addLinear('out', c.heads * c.patternSize, c.outputSize);
  }

  /** Output [B, L, outputSize] and association [B, heads, L, quantity] for state patterns x [B, L, inputSize]. */
  apply(x: tf.Tensor3D): Association {
    return this.run(x, false);
  }

  /** Energy of the state patterns against the learned stored patterns, [B, heads, L] (differentiable). */
  energy(x: tf.Tensor3D): tf.Tensor3D {
    return HopfieldModuleBase.energyOnly(this.run(x, true));
  }

  private run(x: tf.Tensor3D, withEnergy: boolean): Association {
    this.checkAlive();
    const c = this.config;
    const r = this.check3d('input', x, c.inputSize);
    return tf.tidy(() => {
      const q = this.project('query', this.norm('normState', r, c.normalizeStatePattern)) as tf.Tensor3D;
      const k = this.params.get('lookupKeys') as unknown as tf.Tensor3D;
      const v = this.params.get('lookupValues') as unknown as tf.Tensor3D;
      return this.finish(associate(q, k, v, this.assocOptions(withEnergy)));
    });
  }

  /** The output only. */
  forward(x: tf.Tensor3D): tf.Tensor3D {
    const { output, association } = this.apply(x);
    association.dispose();
    return output;
  }

  /** The association (softmax) matrix only, [B, heads, L, quantity]: which learned patterns each input selects. */
  associationMatrix(x: tf.Tensor3D): tf.Tensor4D {
    const { output, association } = this.apply(x);
    output.dispose();
    return association;
  }
}
