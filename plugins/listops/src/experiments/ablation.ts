/**
 * Attention versus feed-forward reliance, by mean ablation: each kind of
 * sub-layer (every block's attention, or every block's feed-forward) has its
 * output replaced by its mean output over the real tokens of a reference set,
 * and the drop in solved test expressions is measured. Reliance is the drop
 * as a fraction of the way from the model's accuracy down to chance. The
 * sub-layers' mean output norms (how strongly each writes into the residual
 * stream) are reported too.
 */
import * as tf from '@tensorflow/tfjs';
import type { ListOpsExample } from '../listops/generate.js';
import { forwardSequenceLogits, forwardLogits, type ForwardOptions } from '../models/forward.js';
import type { ListOpsTransformer } from '../models/transformer.js';

/** Ablation results of one model on one test set. */
export interface AblationResult {
  readonly accuracy: number;
  readonly attentionAblated: number;
  readonly ffnAblated: number | null;
  /** (accuracy - ablated) / (accuracy - chance), clipped at 0; null when the model is at chance. */
  readonly attentionReliance: number | null;
  readonly ffnReliance: number | null;
  /** Mean L2 norm of the attention / feed-forward outputs per real token. */
  readonly attentionNorm: number;
  readonly ffnNorm: number | null;
}

/** Mean output [width] and mean norm of every sub-layer over the real tokens of `reference`. */
export function sublayerMeans(model: ListOpsTransformer, reference: readonly ListOpsExample[]): { means: Record<string, tf.Tensor1D>; norms: Record<string, number> } {
  const data = model.encode(reference);
  const tokens = tf.tensor2d(data.tokens, [data.count, data.seqLen], 'int32');
  const sums: Record<string, tf.Tensor1D> = {};
  const norms: Record<string, number> = {};
  const options: ForwardOptions = {
    record: (name, out, mask) => {
      const width = out.shape[out.shape.length - 1]!;
      const flat = tf.reshape(out, [-1, width]);
      const m = mask ? tf.reshape(mask, [-1, 1]) : tf.ones([flat.shape[0]!, 1]);
      const count = tf.sum(m);
      sums[name] = tf.keep(tf.div(tf.sum(tf.mul(flat, m), 0), count) as tf.Tensor1D);
      norms[name] = tf.div(tf.sum(tf.mul(tf.norm(flat, 2, 1, true), m)), count).dataSync()[0]!;
    },
  };
  tf.tidy(() => (model.shape.layout === 'cot' ? forwardSequenceLogits(model.variables(), tokens, model.config, model.shape, options) : forwardLogits(model.variables(), tokens, model.config, model.shape, options)));
  tokens.dispose();
  return { means: sums, norms };
}

/** Mean-ablation of attention and of feed-forward on `test`, with means taken over `reference`. */
export function ablate(model: ListOpsTransformer, test: readonly ListOpsExample[], reference: readonly ListOpsExample[], chance: number): AblationResult {
  const { means, norms } = sublayerMeans(model, reference);
  try {
    const pick = (prefix: string): Record<string, tf.Tensor1D> => Object.fromEntries(Object.entries(means).filter(([k]) => k.startsWith(prefix)));
    const accuracy = model.accuracy(test);
    const attentionAblated = model.accuracy(test, { replace: pick('attn') });
    const hasFfn = model.shape.hidden > 0;
    const ffnAblated = hasFfn ? model.accuracy(test, { replace: pick('ffn') }) : null;
    const reliance = (ablated: number | null): number | null => (ablated === null || accuracy - chance < 0.05 ? null : Math.max(0, (accuracy - ablated) / (accuracy - chance)));
    const mean = (prefix: string): number | null => {
      const xs = Object.entries(norms).filter(([k]) => k.startsWith(prefix)).map(([, v]) => v);
      return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
    };
    return {
      accuracy,
      attentionAblated,
      ffnAblated,
      attentionReliance: reliance(attentionAblated),
      ffnReliance: reliance(ffnAblated),
      attentionNorm: mean('attn') ?? 0,
      ffnNorm: mean('ffn'),
    };
  } finally {
    for (const t of Object.values(means)) t.dispose();
  }
}
