/**
 * The parts the image ET shares with its transformer baseline: a linear patch
 * encoder, a CLS token, a token standing in for hidden patches, a learned
 * position embedding, and a decoder (layer norm with a per-feature scale and
 * shift, then linear) back to patch pixels. Init scales follow the released ET
 * code (tokens and positions N(0, 0.002^2), linear maps N(0, 0.1^2)).
 */
import * as tf from '@tensorflow/tfjs';
import { errors } from '@engram/core';
import { normalizeLastAxis } from '../internal/normalize.js';
import { constantVariable, normalVariable } from '../internal/variables.js';

/** The codec's weights. */
export interface PatchCodecVariables {
  /** Patch encoder [P, D] and bias [D]. */
  encoder: tf.Variable;
  encoderBias: tf.Variable;
  /** The CLS token [D]. */
  cls: tf.Variable;
  /** The token that replaces a hidden patch [D]. */
  hiddenToken: tf.Variable;
  /** Position embedding [N + 1, D] (CLS first). */
  positions: tf.Variable;
  /** Decoder layer-norm scale and shift [D]. */
  decoderScale: tf.Variable;
  decoderShift: tf.Variable;
  /** Decoder [D, P] and bias [P]. */
  decoder: tf.Variable;
  decoderBias: tf.Variable;
}

/** Patch embedding and decoding around a token model. */
export class PatchCodec {
  readonly vars: PatchCodecVariables;

  constructor(readonly patchPixels: number, readonly patches: number, readonly size: number, seed: number) {
    this.vars = {
      encoder: normalVariable('encoder', [patchPixels, size], 0.1, seed * 11 + 1),
      encoderBias: constantVariable([size], 0),
      cls: normalVariable('cls', [size], 0.002, seed * 11 + 2),
      hiddenToken: normalVariable('hiddenToken', [size], 0.002, seed * 11 + 3),
      positions: normalVariable('positions', [patches + 1, size], 0.002, seed * 11 + 4),
      decoderScale: constantVariable([size], 1),
      decoderShift: constantVariable([size], 0),
      decoder: normalVariable('decoder', [size, patchPixels], 0.1, seed * 11 + 5),
      decoderBias: constantVariable([patchPixels], 0),
    };
  }

  /**
   * Tokens [B, N + 1, D]: CLS first, then the encoded patches with hidden ones
   * replaced by the hidden token, plus the position embedding.
   * `patches` [B, N, P]; `hidden` [B, N] (1 = hidden).
   */
  tokensOf(patches: tf.Tensor, hidden: tf.Tensor): tf.Tensor3D {
    const [B, N, P] = patches.shape as [number, number, number];
    if (N !== this.patches || P !== this.patchPixels) throw errors.shapeMismatch('patches', ['batch', this.patches, this.patchPixels], patches.shape);
    if (hidden.rank !== 2 || hidden.shape[0] !== B || hidden.shape[1] !== N) throw errors.shapeMismatch('hidden', [B, N], hidden.shape);
    const v = this.vars;
    return tf.tidy(() => {
      const enc = tf.add(tf.reshape(tf.matMul(tf.reshape(patches, [B * N, P]), v.encoder), [B, N, this.size]), v.encoderBias);
      const m = tf.expandDims(hidden, 2);
      const tok = tf.add(tf.mul(tf.sub(1, m), enc), tf.mul(m, v.hiddenToken));
      const cls = tf.tile(tf.reshape(v.cls, [1, 1, this.size]), [B, 1, 1]);
      return tf.add(tf.concat([cls, tok], 1), v.positions) as tf.Tensor3D;
    });
  }

  /** Patches [B, N, P] from tokens [B, N + 1, D] (the CLS token is dropped). */
  decode(tokens: tf.Tensor): tf.Tensor3D {
    const [B, N1, D] = tokens.shape as [number, number, number];
    const v = this.vars;
    return tf.tidy(() => {
      const x = tf.slice(tokens, [0, 1, 0], [B, N1 - 1, D]);
      const ln = tf.add(tf.mul(normalizeLastAxis(x), v.decoderScale), v.decoderShift);
      const out = tf.add(tf.matMul(tf.reshape(ln, [B * (N1 - 1), D]), v.decoder), v.decoderBias);
      return tf.reshape(out, [B, N1 - 1, this.patchPixels]) as tf.Tensor3D;
    });
  }

  /** The weights by name. */
  variables(): Record<string, tf.Variable> {
    return { ...this.vars };
  }

  dispose(): void {
    for (const v of Object.values(this.vars)) v.dispose();
  }
}
