/**
 * The GPT's training face: next-character prediction on windows of
 * contextLength + 1 characters drawn (seeded) from the Brown training
 * documents; the held-out documents are never drawn. A small fraction of
 * windows (`repeatFraction`) carry a span repeated later in the same window
 * (half of them a random lowercase string, half a copy of the window's own
 * text), so that the small model learns to copy within
 * its window as large language models do from their far larger corpora
 * (without it, a 1-M-parameter model trained for an hour barely copies
 * arbitrary strings, and nothing could show whether memory brings far
 * context back). The held-out evaluation documents are plain Brown text.
 */
import * as tf from '@tensorflow/tfjs';
import { seededRandom, trainingSettingsSchema, z, type TrainingData, type TrainingFace } from '@engram/core';
import { brownSplit } from '../internal/brown.js';
import type { CharTokenizer } from '../internal/char-tokenizer.js';

/** The GPT's training settings schema (core's settings with the GPT's defaults, plus `repeatFraction`). */
export const gptTrainingSchema = trainingSettingsSchema.extend({
  epochs: z.number().int().min(1).default(1).describe('passes (each draws `limit` new windows)'),
  batchSize: z.number().int().min(1).default(32).describe('windows per batch'),
  limit: z.number().int().min(1).default(2048).describe('training windows drawn per epoch'),
  lr: z.number().positive().default(2e-3).describe('Adam learning rate'),
  clipNorm: z.number().positive().default(1).describe('clip the global gradient norm to this'),
  repeatFraction: z.number().min(0).max(1).default(0.3).describe('fraction of windows with a span (random letters or the window\'s own text) repeated later in the window'),
  repeatLength: z.number().int().min(6).max(63).default(24).describe('longest repeated span (spans are 6 to this many characters)'),
});

/** The GPT's parsed training settings. */
export type GptTrainingSettings = z.output<typeof gptTrainingSchema>;

/** What the training face needs of the model. */
export interface TrainableGpt {
  readonly tokenizer: CharTokenizer;
  readonly contextLength: number;
  loss(windows: tf.Tensor2D): tf.Scalar;
}

/** Encoded training or held-out documents (cached per vocabulary). */
const encodedCache = new Map<string, { train: Int32Array[]; heldOut: Int32Array[] }>();

/** The Brown split encoded with a tokenizer (cached). */
export function encodedBrown(tokenizer: CharTokenizer): { train: Int32Array[]; heldOut: Int32Array[] } {
  let hit = encodedCache.get(tokenizer.vocabulary);
  if (!hit) {
    const { train, heldOut } = brownSplit();
    hit = { train: train.map((d) => tokenizer.encode(d.text)), heldOut: heldOut.map((d) => tokenizer.encode(d.text)) };
    encodedCache.set(tokenizer.vocabulary, hit);
  }
  return hit;
}

/**
 * Draws `count` windows of `width` tokens from documents, uniformly over
 * positions (longer documents are drawn more often), seeded; a
 * `repeatFraction` of them get a planted random string and its repeat.
 */
export function sampleWindows(docs: readonly Int32Array[], count: number, width: number, seed: number, repeatFraction: number, tokenizer: CharTokenizer, repeatLength = 24): Float32Array {
  const rand = seededRandom(seed);
  const total = docs.reduce((a, d) => a + Math.max(0, d.length - width), 0);
  const out = new Float32Array(count * width);
  const letters = tokenizer.encode('abcdefghijklmnopqrstuvwxyz');
  for (let i = 0; i < count; i++) {
    let at = Math.floor(rand() * total);
    let doc = 0;
    while (at >= docs[doc]!.length - width) {
      at -= Math.max(0, docs[doc]!.length - width);
      doc++;
    }
    const row = out.subarray(i * width, (i + 1) * width);
    row.set(docs[doc]!.subarray(at, at + width));
    if (rand() < repeatFraction) {
      const len = 6 + Math.floor(rand() * (repeatLength - 5));
      if (2 * len + 2 <= width) {
        const first = Math.floor(rand() * (width - 2 * len - 1));
        const second = first + len + 1 + Math.floor(rand() * (width - first - 2 * len));
        // Half of the repeats are random lowercase strings, half copy the window's own text forward.
        const random = rand() < 0.5;
        for (let j = 0; j < len; j++) {
          const c = random ? letters[Math.floor(rand() * letters.length)]! : row[first + j]!;
          row[first + j] = c;
          row[second + j] = c;
        }
      }
    }
  }
  return out;
}

/** The training face of a GPT. */
export function gptTrainingFace(model: TrainableGpt): TrainingFace<tf.Tensor2D, GptTrainingSettings> {
  return {
    schema: gptTrainingSchema,
    data(settings): TrainingData<tf.Tensor2D> {
      const { train } = encodedBrown(model.tokenizer);
      const width = model.contextLength + 1;
      const batchSize = Math.min(settings.batchSize, settings.limit);
      const batchesPerEpoch = Math.ceil(settings.limit / batchSize);
      return {
        batchesPerEpoch,
        *batches(epoch: number) {
          const windows = sampleWindows(train, settings.limit, width, settings.seed * 7919 + epoch + 1, settings.repeatFraction, model.tokenizer, settings.repeatLength);
          for (let b = 0; b < batchesPerEpoch; b++) {
            const rows = Math.min(batchSize, settings.limit - b * batchSize);
            yield tf.tensor2d(windows.subarray(b * batchSize * width, (b * batchSize + rows) * width), [rows, width]);
          }
        },
      };
    },
    loss: (batch) => model.loss(batch),
    evaluate(): Record<string, number> {
      const { heldOut } = encodedBrown(model.tokenizer);
      const width = model.contextLength + 1;
      const windows = sampleWindows(heldOut, 64, width, 12345, 0, model.tokenizer);
      const loss = tf.tidy(() => model.loss(tf.tensor2d(windows, [64, width])).dataSync()[0]!);
      return { heldOutLoss: loss, heldOutBitsPerChar: loss / Math.LN2 };
    },
  };
}
