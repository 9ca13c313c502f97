/** Runs a document stream to the end and gathers its per-token losses (and predictions). */
import { lastValueFrom, tap } from 'rxjs';
import type { AttentionModel } from '../memory/attention-hook.js';
import { CamelotMemory } from '../memory/camelot-memory.js';
import type { MemoryConfigInput } from '../memory/memory-config.js';
import { streamDocuments } from '../memory/stream-document.js';

/** Per-token losses [documents][position - 1] (position p's loss at index p - 1) and greedy predictions. */
export interface Collected {
  losses: Float32Array[];
  predictions: Int32Array[];
}

/** Streams documents through windows of `window` tokens (default the model's context length) with a fresh memory of `config` (null = window only) and collects everything. */
export async function collectLosses(model: AttentionModel, documents: readonly Int32Array[], config: MemoryConfigInput | null, window?: number): Promise<Collected> {
  const n = documents[0]!.length - 1;
  const losses = documents.map(() => new Float32Array(n));
  const predictions = documents.map(() => new Int32Array(n));
  const memory = config ? CamelotMemory.for(model, config, documents.length) : null;
  await lastValueFrom(
    streamDocuments(model, documents, { memory, predictions: true, ...(window ? { window } : {}) }).pipe(
      tap((step) => {
        documents.forEach((_, d) => {
          losses[d]!.set(step.losses.subarray(d * step.length, (d + 1) * step.length), step.start - 1);
          predictions[d]!.set(step.predictions!.subarray(d * step.length, (d + 1) * step.length), step.start - 1);
        });
      }),
    ),
  );
  return { losses, predictions };
}

/** Mean loss of collected per-token losses, in bits per token. */
export function meanBitsPerToken(losses: readonly Float32Array[]): number {
  let sum = 0;
  let n = 0;
  for (const l of losses) for (const x of l) (sum += x), n++;
  return sum / n / Math.LN2;
}
