/**
 * The methods compared in one run, all at the same memory budget M: the
 * window-only model, a FIFO cache of the last M tokens, every past token
 * (the unbounded ceiling), CAMELoT consolidation, and its ablations.
 */
import type { MemoryConfigInput } from '../memory/memory-config.js';

/** One method of the comparison: a name and its memory (null = window only). */
export interface Method {
  readonly name: string;
  readonly memory: MemoryConfigInput | null;
  /** What it tests, for the table. */
  readonly note: string;
}

/** Options that shape the method list. */
export interface MethodListOptions {
  /** The memory budget M of every bounded method. */
  memories: number;
  /** CAMELoT's novelty threshold. */
  threshold: number;
  /** Other budgets for the M ablation. */
  otherMemories?: readonly number[];
  /** Other thresholds for the threshold ablation. */
  otherThresholds?: readonly number[];
  /** Include the read-rule alternatives (retrieval by key, per-token picks, own-only visibility, top-4, placement). */
  readAlternatives?: boolean;
  /** Read settings shared by every memory method. */
  read?: Partial<MemoryConfigInput>;
}

/** The methods of a run. */
export function methodList(o: MethodListOptions): Method[] {
  const read = o.read ?? {};
  const camelot = (extra: Partial<MemoryConfigInput>): MemoryConfigInput => ({ policy: 'camelot', memories: o.memories, threshold: o.threshold, ...read, ...extra });
  const list: Method[] = [
    { name: 'window', memory: null, note: 'the frozen model alone, 128-token windows' },
    { name: `fifo-${o.memories}`, memory: { ...read, policy: 'fifo', memories: o.memories }, note: `the last ${o.memories} tokens (recency only)` },
    { name: 'unbounded', memory: { ...read, policy: 'unbounded' }, note: 'every past token (ceiling)' },
    { name: `camelot-${o.memories}`, memory: camelot({}), note: `consolidation (threshold ${o.threshold}) + recency` },
    { name: `insert-only-${o.memories}`, memory: camelot({ consolidate: 'none' }), note: 'ablation: no consolidation (merged tokens only refresh count and age)' },
    { name: `never-evict-${o.memories}`, memory: camelot({ evict: 'never' }), note: 'ablation: no recency (when full, novel tokens merge into their nearest slot)' },
  ];
  for (const m of o.otherMemories ?? []) {
    list.push({ name: `camelot-${m}`, memory: camelot({ memories: m }), note: `ablation: M = ${m}` });
    list.push({ name: `fifo-${m}`, memory: { ...read, policy: 'fifo', memories: m }, note: `FIFO at M = ${m}` });
  }
  for (const t of o.otherThresholds ?? []) list.push({ name: `camelot-${o.memories}-t${t}`, memory: camelot({ threshold: t }), note: `ablation: threshold ${t}` });
  if (o.readAlternatives) {
    list.push({ name: `camelot-${o.memories}-by-key`, memory: camelot({ retrieval: 'key' }), note: "read alternative: slots picked by key cosine (not query . key)" });
    list.push({ name: `camelot-${o.memories}-token-picks`, memory: camelot({ retrievalHeads: 'all' }), note: 'read alternative: one pick per token for all heads' });
    list.push({ name: `camelot-${o.memories}-own`, memory: camelot({ read: 'own' }), note: 'read alternative: a pick is seen only by its own token' });
    list.push({ name: `camelot-${o.memories}-top4-own`, memory: camelot({ read: 'own', topK: 4 }), note: 'read alternative: 4 picks per token, each seen by its own token' });
    list.push({ name: `camelot-${o.memories}-at-query`, memory: camelot({ placement: 'query' }), note: 'read alternative: memory at distance 0 from each query (rotary)' });
  }
  return list;
}
