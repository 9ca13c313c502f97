/**
 * The planted-repeat probe: a random lowercase string is planted early in a
 * held-out document and planted again after the first copy has left the
 * window. Without memory the repeat is as unpredictable as the original; a
 * memory that kept the first copy's keys and values lets the model copy it.
 * Measured: mean loss over the repeat's characters after its first (whose
 * identity nothing can tell), with and without memory.
 */
import { seededRandom } from '@engram/core';
import type { AttentionModel } from '../memory/attention-hook.js';
import type { MemoryConfigInput } from '../memory/memory-config.js';
import type { CharTokenizer } from '../internal/char-tokenizer.js';
import { collectLosses } from './collect.js';

/** Options of {@link plantedRepeat}. */
export interface PlantedRepeatOptions {
  /** Length of the planted string (default 24). */
  length?: number;
  /** Document position of the first copy (default 40: inside window 0). */
  at?: number;
  /** Document position of the repeat (default 3 windows later, inside one window). */
  repeatAt?: number;
  seed?: number;
  /** Characters the string is drawn from (default the 26 lowercase letters; separators are the caller's business). */
  alphabet?: string;
}

/** Result: mean loss (nats) over the repeat with each memory, and the relative reduction. */
export interface PlantedRepeatResult {
  length: number;
  at: number;
  repeatAt: number;
  documents: number;
  withoutMemory: number;
  withMemory: number;
  /** 1 - withMemory / withoutMemory. */
  reduction: number;
}

/** Plants one random string (a different one per document) twice in each document and compares losses on the repeat. */
export async function plantedRepeat(
  model: AttentionModel,
  tokenizer: CharTokenizer,
  documents: readonly Int32Array[],
  memory: MemoryConfigInput,
  options: PlantedRepeatOptions = {},
): Promise<PlantedRepeatResult> {
  const length = options.length ?? 24;
  const at = options.at ?? 40;
  const repeatAt = options.repeatAt ?? at + 3 * model.contextLength;
  const rand = seededRandom(options.seed ?? 0);
  const letters = tokenizer.encode(options.alphabet ?? 'abcdefghijklmnopqrstuvwxyz');
  const space = tokenizer.encode(' ')[0]!;
  const total = repeatAt + length + 8;
  const planted = documents.map((doc) => {
    const d = doc.slice(0, total);
    const s = Int32Array.from({ length }, () => letters[Math.floor(rand() * letters.length)]!);
    for (const p of [at, repeatAt]) {
      d[p - 1] = space;
      d.set(s, p);
      d[p + length] = space;
    }
    return d;
  });
  const mean = (losses: Float32Array[]): number => {
    let sum = 0;
    let n = 0;
    // Position p's loss sits at index p - 1; skip the repeat's first character.
    for (const l of losses) for (let p = repeatAt + 1; p < repeatAt + length; p++, n++) sum += l[p - 1]!;
    return sum / n;
  };
  const without = mean((await collectLosses(model, planted, null)).losses);
  const withMem = mean((await collectLosses(model, planted, memory)).losses);
  return { length, at, repeatAt, documents: documents.length, withoutMemory: without, withMemory: withMem, reduction: 1 - withMem / without };
}
