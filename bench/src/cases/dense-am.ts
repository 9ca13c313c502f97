/**
 * dense-am-retrieval: modern-Hopfield retrieval xi <- X^T softmax(beta X xi)
 * (K = 10,000 memories of D = 784, a batch of 256 queries, 5 updates), written
 * with plain tfjs ops on core's backend, memories kept in both layouts and in
 * ONE block (no splitting into parts): the same program as the PyTorch twin
 * (bench/torch/dense_am.py). dense-am-scaling runs it for K = 1k ... 1M.
 */
import * as tf from '@tensorflow/tfjs';
import type { BenchCase } from '../harness.js';

/** Sizes of one retrieval workload. */
export interface DenseAmSizes {
  memories: number;
  features: number;
  batch: number;
  steps: number;
  beta: number;
}

const DEFAULT: DenseAmSizes = { memories: 10_000, features: 784, batch: 256, steps: 5, beta: 0.05 };

/** Two products of 2 B K D per update. */
export const denseAmFlops = (s: DenseAmSizes): number => s.steps * 2 * 2 * s.batch * s.memories * s.features;

/** A retrieval case with the given sizes (seeded uniform [0, 1) patterns; timing does not depend on the values). */
export function denseAmCase(name: string, s: DenseAmSizes, reps = 5, torch = 'dense-am-retrieval'): BenchCase {
  return {
    name,
    description: `dense AM retrieval (tfjs ops, memories in one block, both layouts): K=${s.memories} memories, D=${s.features}, batch ${s.batch}, ${s.steps} updates, beta ${s.beta}`,
    flops: denseAmFlops(s),
    warmup: 1,
    reps,
    torch,
    torchParams: { memories: s.memories, features: s.features, batch: s.batch, steps: s.steps, beta: s.beta },
    setup() {
      const memories = tf.randomUniform([s.memories, s.features], 0, 1, 'float32', 3);
      const memoriesT = tf.transpose(memories);
      const queries = tf.randomUniform([s.batch, s.features], 0, 1, 'float32', 4);
      return {
        run() {
          // One tidy per update: each step's [B, K] scores are freed before the next (at K = 1M they are 256 MB each).
          let x: tf.Tensor = queries;
          for (let i = 0; i < s.steps; i++) {
            const prev = x;
            x = tf.tidy(() => tf.matMul(tf.softmax(tf.mul(tf.matMul(prev, memoriesT), s.beta)), memories));
            if (prev !== queries) prev.dispose();
          }
          x.dataSync();
          x.dispose();
        },
        dispose() {
          tf.dispose([memories, memoriesT, queries]);
        },
      };
    },
  };
}

/** The headline case: K = 10,000, D = 784, B = 256, 5 updates. */
export const denseAmRetrieval: BenchCase = denseAmCase('dense-am-retrieval', DEFAULT);
