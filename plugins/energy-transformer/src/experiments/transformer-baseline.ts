/**
 * Baseline for hidden-patch completion: a standard pre-LayerNorm transformer
 * encoder (softmax attention with values and output projection, ReLU MLP) with
 * the same patch codec, width and token layout as the image ET, and a hidden MLP
 * size chosen to match the ET's parameter count.
 */
import * as tf from '@tensorflow/tfjs';
import { errors } from '@engram/core';
import { normalizeLastAxis } from '../internal/normalize.js';
import { constantVariable, normalVariable, parameterCount } from '../internal/variables.js';
import type { HiddenPatchModel } from '../models/image.js';
import { PatchCodec } from '../models/patch-codec.js';

/** Options of {@link TransformerEncoderBaseline}. */
export interface TransformerBaselineOptions {
  tokens: number;
  patchPixels: number;
  dim: number;
  heads: number;
  layers: number;
  mlpHidden: number;
  seed?: number;
}

interface LayerVars {
  ln1g: tf.Variable;
  ln1b: tf.Variable;
  wq: tf.Variable;
  wk: tf.Variable;
  wv: tf.Variable;
  wo: tf.Variable;
  ln2g: tf.Variable;
  ln2b: tf.Variable;
  w1: tf.Variable;
  b1: tf.Variable;
  w2: tf.Variable;
  b2: tf.Variable;
}

function layerNorm(x: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.add(tf.mul(normalizeLastAxis(x), g), b);
}

/**
 * The MLP hidden size that makes a `layers`-deep encoder of width `dim` have about
 * `targetParams` parameters in its layers (at least `dim / 4`).
 */
export function matchedMlpHidden(targetParams: number, dim: number, layers: number): number {
  const attn = 4 * dim * dim + 4 * dim; // q, k, v, o + two LayerNorms
  const perHidden = 2 * dim + 1;
  return Math.max(Math.floor(dim / 4), Math.round((targetParams / layers - attn - dim) / perHidden));
}

/** A standard transformer encoder for hidden-patch completion. */
export class TransformerEncoderBaseline implements HiddenPatchModel {
  readonly codec: PatchCodec;
  private readonly layerVars: LayerVars[] = [];

  constructor(readonly options: TransformerBaselineOptions) {
    const { dim, heads, layers, mlpHidden } = options;
    if (!Number.isInteger(heads) || heads < 1 || dim % heads !== 0) throw errors.invalidArgument('baseline heads', `a divisor of dim ${dim}`, heads);
    if (!Number.isInteger(layers) || layers < 1) throw errors.invalidArgument('baseline layers', 'a positive integer', layers);
    const seed = options.seed ?? 0;
    this.codec = new PatchCodec(options.patchPixels, options.tokens, dim, seed + 500);
    const s = 1 / Math.sqrt(dim);
    for (let l = 0; l < layers; l++) {
      const k = 1000 + seed * 97 + l * 13;
      this.layerVars.push({
        ln1g: constantVariable([dim], 1),
        ln1b: constantVariable([dim], 0),
        wq: normalVariable('wq', [dim, dim], s, k + 1),
        wk: normalVariable('wk', [dim, dim], s, k + 2),
        wv: normalVariable('wv', [dim, dim], s, k + 3),
        wo: normalVariable('wo', [dim, dim], s / Math.sqrt(2 * layers), k + 4),
        ln2g: constantVariable([dim], 1),
        ln2b: constantVariable([dim], 0),
        w1: normalVariable('w1', [dim, mlpHidden], s, k + 5),
        b1: constantVariable([mlpHidden], 0),
        w2: normalVariable('w2', [mlpHidden, dim], 1 / Math.sqrt(mlpHidden) / Math.sqrt(2 * layers), k + 6),
        b2: constantVariable([dim], 0),
      });
    }
  }

  private layer(x: tf.Tensor, v: LayerVars): tf.Tensor {
    const [B, N, D] = x.shape as [number, number, number];
    const H = this.options.heads;
    const Y = D / H;
    const mm = (a: tf.Tensor, w: tf.Variable): tf.Tensor => tf.matMul(tf.reshape(a, [-1, a.shape[a.rank - 1]!]) as tf.Tensor2D, w as tf.Tensor2D);
    const heads = (t: tf.Tensor): tf.Tensor => tf.reshape(tf.transpose(tf.reshape(t, [B, N, H, Y]), [0, 2, 1, 3]), [B * H, N, Y]);
    const h = layerNorm(x, v.ln1g, v.ln1b);
    const q = heads(mm(h, v.wq));
    const k = heads(mm(h, v.wk));
    const val = heads(mm(h, v.wv));
    const att = tf.softmax(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(Y)));
    const ctx = tf.reshape(tf.transpose(tf.reshape(tf.matMul(att, val), [B, H, N, Y]), [0, 2, 1, 3]), [B * N, D]);
    const x1 = tf.add(x, tf.reshape(mm(ctx, v.wo), [B, N, D]));
    const h2 = layerNorm(x1, v.ln2g, v.ln2b);
    const f = tf.add(mm(tf.relu(tf.add(mm(h2, v.w1), v.b1)), v.w2), v.b2);
    return tf.add(x1, tf.reshape(f, [B, N, D]));
  }

  predict(patches: tf.Tensor, hidden: tf.Tensor): tf.Tensor3D {
    return tf.tidy(() => {
      let x: tf.Tensor = this.codec.tokensOf(patches, hidden);
      for (const v of this.layerVars) x = this.layer(x, v);
      return this.codec.decode(x);
    });
  }

  variables(): Record<string, tf.Variable> {
    const out: Record<string, tf.Variable> = {};
    for (const [k, v] of Object.entries(this.codec.variables())) out[`codec/${k}`] = v;
    this.layerVars.forEach((l, i) => {
      for (const [k, v] of Object.entries(l)) out[`layer${i}/${k}`] = v;
    });
    return out;
  }

  parameterCount(): number {
    return parameterCount(this.variables());
  }

  dispose(): void {
    for (const v of Object.values(this.variables())) v.dispose();
  }
}

/**
 * The mean-patch baseline: each hidden patch is filled with the mean of the
 * training patches at the same position. `trainPatches` [n, N, P] -> [N, P].
 */
export function meanTrainingPatch(trainPatches: tf.Tensor3D): tf.Tensor2D {
  return tf.mean(trainPatches, 0) as tf.Tensor2D;
}
