/**
 * Attention masks: which keys each query may attend to (1 = allowed), turned into
 * the additive log-mask the energy uses. The diagonal (B = C) is removed when the
 * block excludes it; every query must keep at least one key, else its
 * log-sum-exp would be log 0.
 */
import * as tf from '@tensorflow/tfjs';
import { errors, toTensor, type TensorInput } from '@engram/core';
import { MASKED_LOGIT } from './energy.js';

/**
 * Builds the additive mask [Bm, 1, N, N] (Bm = 1 or the batch) from an optional
 * allowed-pairs mask ([N, N] or [B, N, N], 1 = allowed; rows are queries, columns
 * keys), or null when every pair is allowed. The caller owns the result.
 */
export function buildLogMask(tokens: number, allowed: TensorInput | undefined, excludeDiagonal: boolean): tf.Tensor | null {
  if (allowed === undefined && !excludeDiagonal) return null;
  if (excludeDiagonal && tokens < 2) throw errors.invalidArgument('tokens', 'at least 2 when the diagonal is excluded (a token needs another to attend to)', tokens);
  const mask = tf.tidy(() => {
    let m: tf.Tensor = allowed === undefined ? tf.ones([1, tokens, tokens]) : toTensor(allowed).toFloat();
    if (m.rank === 2) m = tf.expandDims(m, 0);
    if (m.rank !== 3 || m.shape[1] !== tokens || m.shape[2] !== tokens) {
      throw errors.shapeMismatch('attention mask', ['batch or 1', tokens, tokens], m.shape);
    }
    if (excludeDiagonal) m = tf.mul(m, tf.sub(1, tf.eye(tokens)));
    return m;
  });
  const rowOk = tf.tidy(() => tf.min(tf.max(tf.greater(mask, 0.5).toFloat(), -1)).dataSync()[0]!);
  if (rowOk < 1) {
    mask.dispose();
    throw errors.invalidArgument('attention mask', 'at least one allowed key per query (add self-loops for isolated graph nodes)', 'a query with no allowed key');
  }
  const log = tf.tidy(() => tf.expandDims(tf.mul(tf.sub(1, tf.greater(mask, 0.5).toFloat()), MASKED_LOGIT), 1));
  mask.dispose();
  return log;
}
