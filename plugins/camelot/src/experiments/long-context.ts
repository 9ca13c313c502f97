/**
 * The long-context experiment: held-out documents streamed through the frozen
 * model's 128-token window, once per method, with per-position losses; the
 * model's weights are checked bit for bit before and after.
 */
import { lastValueFrom, tap } from 'rxjs';
import { EngramError, ErrorCodes } from '@engram/core';
import type { AttentionModel } from '../memory/attention-hook.js';
import { CamelotMemory } from '../memory/camelot-memory.js';
import { streamDocuments } from '../memory/stream-document.js';
import type { StoreStats } from '../memory/slot-store.js';
import { weightsFingerprint } from '../internal/fingerprint.js';
import type { Method } from './methods.js';
import type { Tokenizer } from '../internal/tokenizer.js';

/** One method's result. */
export interface MethodResult {
  name: string;
  note: string;
  memory: Method['memory'];
  /** Mean next-token loss, nats per token. */
  loss: number;
  bitsPerToken: number;
  /** Bits per character of the predicted text (with the options' tokenizer; NaN without): comparable across tokenizers. */
  bitsPerChar: number;
  /** exp(loss): per-token perplexity. */
  perplexity: number;
  /** Relative perplexity change against the window-only model (negative = lower). */
  vsWindow: number;
  /** Share of the unbounded memory's perplexity gain this method reaches (1 = all of it). */
  shareOfUnbounded: number;
  /** Mean loss of each window position bucket (bucket b covers document positions b*bucket+1 ..). */
  lossByPosition: number[];
  /** Statistics summed over layers and documents. */
  stats: StoreStats | null;
  seconds: number;
}

/** Result of the experiment. */
export interface LongContextResult {
  documents: number;
  tokensPerDocument: number;
  window: number;
  bucket: number;
  methods: MethodResult[];
  weightsUnchanged: boolean;
  seconds: number;
}

/** Options of {@link longContextExperiment}. */
export interface LongContextOptions {
  methods: readonly Method[];
  /** Window the documents stream through (default the model's context length). */
  window?: number;
  /** The tokenizer of the documents, to report bits per character as well (optional). */
  tokenizer?: Tokenizer;
  /** Position bucket of the per-position curve (default: the window). */
  bucket?: number;
  /** Progress lines. */
  log?: (line: string) => void;
}

/** Runs every method over the documents (equal lengths) and compares them. */
export async function longContextExperiment(model: AttentionModel, documents: readonly Int32Array[], options: LongContextOptions): Promise<LongContextResult> {
  const start = Date.now();
  const before = weightsFingerprint(model.variables());
  const n = documents[0]!.length;
  const window = options.window ?? model.contextLength;
  const bucket = options.bucket ?? window;
  const buckets = Math.ceil((n - 1) / bucket);
  // Characters of every predicted token (all but each document's first), the same for every method.
  const tokenizer = options.tokenizer;
  const characters = tokenizer ? documents.reduce((a, d) => a + [...tokenizer.decode(d.subarray(1))].length, 0) : NaN;
  const raw: Omit<MethodResult, 'vsWindow' | 'shareOfUnbounded'>[] = [];
  for (const method of options.methods) {
    const t0 = Date.now();
    const memory = method.memory ? CamelotMemory.for(model, method.memory, documents.length) : null;
    const sums = new Float64Array(buckets);
    const counts = new Float64Array(buckets);
    let total = 0;
    let tokens = 0;
    let stats: StoreStats | null = null;
    await lastValueFrom(
      streamDocuments(model, documents, { memory, window }).pipe(
        tap((step) => {
          for (let d = 0; d < documents.length; d++) {
            for (let i = 0; i < step.length; i++) {
              const l = step.losses[d * step.length + i]!;
              const b = Math.floor((step.start + i - 1) / bucket);
              sums[b] += l;
              counts[b]++;
              total += l;
              tokens++;
            }
          }
          if (step.totals) {
            stats = { written: 0, merges: 0, inserts: 0, evictions: 0 };
            for (const t of step.totals) for (const k of Object.keys(t) as (keyof StoreStats)[]) stats[k] += t[k];
          }
        }),
      ),
    );
    const loss = total / tokens;
    const seconds = (Date.now() - t0) / 1000;
    raw.push({ name: method.name, note: method.note, memory: method.memory, loss, bitsPerToken: loss / Math.LN2, bitsPerChar: (total / Math.LN2) / characters, perplexity: Math.exp(loss), lossByPosition: Array.from(sums, (s, i) => s / counts[i]!), stats, seconds });
    options.log?.(`${method.name}: ${(loss / Math.LN2).toFixed(4)} bits/token, perplexity ${Math.exp(loss).toFixed(4)} (${seconds.toFixed(1)} s)`);
  }
  const after = weightsFingerprint(model.variables());
  if (before !== after) throw new EngramError(ErrorCodes.INVALID_ARGUMENT, 'the frozen model\'s weights changed during the run: a memory must never write to the model', { before, after });
  const windowOnly = raw.find((r) => r.memory === null);
  const unbounded = raw.find((r) => r.memory?.policy === 'unbounded');
  const methods = raw.map((r) => {
    const vsWindow = windowOnly ? r.perplexity / windowOnly.perplexity - 1 : NaN;
    const gain = windowOnly && unbounded ? windowOnly.perplexity - unbounded.perplexity : NaN;
    const shareOfUnbounded = windowOnly && gain ? (windowOnly.perplexity - r.perplexity) / gain : NaN;
    return { ...r, vsWindow, shareOfUnbounded };
  });
  return { documents: documents.length, tokensPerDocument: n, window, bucket, methods, weightsUnchanged: true, seconds: (Date.now() - start) / 1000 };
}
