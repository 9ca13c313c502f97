/**
 * et-inference and et-train-step: one Energy Transformer block (B=32, N=49,
 * D=128, 4 heads of 32, M=512 ReLU memories, T=12 steps, closed-form dE/dg)
 * through @engram/energy-transformer's public bench workloads.
 */
import { etInferenceWorkload, etTrainStepWorkload } from '@engram/energy-transformer/bench';
import type { BenchCase } from '../harness.js';

const SIZES = 'B=32, N=49, D=128, 4 heads x 32, M=512, T=12';

function etCase(name: string, description: string, make: typeof etInferenceWorkload, reps: number): BenchCase {
  // FLOPs come from the workload itself (it knows its products); computed once here.
  const probe = make({});
  const flops = probe.flops;
  probe.dispose();
  return {
    name,
    description,
    flops,
    warmup: 1,
    reps,
    torch: name,
    setup() {
      const w = make({});
      return { run: () => void w.run(), dispose: () => w.dispose() };
    },
  };
}

/** ET inference: T closed-form descent steps on random tokens. */
export const etInference = (): BenchCase => etCase('et-inference', `@engram/energy-transformer: ${SIZES}, inference (closed-form dE/dg)`, etInferenceWorkload, 5);
/** ET training: loss on LN(x_T), backprop through the T steps, Adam. */
export const etTrainStep = (): BenchCase => etCase('et-train-step', `@engram/energy-transformer: ${SIZES}, one Adam step through the unrolled descent`, etTrainStepWorkload, 3);
