/**
 * Scoring a chain-of-thought model the honest way: greedy decoding. The
 * expression's tokens are given; every value slot is filled, left to right,
 * with the model's own prediction (so an early mistake carries on), and the
 * expression counts as solved when the last value written equals its value.
 * Causal attention makes later (not yet written) slots irrelevant to earlier
 * predictions, so one pass per slot serves the whole batch.
 */
import * as tf from '@tensorflow/tfjs';
import type { EncodedExamples } from '../listops/tokenizer.js';
import { valueTokenId } from '../listops/tokenizer.js';

/** Per-expression outcome of decoding. */
export interface DecodeResult {
  /** The last value written for each expression. */
  readonly answers: Int32Array;
  /** Fraction of expressions whose last written value is their value. */
  readonly accuracy: number;
  /** Fraction of value slots predicted right when every earlier slot is the true one (teacher forcing). */
  readonly stepAccuracy: number;
}

/**
 * Greedy decoding of encoded chain-of-thought examples; `argmaxAt(tokens)`
 * returns the predicted class at every position [batch, seq] (int32).
 */
export function decodeChainOfThought(data: EncodedExamples, argmaxAt: (tokens: tf.Tensor2D) => tf.Tensor2D): DecodeResult {
  const { count, seqLen, targets } = data;
  if (!targets) throw new Error('decodeChainOfThought needs chain-of-thought targets');
  const slots: number[][] = Array.from({ length: count }, () => []);
  for (let r = 0; r < count; r++) for (let j = 0; j < seqLen; j++) if (targets[r * seqLen + j]! >= 0) slots[r]!.push(j + 1);
  const maxSlots = Math.max(...slots.map((s) => s.length));
  const work = Int32Array.from(data.tokens);
  const answers = new Int32Array(count);
  let stepRight = 0;
  let stepTotal = 0;
  for (let k = 0; k < maxSlots; k++) {
    const input = tf.tensor2d(work, [count, seqLen], 'int32');
    const pred = argmaxAt(input);
    const values = pred.dataSync();
    input.dispose();
    pred.dispose();
    if (k === 0) {
      // The first pass sees the true tokens everywhere: it gives the teacher-forced step accuracy too.
      for (let r = 0; r < count; r++)
        for (const pos of slots[r]!) {
          stepTotal++;
          if (values[r * seqLen + pos - 1] === targets[r * seqLen + pos - 1]) stepRight++;
        }
    }
    for (let r = 0; r < count; r++) {
      const pos = slots[r]![k];
      if (pos === undefined) continue;
      const v = values[r * seqLen + pos - 1]!;
      work[r * seqLen + pos] = valueTokenId(v);
      answers[r] = v;
    }
  }
  let right = 0;
  for (let r = 0; r < count; r++) if (answers[r] === data.labels[r]) right++;
  return { answers, accuracy: right / count, stepAccuracy: stepTotal ? stepRight / stepTotal : 0 };
}
