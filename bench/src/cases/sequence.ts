/** sequence-transition: DenseNet transitions at N = 1,000 through @engram/sequence's own bench hook (core engine, no snapshots). */
import type { BenchCase } from '../harness.js';
import { importPluginExport } from './plugin-import.js';

type SequenceBench = (o: { neurons: number; length: number; steps: number; warmup: number }) => Promise<{ msPerStep: number; recalled: boolean }>;

const N = 1000;
const STEPS = 20;

/** Median of the per-transition wall time the plugin measures (its own warm-up included, construction excluded). */
export const sequenceTransition: BenchCase = {
  name: 'sequence-transition',
  description: `@engram/sequence DenseNet (x^2 separation), N=${N}, P=${N}, batch 1, ms per transition (runDynamics)`,
  flops: 2 * 4 * N * N,
  warmup: 0,
  reps: 3,
  torch: 'sequence-transition',
  async setup() {
    const benchSequenceTransition = await importPluginExport<SequenceBench>(['@engram/sequence/bench', '@engram/sequence'], 'benchSequenceTransition');
    let recalled = true;
    return {
      async run() {
        const r = await benchSequenceTransition({ neurons: N, length: N, steps: STEPS, warmup: 2 });
        recalled &&= r.recalled;
        return r.msPerStep;
      },
      dispose: () => undefined,
      extra: () => ({ recalled }),
    };
  },
};
