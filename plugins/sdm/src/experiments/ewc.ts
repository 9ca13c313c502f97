/**
 * Elastic Weight Consolidation (Kirkpatrick et al. 2017), online form: after
 * each task the diagonal (empirical) Fisher information of the parameters is
 * added to a running total and the current parameters become the anchor; the
 * penalty (lambda / 2) * sum F (theta - theta*)^2 then resists moving weights
 * that mattered for earlier tasks. Combinable with any model of this plugin
 * through `trainSdmlp`'s `penalty` option.
 */
import * as tf from '@tensorflow/tfjs';
import { errors } from '@engram/core';
import { createRng } from '@engram/data';
import type { Sdmlp } from './sdmlp.js';
import type { LabelledTensors } from './train.js';

/** Default EWC strength: the reference's ewc_memory_importance (not re-tuned here). */
export const DEFAULT_EWC_LAMBDA = 200;

/** Online EWC regulariser for one model's trainable variables. */
export class Ewc {
  readonly lambda: number;
  private readonly model: Sdmlp;
  private fisher: tf.Tensor[] | null = null;
  private anchor: tf.Tensor[] | null = null;

  constructor(model: Sdmlp, lambda = DEFAULT_EWC_LAMBDA) {
    if (!(lambda >= 0) || !Number.isFinite(lambda)) throw errors.invalidArgument('lambda', 'a finite number >= 0', lambda);
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
  consolidate(data: LabelledTensors, samples = 200, seed = 0): void {
    if (!Number.isInteger(samples) || samples < 1) throw errors.invalidArgument('samples', 'an integer >= 1', samples);
    const vars = this.model.trainableVariables();
    const n = data.images.shape[0];
    const order = createRng(seed).permutation(n).slice(0, Math.min(samples, n));
    const sums: tf.Tensor[] = vars.map((v) => tf.zeros(v.shape));
    const labels = data.labels.dataSync();
    for (const i of order) {
      tf.tidy(() => {
        const x = tf.slice(data.images, [i, 0], [1, -1]) as tf.Tensor2D;
        const y = tf.oneHot(tf.tensor1d([labels[i]!], 'int32'), this.model.config.outputs).toFloat();
        const { grads, value } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, this.model.logits(x)) as tf.Scalar, vars);
        value.dispose();
        vars.forEach((v, j) => {
          const next = tf.add(sums[j]!, tf.square(grads[v.name]!));
          sums[j]!.dispose();
          sums[j] = tf.keep(next);
        });
      });
    }
    const added = sums.map((s) => {
      const f = tf.div(s, order.length);
      s.dispose();
      return f;
    });
    if (this.fisher) {
      const old = this.fisher;
      this.fisher = old.map((f, j) => tf.add(f, added[j]!));
      tf.dispose([...old, ...added]);
    } else {
      this.fisher = added;
    }
    if (this.anchor) tf.dispose(this.anchor);
    this.anchor = vars.map((v) => tf.clone(v));
  }

  /** (lambda / 2) * sum_i F_i (theta_i - theta*_i)^2; a zero scalar before the first consolidation. Differentiable. */
  penalty(): tf.Scalar {
    if (!this.fisher || !this.anchor || this.lambda === 0) return tf.scalar(0);
    const vars = this.model.trainableVariables();
    const fisher = this.fisher;
    const anchor = this.anchor;
    return tf.tidy(() => tf.mul(this.lambda / 2, tf.addN(vars.map((v, j) => tf.sum(tf.mul(fisher[j]!, tf.square(tf.sub(v, anchor[j]!))))))) as tf.Scalar);
  }

  /** Frees the stored Fisher and anchor. */
  dispose(): void {
    if (this.fisher) tf.dispose(this.fisher);
    if (this.anchor) tf.dispose(this.anchor);
    this.fisher = null;
    this.anchor = null;
  }
}
