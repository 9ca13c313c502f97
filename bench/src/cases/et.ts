/**
 * et-inference and et-train-step: one Energy Transformer block (B=32, N=49,
 * D=128, 4 heads of 32, M=512 ReLU memories, T=12 steps, closed-form dE/dg)
 * on core's backend (cases/et-block.ts), the same program as bench/torch/et.py.
 */
import * as tf from '@tensorflow/tfjs';
import type { BenchCase } from '../harness.js';
import { ET_DEFAULT, etEvolve, etFlops, etWeights, layerNorm, type EtSizes } from './et-block.js';

const what = (s: EtSizes): string => `B=${s.batch}, N=${s.tokens}, D=${s.dim}, ${s.heads} heads x ${s.headDim}, M=${s.memories}, T=${s.steps}`;

/** ET inference: T closed-form descent steps on random tokens. */
export function etInferenceCase(name: string, s: EtSizes, reps = 7, torch = 'et-inference'): BenchCase {
  return {
    name,
    description: `ET block (tfjs ops): ${what(s)}, inference (closed-form dE/dg)`,
    flops: etFlops(s),
    warmup: 1,
    reps,
    torch,
    torchParams: { batch: s.batch, tokens: s.tokens },
    setup() {
      const w = etWeights(s);
      const x = tf.randomNormal([s.batch, s.tokens, s.dim], 0, 1, 'float32', 100);
      return {
        run() {
          const out = etEvolve(x, w, s);
          tf.tidy(() => tf.mean(out).dataSync());
          out.dispose();
        },
        dispose: () => tf.dispose([x, ...Object.values(w)]),
      };
    },
  };
}

/**
 * One training step: MSE of LN(x_T) to a target, back-propagated through the T
 * steps, Adam update. With `checkpoint`, every step is core's ops.checkpoint
 * (the backward holds one step's intermediates at a time and recomputes them).
 */
export function etTrainCase(name: string, s: EtSizes, reps = 5, torch = 'et-train-step', checkpoint = false): BenchCase {
  return {
    name,
    description: `ET block (tfjs ops): ${what(s)}, one Adam step through the unrolled descent${checkpoint ? ', steps checkpointed (recomputed in the backward pass)' : ''}`,
    flops: 3 * etFlops(s),
    warmup: 1,
    reps,
    torch,
    torchParams: { batch: s.batch, tokens: s.tokens },
    setup() {
      const w = etWeights(s);
      const x = tf.randomNormal([s.batch, s.tokens, s.dim], 0, 1, 'float32', 100);
      const target = tf.randomNormal([s.batch, s.tokens, s.dim], 0, 1, 'float32', 200);
      const opt = tf.train.adam(1e-3);
      return {
        run() {
          const loss = opt.minimize(() => tf.tidy(() => tf.mean(tf.square(tf.sub(layerNorm(etEvolve(x, w, s, { checkpoint }), w), target))) as tf.Scalar), true, Object.values(w))!;
          loss.dataSync();
          loss.dispose();
        },
        dispose: () => {
          opt.dispose();
          tf.dispose([x, target, ...Object.values(w)]);
        },
      };
    },
  };
}

export const etInference = (): BenchCase => etInferenceCase('et-inference', ET_DEFAULT);
export const etTrainStep = (): BenchCase => etTrainCase('et-train-step', ET_DEFAULT, 9); // 9 rounds: its per-round ratio swings +-15% on these machines
export const etTrainStepCheckpointed = (): BenchCase => etTrainCase('et-train-step-checkpointed', ET_DEFAULT, 3, 'et-train-step', true);
