/**
 * Streams documents through a model's window, one window after another
 * (non-overlapping: window w predicts tokens wL+1 .. wL+L from tokens
 * wL .. wL+L-1), with or without a memory. With a memory, each window first
 * reads what earlier windows wrote, then writes its own keys and values.
 * A cold Observable: each window's losses and the memory's state are one
 * event; unsubscribing stops after the current window and leaves no tensor
 * behind (every tensor lives inside one window's tf.tidy).
 */
import * as tf from '@tensorflow/tfjs';
import { Observable } from 'rxjs';
import { EngramError, ErrorCodes, errors } from '@engram/core';
import { yieldToEventLoop } from '../internal/yield.js';
import type { AttentionModel } from './attention-hook.js';
import type { CamelotMemory, LayerMemoryState } from './camelot-memory.js';
import type { StoreStats } from './slot-store.js';
import { tokenLosses } from '../internal/nn-ops.js';

/** Options of {@link streamDocuments}. */
export interface StreamOptions {
  /** The memory (its streams = the number of documents); none for the window-only model. */
  memory?: CamelotMemory | null;
  /** Window length (default and maximum: the model's context length). */
  window?: number;
  /** Include every slot's count and age after each window (default false: only the statistics). */
  snapshot?: boolean;
  /** Include the greedy prediction (argmax) of every token (default false). */
  predictions?: boolean;
}

/** One window of the stream. */
export interface StreamStep {
  /** Window index. */
  window: number;
  /** Document position of the window's first predicted token (from 1). */
  start: number;
  /** Tokens predicted in this window, per document. */
  length: number;
  /** Next-token losses in nats, [documents * length] row-major. */
  losses: Float32Array;
  /** Greedy predictions, like `losses` (with `predictions: true`). */
  predictions?: Int32Array;
  /** This window's writes per layer (summed over documents); null without memory. */
  writes: StoreStats[] | null;
  /** Cumulative statistics per layer, summed over documents; null without memory. */
  totals: StoreStats[] | null;
  /** Slots in use per layer, mean over documents; null without memory. */
  filled: number[] | null;
  /** Every store's state (with `snapshot: true`), [document][layer]. */
  memory?: LayerMemoryState[][];
}

/** Streams equally long documents (token ids) through `model`'s window. */
export function streamDocuments(model: AttentionModel, documents: readonly Int32Array[], options: StreamOptions = {}): Observable<StreamStep> {
  return new Observable<StreamStep>((subscriber) => {
    const run = async (): Promise<void> => {
      if (documents.length < 1) throw errors.invalidArgument('documents', 'at least one document', 0);
      const n = documents[0]!.length;
      if (n < 2) throw errors.invalidArgument('document length', 'at least 2 tokens', n);
      documents.forEach((d, i) => {
        if (d.length !== n) throw errors.invalidArgument(`document ${i} length`, `equal to the first document's (${n}): cut documents to one length`, d.length);
        for (const t of d) if (!Number.isInteger(t) || t < 0 || t >= model.vocabularySize) throw errors.invalidArgument(`document ${i} tokens`, `integers in [0, ${model.vocabularySize})`, t);
      });
      const window = options.window ?? model.contextLength;
      if (!Number.isInteger(window) || window < 1 || window > model.contextLength) throw errors.invalidArgument('window', `an integer in [1, ${model.contextLength}]`, window);
      const memory = options.memory ?? null;
      if (memory) {
        memory.checkModel(model);
        if (memory.streams !== documents.length) throw errors.invalidArgument('memory streams', `the number of documents (${documents.length})`, memory.streams);
      }
      const b = documents.length;
      for (let w = 0, start = 0; start < n - 1; w++, start += window) {
        if (subscriber.closed) return;
        const length = Math.min(window, n - 1 - start);
        const ids = new Int32Array(b * (length + 1));
        documents.forEach((d, i) => ids.set(d.subarray(start, start + length + 1), i * (length + 1)));
        const hook = memory?.windowHook();
        let predictions: Int32Array | undefined;
        const losses = tf.tidy(() => {
          const all = tf.tensor2d(ids, [b, length + 1], 'int32');
          const inputs = tf.slice(all, [0, 0], [b, length]) as tf.Tensor2D;
          const targets = tf.slice(all, [0, 1], [b, length]).reshape([-1]) as tf.Tensor1D;
          const logits = model.logitsWithHook(inputs, hook).reshape([b * length, model.vocabularySize]) as tf.Tensor2D;
          if (options.predictions) predictions = tf.argMax(logits, 1).dataSync() as Int32Array;
          return tokenLosses(logits, targets).dataSync() as Float32Array;
        });
        for (const l of losses) if (!Number.isFinite(l)) throw new EngramError(ErrorCodes.NON_FINITE, `window ${w}: a loss is not finite (check the memory's inputs and the model's weights)`, { window: w });
        const writes = hook ? hook.commit() : null;
        const step: StreamStep = { window: w, start: start + 1, length, losses, writes, totals: null, filled: null };
        if (predictions) step.predictions = predictions;
        if (memory) {
          const snap = memory.snapshot();
          step.totals = memory.layers.map((_, l) => {
            const t = { written: 0, merges: 0, inserts: 0, evictions: 0 };
            for (const s of snap) for (const k of Object.keys(t) as (keyof StoreStats)[]) t[k] += s[l]!.stats[k];
            return t;
          });
          step.filled = memory.layers.map((_, l) => snap.reduce((a, s) => a + s[l]!.filled, 0) / snap.length);
          if (options.snapshot) step.memory = snap;
        }
        subscriber.next(step);
        await yieldToEventLoop();
      }
      if (!subscriber.closed) subscriber.complete();
    };
    run().catch((err: unknown) => {
      if (!subscriber.closed) subscriber.error(err);
    });
  });
}
