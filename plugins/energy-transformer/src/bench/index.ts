/**
 * Workloads for `npm run bench` ('@engram/energy-transformer/bench', not part of
 * the public index): ET inference (T descent steps on a batch of tokens) and
 * one training step (a loss through the unrolled descent, backward, Adam).
 * Each returns a closure to time and a dispose().
 */
import * as tf from '@tensorflow/tfjs';
import { EnergyTransformerBlock } from '../models/block.js';

/** Sizes of the workloads (defaults: batch 32, 49 tokens, size 128, 4 heads of 32, 512 memories, 12 steps). */
export interface EtBenchOptions {
  batch?: number;
  tokens?: number;
  size?: number;
  heads?: number;
  headSize?: number;
  memories?: number;
  maxSteps?: number;
  dt?: number;
  seed?: number;
}

/** A timed workload. */
export interface EtBenchWorkload {
  /** Runs the workload once, synchronously (waits for the result on the host); returns a scalar to print. */
  run(): number;
  /** FLOPs of one run's products (approximate; forward only for inference). */
  flops: number;
  /** Frees the block and the inputs. */
  dispose(): void;
}

function setup(o: EtBenchOptions): { block: EnergyTransformerBlock; x: tf.Tensor3D; flops: number } {
  const b = o.batch ?? 32;
  const n = o.tokens ?? 49;
  const block = new EnergyTransformerBlock({
    tokens: n,
    size: o.size ?? 128,
    heads: o.heads ?? 4,
    headSize: o.headSize ?? 32,
    memories: o.memories ?? 512,
    maxSteps: o.maxSteps ?? 12,
    dt: o.dt ?? 0.1,
    seed: o.seed ?? 0,
    attentionStd: 0.02,
    hopfieldStd: 0.02,
  });
  const c = block.config;
  const x = tf.randomNormal([b, n, c.size], 0, 1, 'float32', (o.seed ?? 0) + 100) as tf.Tensor3D;
  const perStep = 2 * 2 * b * n * c.size * (2 * c.heads * c.headSize + c.memories) + 3 * 2 * b * c.heads * n * n * c.headSize;
  return { block, x, flops: perStep * c.maxSteps };
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
  const vars = Object.values(block.variables());
  return {
    flops: 3 * flops,
    run: () => {
      const loss = opt.minimize(() => tf.tidy(() => tf.mean(tf.square(tf.sub(block.activation(block.evolve(x)), target))) as tf.Scalar), true, vars)!;
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
