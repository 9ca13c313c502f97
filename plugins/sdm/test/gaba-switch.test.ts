import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { ErrorCodes, initBackend } from '@engram/core';
import { Sdmlp, gabaResponse, gabaTopK, topKMask } from '../src/index.js';
import { codeOf } from './helpers.js';

describe('GABA switch Top-K', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('moves each neuron linearly from -1 to +1 with its own count over the horizon', () => {
    const g = tf.tidy(() => gabaResponse(tf.tensor1d([0, 25, 50, 75, 100, 1e6]), 100).dataSync());
    expect(Array.from(g)).to.deep.equal([-1, -0.5, 0, 0.5, 1, 1]);
  });

  it('is dense at -1, exact Top-K at +1 (k survivors, each reduced by the (k+1)-th value)', () => {
    const h = tf.tensor2d([
      [0.9, 0.1, 0.5, 0.7, 0.3, -0.2],
      [0.2, 0.4, 0.6, 0.8, 1.0, 0.0],
    ]);
    const dense = tf.tidy(() => gabaTopK(h, 2, tf.fill([6], -1)).arraySync());
    expect(dense[0]!.every((v) => v > 0)).to.equal(true); // relu(h) + theta: every neuron is active
    const sparse = tf.tidy(() => gabaTopK(h, 2, tf.ones([6])).arraySync());
    const expectRow = (row: number[], want: number[]): void => row.forEach((v, i) => expect(v).to.be.closeTo(want[i]!, 1e-6));
    expectRow(sparse[0]!, [0.9 - 0.5, 0, 0, 0.7 - 0.5, 0, 0]);
    expectRow(sparse[1]!, [0, 0, 0, 0.8 - 0.6, 1.0 - 0.6, 0]);
    h.dispose();
  });

  it('passes no gradient through the threshold', () => {
    const h = tf.tensor2d([[0.9, 0.1, 0.5, 0.7]]);
    const g = tf.tidy(() => tf.grad((x: tf.Tensor) => tf.sum(gabaTopK(x as tf.Tensor2D, 2, tf.ones([4]))))(h).arraySync());
    expect(g).to.deep.equal([[1, 0, 0, 1]]); // only the two winners; the third (the threshold itself) gets none
    h.dispose();
  });

  it('topKMask keeps the k largest entries per row', () => {
    const out = tf.tidy(() =>
      topKMask(
        tf.tensor2d([
          [3, 1, 2, 5],
          [0, 4, 1, 2],
        ]),
        2,
      ).arraySync(),
    );
    expect(out).to.deep.equal([
      [3, 0, 0, 5],
      [0, 4, 0, 2],
    ]);
  });

  it('in a model, training passes move the layer from dense firing to exactly k active neurons; evaluation passes do not count', () => {
    const model = new Sdmlp({ size: 20, hiddenSize: 40, classes: 3, k: 4, gabaHorizon: 30, seed: 1 });
    const x = tf.randomUniform([8, 20], 0, 1, 'float32', 3) as tf.Tensor2D;
    try {
      const active = (): number[] => tf.tidy(() => Array.from(tf.sum(tf.cast(tf.greater(model.hiddenActivations(x), 0), 'float32'), 1).dataSync()));
      expect(active().every((n) => n === 40)).to.equal(true);
      expect(Array.from(model.gaba()).every((v) => v === -1)).to.equal(true);
      // The k winners of each input always fire, so they reach the horizon (gaba = +1); neurons that stop
      // firing half-way keep gaba < 1 and stay silent.
      let previous = model.activationCounts();
      for (let i = 0; i < 100; i++) {
        tf.tidy(() => model.hiddenActivations(x, { train: true }));
        const now = model.activationCounts();
        expect(now.every((c, j) => c >= previous[j]!)).to.equal(true);
        previous = now;
      }
      const gaba = model.gaba();
      expect(gaba.filter((v) => v === 1).length).to.be.at.least(4);
      expect(active().every((n) => n === 4)).to.equal(true);
      const acts = tf.tidy(() => model.hiddenActivations(x).arraySync());
      gaba.forEach((g, j) => {
        if (g < 1) expect(acts.every((row) => row[j] === 0)).to.equal(true);
      });
      tf.tidy(() => model.hiddenActivations(x));
      expect(model.activationCounts()).to.deep.equal(previous);
    } finally {
      x.dispose();
      model.dispose();
    }
  });

  it('rejects bad k and horizon with coded errors', () => {
    const h = tf.zeros([1, 3]) as tf.Tensor2D;
    expect(codeOf(() => gabaTopK(h, 0, tf.ones([3])))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    expect(codeOf(() => topKMask(h, 1.5))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    expect(codeOf(() => gabaResponse(tf.zeros([3]), 0))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    h.dispose();
  });
});
