/**
 * Elastic Weight Consolidation (Kirkpatrick et al. 2017), online form: after
 * each task the diagonal (empirical) Fisher information of the parameters is
 * added to a running total and the current parameters become the anchor; the
 * penalty (lambda / 2) * sum F (theta - theta*)^2 then resists moving weights
 * that mattered for earlier tasks. The parameters are the model's trainable
 * ones (core's `trainableVariables`); the split experiment adds the penalty to
 * the training face's loss.
 */
import * as tf from '@tensorflow/tfjs';
import { errors, shuffledIndices, trainableVariables, type ArrayDataset } from '@engram/core';
import type { Sdmlp } from '../models/sdmlp.js';

/** Default EWC strength: the reference's ewc_memory_importance (not re-tuned here). */
export const DEFAULT_EWC_LAMBDA = 200;

/** Online EWC regulariser for one model's trainable variables. */
export class Ewc {
  readonly lambda: number;
  private readonly model: Sdmlp;
  private fisher: Record<string, tf.Tensor> | null = null;
  private anchor: Record<string, tf.Tensor> | null = null;

  constructor(model: Sdmlp, lambda = DEFAULT_EWC_LAMBDA) {
    if (typeof lambda !== 'number' || !(lambda >= 0) || !Number.isFinite(lambda)) throw errors.invalidArgument('lambda', 'a finite number >= 0', lambda);
    this.model = model;
    this.lambda = lambda;
  }

  /** Whether a task has been consolidated (before that the penalty is 0). */
  get active(): boolean {
    return this.fisher !== null;
  }

  /**
   * Estimates the diagonal Fisher on `samples` random examples of the task just
   * learned (squared per-example gradients of the log-likelihood of the true
   * label), adds it to the running total and anchors the current parameters.
   */
  consolidate(task: ArrayDataset, samples = 200, seed = 0): void {
    if (!Number.isInteger(samples) || samples < 1) throw errors.invalidArgument('samples', 'an integer >= 1', samples);
    if (!task.labels) throw errors.invalidArgument('task', 'a labelled data set', 'no labels');
    const vars = trainableVariables(this.model);
    const size = task.shape.reduce((a, b) => a * b, 1);
    const order = shuffledIndices(task.count, seed).slice(0, Math.min(samples, task.count));
    const sums: Record<string, tf.Tensor> = Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, tf.zeros(v.shape)]));
    for (const i of order) {
      tf.tidy(() => {
        const x = tf.tensor2d(task.data.subarray(i * size, (i + 1) * size), [1, size]);
        const y = tf.oneHot(tf.tensor1d([task.labels![i]!], 'int32'), this.model.config.classes).toFloat();
        const { grads, value } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, this.model.logits(x)) as tf.Scalar, Object.values(vars));
        value.dispose();
        for (const [k, v] of Object.entries(vars)) {
          const next = tf.add(sums[k]!, tf.square(grads[v.name]!));
          sums[k]!.dispose();
          sums[k] = tf.keep(next);
        }
      });
    }
    const added = Object.fromEntries(Object.entries(sums).map(([k, s]) => [k, tf.tidy(() => tf.div(s, order.length))]));
    tf.dispose(Object.values(sums));
    if (this.fisher) {
      const old = this.fisher;
      this.fisher = Object.fromEntries(Object.entries(old).map(([k, f]) => [k, tf.add(f, added[k]!)]));
      tf.dispose([...Object.values(old), ...Object.values(added)]);
    } else {
      this.fisher = added;
    }
    if (this.anchor) tf.dispose(Object.values(this.anchor));
    this.anchor = Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, tf.clone(v)]));
  }

  /** (lambda / 2) * sum_i F_i (theta_i - theta*_i)^2; a zero scalar before the first consolidation. Differentiable. */
  penalty(): tf.Scalar {
    if (!this.fisher || !this.anchor || this.lambda === 0) return tf.scalar(0);
    const vars = trainableVariables(this.model);
    const { fisher, anchor } = this;
    return tf.tidy(() => tf.mul(this.lambda / 2, tf.addN(Object.entries(vars).map(([k, v]) => tf.sum(tf.mul(fisher[k]!, tf.square(tf.sub(v, anchor[k]!))))))) as tf.Scalar);
  }

  /** Frees the stored Fisher and anchor. */
  dispose(): void {
    if (this.fisher) tf.dispose(Object.values(this.fisher));
    if (this.anchor) tf.dispose(Object.values(this.anchor));
    this.fisher = null;
    this.anchor = null;
  }
}
