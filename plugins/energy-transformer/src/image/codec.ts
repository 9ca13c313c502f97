/**
 * The parts shared by the image ET and its transformer baseline: a linear patch
 * encoder, CLS and MASK tokens, a learned position embedding, and a decoder
 * (LayerNorm + linear) back to patch pixels. Init scales follow the released ET
 * code (tokens and positions N(0, 0.002^2), linear maps N(0, 0.1^2)).
 */
import * as tf from '@tensorflow/tfjs';
import { errors } from '@engram/core';
import { constantVariable, normalVariable } from '../internal/ops.js';

/** Variables of a {@link PatchCodec}. */
export interface PatchCodecVariables {
  encW: tf.Variable;
  encB: tf.Variable;
  cls: tf.Variable;
  maskToken: tf.Variable;
  pos: tf.Variable;
  decGamma: tf.Variable;
  decBeta: tf.Variable;
  decW: tf.Variable;
  decB: tf.Variable;
}

/** Patch embedding and decoding around a token model. */
export class PatchCodec {
  readonly vars: PatchCodecVariables;

  constructor(readonly patchPixels: number, readonly tokens: number, readonly dim: number, seed: number) {
    this.vars = {
      encW: normalVariable([patchPixels, dim], 0.1, seed * 11 + 1),
      encB: constantVariable([dim], 0),
      cls: normalVariable([dim], 0.002, seed * 11 + 2),
      maskToken: normalVariable([dim], 0.002, seed * 11 + 3),
      pos: normalVariable([tokens + 1, dim], 0.002, seed * 11 + 4),
      decGamma: constantVariable([dim], 1),
      decBeta: constantVariable([dim], 0),
      decW: normalVariable([dim, patchPixels], 0.1, seed * 11 + 5),
      decB: constantVariable([patchPixels], 0),
    };
  }

  /**
   * Tokens [B, N + 1, D]: CLS first, then the encoded patches with masked ones
   * replaced by the MASK token, plus the position embedding.
   * `patches` [B, N, P]; `mask` [B, N] (1 = masked).
   */
  tokensOf(patches: tf.Tensor, mask: tf.Tensor): tf.Tensor3D {
    const [B, N, P] = patches.shape as [number, number, number];
    if (N !== this.tokens || P !== this.patchPixels) throw errors.shapeMismatch('patches', ['batch', this.tokens, this.patchPixels], patches.shape);
    if (mask.rank !== 2 || mask.shape[0] !== B || mask.shape[1] !== N) throw errors.shapeMismatch('patch mask', [B, N], mask.shape);
    return tf.tidy(() => {
      const enc = tf.add(tf.reshape(tf.matMul(tf.reshape(patches, [B * N, P]) as tf.Tensor2D, this.vars.encW as tf.Tensor2D), [B, N, this.dim]), this.vars.encB);
      const m = tf.expandDims(mask, 2);
      const tok = tf.add(tf.mul(tf.sub(1, m), enc), tf.mul(m, this.vars.maskToken));
      const cls = tf.tile(tf.reshape(this.vars.cls, [1, 1, this.dim]), [B, 1, 1]);
      return tf.add(tf.concat([cls, tok], 1), this.vars.pos) as tf.Tensor3D;
    });
  }

  /** Patches [B, N, P] from final tokens [B, N + 1, D] (the CLS token is dropped). */
  decode(tokens: tf.Tensor): tf.Tensor3D {
    const [B, N1, D] = tokens.shape as [number, number, number];
    return tf.tidy(() => {
      const x = tf.slice(tokens, [0, 1, 0], [B, N1 - 1, D]);
      const c = tf.sub(x, tf.mean(x, -1, true));
      const ln = tf.add(tf.mul(tf.div(c, tf.sqrt(tf.add(tf.mean(tf.square(c), -1, true), 1e-5))), this.vars.decGamma), this.vars.decBeta);
      const out = tf.add(tf.matMul(tf.reshape(ln, [B * (N1 - 1), D]) as tf.Tensor2D, this.vars.decW as tf.Tensor2D), this.vars.decB);
      return tf.reshape(out, [B, N1 - 1, this.patchPixels]) as tf.Tensor3D;
    });
  }

  variables(): tf.Variable[] {
    return Object.values(this.vars);
  }

  dispose(): void {
    for (const v of this.variables()) v.dispose();
  }
}

/** Mean squared error over the masked patches only: sum(m (pred - target)^2) / (sum(m) P). */
export function maskedPatchMse(pred: tf.Tensor, target: tf.Tensor, mask: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const P = pred.shape[2]!;
    const se = tf.sum(tf.mul(tf.expandDims(mask, 2), tf.square(tf.sub(pred, target))));
    return tf.div(se, tf.mul(tf.maximum(tf.sum(mask), 1), P)) as tf.Scalar;
  });
}
