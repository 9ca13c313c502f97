/**
 * The modern Hopfield energy model shared by the descent and stream cases:
 * one layer v (identity Lagrangian, E_v = |x|^2 / 2) and a memory synapse
 * E = -(1/beta) logsumexp(beta Xi x), so dE/dx = x - Xi^T softmax(beta Xi x).
 */
import * as tf from '@tensorflow/tfjs';
import { ops, type DynamicsSystem, type State, type StepResult } from '@engram/core';

/** Sizes of the shared model. */
export interface HopfieldSizes {
  memories: number;
  features: number;
  batch: number;
  beta: number;
}

/** Memories Xi [K, D] in both layouts the closed form needs (no transposed product). */
export interface ClosedForm {
  xi: tf.Tensor2D;
  xiT: tf.Tensor2D;
  beta: number;
}

/** One closed-form descent step x <- x - dt (x - Xi^T softmax(beta Xi x)) and the energy of x, per sample. */
export function closedFormStep(cf: ClosedForm, x: tf.Tensor2D, dt: number): { next: tf.Tensor2D; energy: tf.Tensor1D } {
  return tf.tidy(() => {
    const h = tf.mul(tf.matMul(x, cf.xiT), cf.beta); // [B, K]
    const p = tf.softmax(h);
    const recall = tf.matMul(p, cf.xi); // [B, D]
    const next = tf.add(x, tf.mul(tf.sub(recall, x), dt)) as tf.Tensor2D;
    // E = |x|^2/2 - (1/beta) lse(h): core's log-sum-exp (one fused kernel on the native path), as the twin uses torch.logsumexp.
    const lse = ops.logSumExp(h, 1);
    const energy = tf.sub(tf.mul(tf.sum(tf.square(x), 1), 0.5), tf.div(lse, cf.beta)) as tf.Tensor1D;
    return { next, energy };
  });
}

/** The closed-form step as a core DynamicsSystem on layer 'v' (energy of the input state comes from the same pass). */
export function closedFormSystem(cf: ClosedForm): DynamicsSystem {
  return {
    step: (state: State, ctx): StepResult => {
      const { next, energy } = closedFormStep(cf, state['v'] as tf.Tensor2D, ctx.dt);
      return { next: { v: next }, energy: { total: energy } };
    },
    energy: (state: State) =>
      tf.tidy(() => {
        const { next, energy } = closedFormStep(cf, state['v'] as tf.Tensor2D, 0);
        next.dispose();
        return { total: energy };
      }),
  };
}

/** Seeded memories [K, D] ~ N(0, 1/D) and queries [B, D] ~ N(0, 1). */
export function hopfieldData(s: HopfieldSizes): { patterns: tf.Tensor2D; queries: tf.Tensor2D } {
  return {
    patterns: tf.randomNormal([s.memories, s.features], 0, 1 / Math.sqrt(s.features), 'float32', 11) as tf.Tensor2D,
    queries: tf.randomNormal([s.batch, s.features], 0, 1, 'float32', 12) as tf.Tensor2D,
  };
}
