/** sequence-transition: DenseNet transitions at N = 1,000 through @engram/sequence's own bench hook (core engine, no snapshots). */
import { benchSequenceTransition } from '@engram/sequence/bench';
import type { BenchCase } from '../harness.js';

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
  setup() {
    let recalled = true;
    return {
      async run() {
        const r = await benchSequenceTransition({ size: N, length: N, steps: STEPS, warmup: 2 });
        recalled &&= r.recalled;
        return r.msPerStep;
      },
      dispose: () => undefined,
      extra: () => ({ recalled }),
    };
  },
};
