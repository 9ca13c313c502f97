/**
 * dense-am-retrieval: modern-Hopfield retrieval xi <- X^T softmax(beta X xi),
 * K = 10,000 memories of D = 784, a batch of 256 queries, 5 updates, through
 * @engram/hopfield's public DenseRetriever (memories kept in both layouts).
 */
import * as tf from '@tensorflow/tfjs';
import { DenseRetriever, denseRetrievalFlops } from '@engram/hopfield';
import type { BenchCase } from '../harness.js';

const K = 10_000;
const D = 784;
const B = 256;
const STEPS = 5;

/** dense-am-retrieval on seeded uniform [0, 1) patterns (timing does not depend on the values). */
export const denseAmRetrieval: BenchCase = {
  name: 'dense-am-retrieval',
  description: `@engram/hopfield DenseRetriever: K=${K} memories, D=${D}, batch ${B}, ${STEPS} updates, beta 0.05`,
  flops: denseRetrievalFlops(K, D, B, STEPS),
  warmup: 1,
  reps: 5,
  torch: 'dense-am-retrieval',
  setup() {
    const memories = tf.randomUniform([K, D], 0, 1, 'float32', 3);
    const retriever = new DenseRetriever(memories, { beta: 0.05 });
    memories.dispose();
    const queries = tf.randomUniform([B, D], 0, 1, 'float32', 4);
    return {
      run() {
        const out = retriever.retrieve(queries, STEPS);
        out.dataSync();
        out.dispose();
      },
      dispose() {
        retriever.dispose();
        queries.dispose();
      },
    };
  },
};
