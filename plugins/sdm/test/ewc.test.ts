import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { EngramError, initBackend } from '@engram/core';
import { Ewc, Sdmlp } from '../src/index.js';

describe('EWC', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('is zero before consolidation, zero at the anchor, positive and differentiable away from it, and frees its tensors', () => {
    const start = tf.memory().numTensors;
    const model = new Sdmlp({ inputSize: 10, hidden: 16, outputs: 3, activation: 'relu', sdm: false, seed: 1 });
    const images = tf.randomUniform([20, 10], 0, 1, 'float32', 2) as tf.Tensor2D;
    const labels = tf.tensor1d(Array.from({ length: 20 }, (_, i) => i % 3), 'int32');
    const ewc = new Ewc(model, 100);
    const value = (): number => tf.tidy(() => ewc.penalty().dataSync()[0]!);
    expect(value()).to.equal(0);
    ewc.consolidate({ images, labels }, 10);
    expect(ewc.active).to.equal(true);
    expect(value()).to.equal(0);
    tf.tidy(() => model.w2.assign(tf.add(model.w2, 0.5)));
    expect(value()).to.be.greaterThan(0);
    const grads = tf.tidy(() => {
      const { grads: g, value: v } = tf.variableGrads(() => ewc.penalty(), model.trainableVariables());
      v.dispose();
      return Object.values(g).map((t) => t.abs().sum().dataSync()[0]!);
    });
    expect(Math.max(...grads)).to.be.greaterThan(0);
    // A second task adds to the Fisher and moves the anchor.
    ewc.consolidate({ images, labels }, 5, 1);
    expect(value()).to.equal(0);
    ewc.dispose();
    model.dispose();
    images.dispose();
    labels.dispose();
    expect(tf.memory().numTensors).to.equal(start);
  });

  it('rejects a bad strength or sample count', () => {
    const model = new Sdmlp({ inputSize: 4, hidden: 6, outputs: 2, k: 2 });
    try {
      expect(() => new Ewc(model, -1)).to.throw(EngramError, /lambda/);
      const x = tf.zeros([2, 4]) as tf.Tensor2D;
      const y = tf.tensor1d([0, 1], 'int32');
      expect(() => new Ewc(model).consolidate({ images: x, labels: y }, 0)).to.throw(EngramError, /samples/);
      x.dispose();
      y.dispose();
    } finally {
      model.dispose();
    }
  });
});
