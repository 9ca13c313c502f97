/**
 * The methods compared in one run, all at the same memory budget M: the
 * window-only model, a FIFO cache of the last M tokens, every past token
 * (the unbounded ceiling), CAMELoT consolidation, and its ablations.
 */
import { memoryConfigSchema, type MemoryConfigInput } from '../memory/memory-config.js';

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

/** The paper's read (its text: the closest slot per token, joined to the window's keys at its start), undoing any shared read setting. */
export const PAPER_READ: Partial<MemoryConfigInput> = { topK: 1, placement: 'window-start', maxDistance: undefined, beyond: 'hidden', beyondBias: 0, scoreBias: 0, readHeads: undefined, readLayers: undefined };

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
    list.push({ name: `camelot-${o.memories}-at-query`, memory: camelot({ ...PAPER_READ, placement: 'query' }), note: "read alternative: the paper's read with memory at distance 0 from each query (rotary)" });
    // With a read of its own, the run also shows the paper's read.
    const parsed = (c: Partial<MemoryConfigInput>): string => JSON.stringify(memoryConfigSchema.parse(c));
    if (parsed({ ...read, ...PAPER_READ }) !== parsed(read)) {
      list.push({ name: `camelot-${o.memories}-paper-read`, memory: camelot(PAPER_READ), note: "read alternative: the paper's read (top-1 slot per token and head, at the window start)" });
      for (const t of o.otherThresholds ?? []) list.push({ name: `camelot-${o.memories}-t${t}-paper-read`, memory: camelot({ ...PAPER_READ, threshold: t }), note: `the paper's read at threshold ${t}` });
      list.push({ name: 'unbounded-paper-read', memory: { ...read, ...PAPER_READ, policy: 'unbounded' }, note: "every past token with the paper's read" });
      list.push({ name: `fifo-${o.memories}-paper-read`, memory: { ...read, ...PAPER_READ, policy: 'fifo', memories: o.memories }, note: "the FIFO with the paper's read" });
    }
  }
  return list;
}
