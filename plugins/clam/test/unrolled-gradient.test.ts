import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { gradCheckVariables, gradGradCheckArgs, initBackend } from '@engram/core';
import { ClamModel, completionLoss, prototypeGradient, type ClamBatch } from '../src/index.js';
import { BACKENDS, randomRows } from './helpers.js';

/**
 * Training differentiates the mask-and-complete loss through all T unrolled
 * steps into the prototypes: checked against central finite differences at
 * first order (the gradient Adam uses) and at second order (the unrolled
 * steps contain dE/dx, so the loss's gradient is itself a derivative of a
 * gradient; its Hessian-vector products are checked too), on wasm and cpu.
 */
function batchOf(seed: number, n: number, d: number): ClamBatch {
  const x = tf.tensor2d(randomRows(n, d, seed, 1.2));
  const hidden = tf.tensor2d(randomRows(n, d, seed + 1).map((r) => r.map((v, j) => (v > 0.3 || j === 0 ? 1 : 0))));
  return { x, hidden, fill: tf.zeros([1, d]) };
}

/** The same loss as a pure function of the prototypes (prototypeGradient is what the dynamics step uses). */
function lossOf(rho: tf.Tensor, b: ClamBatch, beta: number, dt: number, steps: number): tf.Scalar {
  return tf.tidy(() => {
    const visible = tf.sub(1, b.hidden);
    let x = tf.add(tf.mul(b.x, visible), tf.mul(b.fill, b.hidden)) as tf.Tensor2D;
    for (let t = 0; t < steps; t++) x = tf.sub(x, tf.mul(tf.mul(prototypeGradient(x, rho as tf.Tensor2D, beta), dt), b.hidden)) as tf.Tensor2D;
    return tf.mean(tf.mul(tf.square(tf.sub(x, b.x)), b.hidden)) as tf.Scalar;
  });
}

for (const backend of BACKENDS) {
  describe(`gradient through the T unrolled steps (${backend})`, () => {
    before(async () => {
      await initBackend({ backend });
    });

    for (const beta of [1.1, 2.4]) {
      it(`beta ${beta}, T = 10: d loss / d prototypes equals finite differences`, () => {
        const model = new ClamModel({ size: 4, memories: 3, beta, initStd: 1 });
        const b = batchOf(21, 5, 4);
        const r = gradCheckVariables(() => model.loss(b), model.variables(), { seed: 3, eps: 1e-2 });
        expect(r.ok, r.summary).to.equal(true);
        tf.dispose([b.x, b.hidden, b.fill]);
        model.dispose();
      });
    }

    it('the model loss (core integrate + clamp) equals the pure unrolled loss', () => {
      const model = new ClamModel({ size: 3, memories: 4, beta: 1.5, initStd: 1, seed: 5 });
      const b = batchOf(31, 6, 3);
      const a = completionLoss({ synapse: model.synapse, beta: 1.5, dt: 0.1, steps: 10 }, b);
      const p = lossOf(model.patterns, b, 1.5, 0.1, 10);
      expect(a.dataSync()[0]).to.be.closeTo(p.dataSync()[0]!, 1e-6);
      tf.dispose([a, p, b.x, b.hidden, b.fill]);
      model.dispose();
    });

    it('second order: Hessian-vector products of the unrolled loss w.r.t. the prototypes equal finite differences', () => {
      const rho = tf.tensor2d(randomRows(3, 3, 41, 1));
      const b = batchOf(42, 4, 3);
      const r = gradGradCheckArgs((p) => lossOf(p, b, 1.9, 0.1, 10), [rho], { seed: 4, eps: 1e-2 });
      expect(r.ok, r.summary).to.equal(true);
      tf.dispose([rho, b.x, b.hidden, b.fill]);
    });
  });
}
