import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { initBackend } from '@engram/core';
import { etEnergyGradient, etStep, etWeights, layerNorm, type EtSizes } from '../src/cases/et-block.js';

/**
 * The bench's ET block computes the twin's maths (bench/torch/et.py): its
 * closed-form dE/dg, through core's fused attention on the native path, equals
 * the twin's head-major composition written in plain tf ops, on wasm and cpu.
 */
const S: EtSizes = { batch: 3, tokens: 7, dim: 16, heads: 2, headDim: 4, memories: 9, steps: 2, alpha: 0.1 };

function twinGradient(g: tf.Tensor, w: ReturnType<typeof etWeights>): tf.Tensor {
  return tf.tidy(() => {
    const beta = 1 / Math.sqrt(S.headDim);
    const flat = tf.reshape(g, [S.batch * S.tokens, S.dim]);
    const heads = (t: tf.Tensor): tf.Tensor => tf.transpose(tf.reshape(t, [S.batch, S.tokens, S.heads, S.headDim]), [0, 2, 1, 3]);
    const back = (t: tf.Tensor): tf.Tensor => tf.reshape(tf.transpose(t, [0, 2, 1, 3]), [S.batch * S.tokens, S.heads * S.headDim]);
    const k = heads(tf.matMul(flat, w.wk));
    const q = heads(tf.matMul(flat, w.wq));
    const p = tf.softmax(tf.mul(tf.matMul(q, k, false, true), beta));
    const dq = tf.neg(tf.matMul(p, k));
    const dk = tf.neg(tf.matMul(p, q, true, false));
    const dh = tf.neg(tf.relu(tf.matMul(flat, w.xi)));
    const d = tf.add(tf.add(tf.matMul(back(dk), w.wk, false, true), tf.matMul(back(dq), w.wq, false, true)), tf.matMul(dh, w.xi, false, true));
    return tf.reshape(d, [S.batch, S.tokens, S.dim]);
  });
}

describe('bench ET block', () => {
  after(async () => {
    await initBackend({ backend: 'wasm' });
  });
  for (const backend of ['wasm', 'cpu'] as const) {
    it(`${backend}: dE/dg and the step equal the twin's composition, and leave no tensor behind`, async () => {
      await initBackend({ backend });
      const w = etWeights(S);
      // Larger weights than the bench's 0.02 so that the attention is far from uniform.
      for (const v of [w.wk, w.wq, w.xi]) v.assign(tf.mul(v, 40));
      const g = tf.randomNormal([S.batch, S.tokens, S.dim], 0, 1, 'float32', 5);
      const before = tf.memory().numTensors;
      const worst = tf.tidy(() => {
        const got = etEnergyGradient(g, w, S);
        const want = twinGradient(g, w);
        return [tf.max(tf.abs(tf.sub(got, want))).dataSync()[0]!, tf.max(tf.abs(want)).dataSync()[0]!];
      });
      expect(tf.memory().numTensors).to.equal(before);
      expect(worst[1]).to.be.greaterThan(0.1);
      expect(worst[0]! / worst[1]!).to.be.lessThan(1e-5);
      // The step (one axpby, the sign folded into alpha) is x - alpha dE/dg(LN(x)).
      const stepWorst = tf.tidy(() => {
        const got = etStep(g, w, S);
        const want = tf.sub(g, tf.mul(twinGradient(layerNorm(g, w), w), S.alpha));
        return tf.max(tf.abs(tf.sub(got, want))).dataSync()[0]!;
      });
      expect(stepWorst).to.be.lessThan(1e-5);
      expect(tf.memory().numTensors).to.equal(before);
      tf.dispose([g, ...Object.values(w)]);
    });
  }
});
