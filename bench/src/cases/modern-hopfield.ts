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
    // beta = 1 is not multiplied, here as in the twin (and in core's memory synapse).
    const xh = tf.matMul(x, cf.xiT);
    const h = cf.beta === 1 ? xh : tf.mul(xh, cf.beta); // [B, K]
    // softmax and log-sum-exp of h from one max and sum (one kernel on the native path), as the twin calls
    // torch.softmax and torch.logsumexp; the update is one axpby, as the twin's is one torch.addmm.
    const { softmax: p, lse } = ops.softmaxAndLogSumExp(h);
    const recall = tf.matMul(p, cf.xi); // [B, D]
    const next = ops.axpby(1 - dt, x, dt, recall) as tf.Tensor2D;
    const energy = tf.sub(tf.mul(tf.sum(tf.square(x), 1), 0.5), cf.beta === 1 ? lse : tf.div(lse, cf.beta)) as tf.Tensor1D;
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
