import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { ErrorCodes, initBackend, trainableVariables, type ArrayDataset } from '@engram/core';
import { Ewc, Sdmlp } from '../src/index.js';
import { codeOf } from './helpers.js';

const task = (n: number, size: number, classes: number, seed: number): ArrayDataset => ({
  count: n,
  shape: [size],
  data: tf.tidy(() => tf.randomUniform([n, size], 0, 1, 'float32', seed).dataSync() as Float32Array),
  labels: Int32Array.from({ length: n }, (_, i) => i % classes),
  classes,
});

describe('EWC', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('is zero before consolidation, zero at the anchor, positive and differentiable away from it, and frees its tensors', () => {
    const start = tf.memory().numTensors;
    const model = new Sdmlp({ size: 10, hiddenSize: 16, classes: 3, activation: 'relu', sdm: false, seed: 1 });
    const data = task(20, 10, 3, 2);
    const ewc = new Ewc(model, 100);
    const value = (): number => tf.tidy(() => ewc.penalty().dataSync()[0]!);
    expect(value()).to.equal(0);
    ewc.consolidate(data, 10);
    expect(ewc.active).to.equal(true);
    expect(value()).to.equal(0);
    tf.tidy(() => model.w2.assign(tf.add(model.w2, 0.5)));
    expect(value()).to.be.greaterThan(0);
    const grads = tf.tidy(() => {
      const { grads: g, value: v } = tf.variableGrads(() => ewc.penalty(), Object.values(trainableVariables(model)));
      v.dispose();
      return Object.values(g).map((t) => t.abs().sum().dataSync()[0]!);
    });
    expect(Math.max(...grads)).to.be.greaterThan(0);
    expect(Object.keys(trainableVariables(model)), 'the GABA counts are not a parameter').to.not.include('counts');
    ewc.consolidate(data, 5, 1); // a second task adds to the Fisher and moves the anchor
    expect(value()).to.equal(0);
    ewc.dispose();
    model.dispose();
    expect(tf.memory().numTensors).to.equal(start);
  });

  it('rejects a bad strength, sample count or unlabelled task', () => {
    const model = new Sdmlp({ size: 4, hiddenSize: 6, classes: 2, k: 2 });
    try {
      expect(codeOf(() => new Ewc(model, -1))).to.equal(ErrorCodes.INVALID_ARGUMENT);
      expect(codeOf(() => new Ewc(model).consolidate(task(2, 4, 2, 1), 0))).to.equal(ErrorCodes.INVALID_ARGUMENT);
      expect(codeOf(() => new Ewc(model).consolidate({ count: 1, shape: [4], data: new Float32Array(4) }))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    } finally {
      model.dispose();
    }
  });
});
