/**
 * The in-context-learning probe: a made-up dictionary of `pairs` three-letter
 * keys and values, shown as demonstrations "key value." one after another
 * (keys drawn at random, so each pair recurs many times), far more
 * demonstrations than the 128-character window holds (about 14). The task is
 * to complete a demonstration's value from its key: possible only for pairs
 * shown before, and, without memory, only for pairs shown within the window.
 * Measured over the value characters of the last demonstrations: greedy
 * accuracy and loss, per method.
 */
import { seededRandom } from '@engram/core';
import type { AttentionModel } from '../memory/attention-hook.js';
import type { MemoryConfigInput } from '../memory/memory-config.js';
import { characterIds, tokenOffsets, type Tokenizer } from '../internal/tokenizer.js';
import { collectLosses } from './collect.js';

/** Options of {@link iclProbe}. */
export interface IclOptions {
  /** Pairs in the dictionary (default 32). */
  pairs?: number;
  /** Demonstrations streamed (default 400). */
  demonstrations?: number;
  /** Demonstrations scored, at the end of the stream (default 100). */
  scored?: number;
  /** Independent dictionaries (streamed as a batch; default 4). */
  trials?: number;
  seed?: number;
  /** Window the streams go through (default the model's context length). */
  window?: number;
}

/** One method's score. */
export interface IclScore {
  name: string;
  /** Share of value characters predicted right (greedy, teacher-forced). */
  accuracy: number;
  /** Share of values with all three characters right. */
  exact: number;
  /** Mean loss over value characters (nats). */
  loss: number;
  /** Of the scored demonstrations, the share whose pair was last shown outside the window. */
  outsideWindow: number;
}

/**
 * Builds the demonstration streams: tokens per trial, the document positions of
 * each demonstration's value tokens (those that spell the value, not its
 * leading space), and how many tokens back its pair was last shown. Each
 * demonstration is encoded word by word as the text "key value. " would be
 * (GPT-2's pre-tokenizer splits it there too), so positions are exact.
 */
export function iclStreams(tokenizer: Tokenizer, o: Omit<Required<IclOptions>, 'window'>): { documents: Int32Array[]; values: number[][][]; lastSeenGap: number[][] } {
  const rand = seededRandom(o.seed + 17);
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const word = (): string => Array.from({ length: 3 }, () => letters[Math.floor(rand() * 26)]).join('');
  const documents: Int32Array[] = [];
  const values: number[][][] = [];
  const lastSeenGap: number[][] = [];
  for (let t = 0; t < o.trials; t++) {
    const keys = new Set<string>();
    while (keys.size < o.pairs) keys.add(word());
    const dict = [...keys].map((k) => [k, word()] as const);
    const tokens: number[] = [];
    const vals: number[][] = [];
    const gaps: number[] = [];
    const lastAt = new Map<number, number>();
    const push = (text: string): number[] => {
      const ids = tokenizer.encode(text);
      const offsets = tokenOffsets(tokenizer, ids);
      const positions = Array.from(ids, (_, j) => j).filter((j) => offsets[j + 1]! > 1).map((j) => tokens.length + j);
      tokens.push(...ids);
      return positions;
    };
    for (let i = 0; i < o.demonstrations; i++) {
      const p = Math.floor(rand() * dict.length);
      const [k, v] = dict[p]!;
      const start = tokens.length;
      gaps.push(lastAt.has(p) ? start - lastAt.get(p)! : Infinity);
      lastAt.set(p, start);
      push(i === 0 ? k : ` ${k}`);
      vals.push(push(` ${v}`)); // the tokens ending after the space spell the value
      push('.');
    }
    push(' ');
    documents.push(Int32Array.from(tokens));
    values.push(vals);
    lastSeenGap.push(gaps);
  }
  // Subword streams differ in length: pad every one to the longest with spaces after its end (the stream is causal,
  // so nothing before the padding changes).
  const longest = Math.max(...documents.map((d) => d.length));
  const space = characterIds(tokenizer, ' ')[0]!;
  for (const [t, d] of documents.entries()) {
    if (d.length === longest) continue;
    const padded = new Int32Array(longest).fill(space);
    padded.set(d);
    documents[t] = padded;
  }
  return { documents, values, lastSeenGap };
}

/** Scores each method on the probe. */
export async function iclProbe(
  model: AttentionModel,
  tokenizer: Tokenizer,
  methods: readonly { name: string; memory: MemoryConfigInput | null }[],
  options: IclOptions = {},
): Promise<IclScore[]> {
  const o: Required<IclOptions> = { pairs: 32, demonstrations: 400, scored: 100, trials: 4, seed: 0, window: model.contextLength, ...options };
  const { documents, values, lastSeenGap } = iclStreams(tokenizer, o);
  const scores: IclScore[] = [];
  for (const m of methods) {
    const { losses, predictions } = await collectLosses(model, documents, m.memory, o.window);
    let right = 0;
    let exact = 0;
    let loss = 0;
    let chars = 0;
    let demos = 0;
    let outside = 0;
    documents.forEach((doc, t) => {
      for (let i = o.demonstrations - o.scored; i < o.demonstrations; i++) {
        let all = true;
        for (const p of values[t]![i]!) {
          // p: document index of a value token, predicted by the loss at index p - 1
          const ok = predictions[t]![p - 1] === doc[p];
          right += ok ? 1 : 0;
          all &&= ok;
          loss += losses[t]![p - 1]!;
          chars++;
        }
        exact += all ? 1 : 0;
        demos++;
        outside += lastSeenGap[t]![i]! > o.window ? 1 : 0;
      }
    });
    scores.push({ name: m.name, accuracy: right / chars, exact: exact / demos, loss: loss / chars, outsideWindow: outside / demos });
  }
  return scores;
}
