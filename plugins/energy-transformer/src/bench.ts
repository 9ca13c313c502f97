/**
 * Ready-made workloads for `npm run bench`: ET inference (T descent steps on a
 * batch of tokens) and one training step (loss through the unrolled descent,
 * backward, Adam update). Each returns a closure to time and a dispose().
 */
import * as tf from '@tensorflow/tfjs';
import { EnergyTransformerBlock } from './block.js';
import type { GradientMode } from './config.js';

/** Sizes of the benchmark workloads (defaults: batch 32, N = 49, D = 128, 4 heads of 32, M = 512, T = 12). */
export interface EtBenchOptions {
  batch?: number;
  tokens?: number;
  tokenDim?: number;
  heads?: number;
  headDim?: number;
  memories?: number;
  steps?: number;
  alpha?: number;
  gradient?: GradientMode;
  seed?: number;
}

/** A timed workload. */
export interface EtBenchWorkload {
  /** Runs the workload once, synchronously (waits for the results on the host); returns a scalar to print. */
  run(): number;
  /** FLOPs of one run of the matMuls (approximate, forward only for inference). */
  flops: number;
  /** Frees the block and the inputs. */
  dispose(): void;
}

function setup(o: EtBenchOptions) {
  const b = o.batch ?? 32;
  const n = o.tokens ?? 49;
  const d = o.tokenDim ?? 128;
  const block = new EnergyTransformerBlock({
    tokenDim: d,
    heads: o.heads ?? 4,
    headDim: o.headDim ?? 32,
    memories: o.memories ?? 512,
    steps: o.steps ?? 12,
    alpha: o.alpha ?? 0.1,
    gradient: o.gradient ?? 'closed-form',
    seed: o.seed ?? 0,
    attentionInitStd: 0.02,
    hopfieldInitStd: 0.02,
  });
  const x = tf.randomNormal([b, n, d], 0, 1, 'float32', (o.seed ?? 0) + 100);
  const c = block.config;
  const perStep = 2 * 2 * b * n * d * (2 * c.heads * c.headDim + c.memories) + 3 * 2 * b * c.heads * n * n * c.headDim;
  return { block, x, flops: perStep * c.steps };
}

/** ET inference: T closed-form descent steps from random tokens (the final tokens are read back). */
export function etInferenceWorkload(options: EtBenchOptions = {}): EtBenchWorkload {
  const { block, x, flops } = setup(options);
  return {
    flops,
    run: () => {
      const out = block.evolve(x);
      const v = tf.tidy(() => tf.mean(out).dataSync()[0]!);
      out.dispose();
      return v;
    },
    dispose: () => {
      x.dispose();
      block.dispose();
    },
  };
}

/** One training step: MSE of LN(x_T) to a target, back-propagated through the T steps, Adam update. */
export function etTrainStepWorkload(options: EtBenchOptions = {}): EtBenchWorkload {
  const { block, x, flops } = setup(options);
  const target = tf.randomNormal(x.shape, 0, 1, 'float32', (options.seed ?? 0) + 200);
  const opt = tf.train.adam(1e-3);
  return {
    flops: 3 * flops,
    run: () => {
      const loss = opt.minimize(
        () => tf.tidy(() => {
          const out = block.evolve(x);
          return tf.mean(tf.square(tf.sub(block.activation(out), target))) as tf.Scalar;
        }),
        true,
        block.variables(),
      )!;
      const v = loss.dataSync()[0]!;
      loss.dispose();
      return v;
    },
    dispose: () => {
      tf.dispose([x, target]);
      opt.dispose();
      block.dispose();
    },
  };
}
