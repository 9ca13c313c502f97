/**
 * A second, differently shaped attention model for the memory tests: one
 * attention-only layer (no MLP, no layer norm), 3 heads of size 5, learned
 * absolute positions, separate input and output embeddings. It implements the
 * AttentionModel hook with nothing but the package's `attention` primitive.
 */
import * as tf from '@tensorflow/tfjs';
import { attention, causalMask, type AttentionHook, type AttentionLayerShape, type AttentionModel } from '../../src/index.js';

export class TinyAttentionLm implements AttentionModel {
  readonly attentionLayers: readonly AttentionLayerShape[] = [{ heads: 3, headSize: 5 }];
  readonly contextLength = 12;
  readonly vocabularySize = 7;
  private readonly vars: Record<string, tf.Variable>;

  constructor(seed = 3) {
    const n = (shape: number[], s: number): tf.Variable => tf.variable(tf.randomNormal(shape, 0, 0.5, 'float32', seed + s));
    this.vars = { embed: n([7, 15], 1), position: n([12, 15], 2), qkv: n([15, 45], 3), out: n([15, 7], 4) };
  }

  variables(): Record<string, tf.Variable> {
    return { ...this.vars };
  }

  logitsWithHook(tokens: tf.Tensor2D, hook?: AttentionHook): tf.Tensor3D {
    return tf.tidy(() => {
      const [b, t] = tokens.shape;
      const x = tf.add(tf.gather(this.vars['embed']!, tf.cast(tokens, 'int32')), tf.slice(this.vars['position']!, [0, 0], [t, 15]));
      const heads = (m: tf.Tensor): tf.Tensor4D => tf.transpose(m.reshape([b, t, 3, 5]), [0, 2, 1, 3]) as tf.Tensor4D;
      const [q, k, v] = tf.split(tf.matMul(x.reshape([b * t, 15]), this.vars['qkv']!), 3, 1).map(heads) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
      const entries = hook?.attend({ layer: 0, queries: q, keys: k, values: v });
      const att = attention(q, k, v, causalMask(t), entries ? { queries: q, ...entries } : undefined);
      const h = tf.add(x, tf.transpose(att, [0, 2, 1, 3]).reshape([b, t, 15]));
      return tf.matMul(h.reshape([b * t, 15]), this.vars['out']!).reshape([b, t, 7]) as tf.Tensor3D;
    });
  }

  dispose(): void {
    for (const v of Object.values(this.vars)) v.dispose();
  }
}
