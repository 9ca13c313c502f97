/**
 * `Hopfield`: the association module of hopfield-layers. Stored patterns Y,
 * state patterns R and pattern projections V are normalised, projected into
 * Hopfield space (heads), associated by softmax(beta R W_Q (Y W_K)^T) and
 * read out through V W_V and an output projection. The association matrix is
 * exposed to diagnose metastable states (rows spread over several patterns).
 */
import * as tf from '@tensorflow/tfjs';
import type { EngramModel } from '@engram/core';
import { associate, type Association } from './associate.js';
import { HopfieldModuleBase, type HopfieldModuleConfig } from './base.js';

/** Input of {@link Hopfield}: one tensor used as all three, or each given. */
export type HopfieldInput = tf.Tensor3D | { stored: tf.Tensor3D; state: tf.Tensor3D; projection?: tf.Tensor3D };

/**
 * Trainable Hopfield association (hopfield-layers' `Hopfield`).
 *
 * @example
 * const hf = new Hopfield({ inputSize: 16, heads: 2 });
 * const out = hf.apply({ stored: y, state: r });  // out.output [B, L, 16], out.association [B, 2, L, S]
 */
export class Hopfield extends HopfieldModuleBase implements EngramModel {
  /** Registered model id. */
  readonly kind = 'hopfield/association';

  constructor(config: HopfieldModuleConfig) {
    super(config);
    const c = this.config;
    this.addNorm('normStored', c.storedPatternSize, c.normalizeStoredPattern);
    this.addNorm('normState', c.inputSize, c.normalizeStatePattern);
    this.addNorm('normProjection', c.patternProjectionSize, c.normalizePatternProjection);
    this.addLinear('query', c.inputSize, c.heads * c.hiddenSize);
    this.addLinear('key', c.storedPatternSize, c.heads * c.hiddenSize);
    this.addLinear('value', c.patternProjectionSize, c.heads * c.patternSize);
    if (!c.disableOutProjection) this.addLinear('out', c.heads * c.patternSize, c.outputSize);
  }

  /** Output [B, L, outputSize] and association [B, heads, L, S] (new tensors; differentiable). */
  apply(input: HopfieldInput): Association {
    return this.run(input, false);
  }

  /**
   * Energy of the (updated) state patterns in Hopfield space, per head and
   * state pattern: [B, heads, L] (differentiable). Lower is closer to a stored pattern.
   */
  energy(input: HopfieldInput): tf.Tensor3D {
    return HopfieldModuleBase.energyOnly(this.run(input, true));
  }

  private run(input: HopfieldInput, withEnergy: boolean): Association {
    this.checkAlive();
    const c = this.config;
    const { stored, state, projection } = input instanceof tf.Tensor ? { stored: input, state: input, projection: input } : input;
    const y = this.check3d('stored', stored, c.storedPatternSize);
    const r = this.check3d('state', state, c.inputSize);
    const v = this.check3d('projection', projection ?? stored, c.patternProjectionSize);
    return tf.tidy(() => {
      const q = this.project('query', this.norm('normState', r, c.normalizeStatePattern)) as tf.Tensor3D;
      const k = this.project('key', this.norm('normStored', y, c.normalizeStoredPattern)) as tf.Tensor3D;
      const vv = this.project('value', this.norm('normProjection', v, c.normalizePatternProjection)) as tf.Tensor3D;
      return this.finish(associate(q, k, vv, this.assocOptions(withEnergy)));
    });
  }

  /** The output only, [B, L, outputSize]. */
  forward(input: HopfieldInput): tf.Tensor3D {
    const { output, association } = this.apply(input);
    association.dispose();
    return output;
  }

  /** The association (softmax) matrix only, [B, heads, L, S]. */
  associationMatrix(input: HopfieldInput): tf.Tensor4D {
    const { output, association } = this.apply(input);
    output.dispose();
    return association;
  }
}
