import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { lastValueFrom, take, toArray } from 'rxjs';
import { EngramError, createEngram, deserializeModel, initBackend, serializeModel } from '@engram/core';
import sdmPlugin, { Sdmlp, createOptimizer, resolveSdmlpConfig, trainSdmlp } from '../src/index.js';

function data(n: number, d: number, classes: number, seed: number): { images: tf.Tensor2D; labels: tf.Tensor1D } {
  return {
    images: tf.randomUniform([n, d], 0, 1, 'float32', seed) as tf.Tensor2D,
    labels: tf.tensor1d(Array.from({ length: n }, (_, i) => i % classes), 'int32'),
  };
}

describe('Sdmlp', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('keeps addresses non-negative at unit L2 norm and the readout non-negative after SGD steps', async () => {
    const model = new Sdmlp({ inputSize: 30, hidden: 64, outputs: 4, k: 5, gabaHorizon: 100, seed: 2 });
    const d = data(256, 30, 4, 5);
    const optimizer = createOptimizer('sgd', 0.5);
    try {
      expect(model.b1).to.equal(null);
      expect(model.b2).to.equal(null);
      const before = model.w1.dataSync().slice();
      const events = await lastValueFrom(trainSdmlp(model, d, { optimizer, epochs: 2, batchSize: 32 }).pipe(toArray()));
      expect(events.filter((e) => e.type === 'batch')).to.have.length(16);
      expect(model.w1.dataSync()).to.not.deep.equal(before);
      const w1 = model.w1.arraySync() as number[][];
      expect(w1.every((row) => row.every((v) => v >= 0))).to.equal(true);
      for (let j = 0; j < 64; j++) {
        const norm = Math.sqrt(w1.reduce((s, row) => s + row[j]! ** 2, 0));
        expect(norm).to.be.closeTo(1, 1e-5);
      }
      expect(Array.from(model.w2.dataSync()).every((v) => v >= 0)).to.equal(true);
      expect(Math.max(...model.activationCounts())).to.be.greaterThan(0);
      const dead = model.deadNeuronFraction(d.images);
      expect(dead).to.be.within(0, 1);
    } finally {
      model.dispose();
      optimizer.dispose();
      d.images.dispose();
      d.labels.dispose();
    }
  });

  it('baseline MLPs (sdm: false) have biases and unconstrained weights', () => {
    const model = new Sdmlp({ inputSize: 10, hidden: 8, outputs: 3, activation: 'relu', sdm: false });
    try {
      expect(model.trainableVariables()).to.have.length(4);
      expect(Array.from(model.w1.dataSync()).some((v) => v < 0)).to.equal(true);
    } finally {
      model.dispose();
    }
  });

  it('round-trips spec, weights and GABA counts through the core serialization', async () => {
    const engram = await createEngram({ plugins: [sdmPlugin] });
    const model = (await engram.createModel('sdm/sdmlp', { inputSize: 12, hidden: 20, outputs: 3, k: 3, gabaHorizon: 50, seed: 4 })) as Sdmlp;
    const x = tf.randomUniform([6, 12], 0, 1, 'float32', 9) as tf.Tensor2D;
    try {
      tf.tidy(() => model.hiddenActivations(x, { train: true }));
      const artifacts = serializeModel(model, { engram });
      const fresh = await createEngram({ plugins: [sdmPlugin] });
      const copy = await deserializeModel<Sdmlp>(fresh, artifacts);
      try {
        expect(copy.kind).to.equal('sdm/sdmlp');
        expect(copy.config).to.deep.equal(model.config);
        expect(copy.activationCounts()).to.deep.equal(model.activationCounts());
        const a = tf.tidy(() => model.logits(x).dataSync());
        const b = tf.tidy(() => copy.logits(x).dataSync());
        expect(Array.from(b)).to.deep.equal(Array.from(a));
      } finally {
        copy.dispose();
      }
    } finally {
      model.dispose();
      x.dispose();
    }
  });

  it('training stream is cancellable and leaks no tensors', async () => {
    const d = data(512, 30, 4, 6);
    const start = tf.memory().numTensors;
    const model = new Sdmlp({ inputSize: 30, hidden: 32, outputs: 4, k: 4, seed: 3 });
    const optimizer = createOptimizer('adam');
    const seen = await lastValueFrom(trainSdmlp(model, d, { optimizer, epochs: 5, batchSize: 16 }).pipe(take(3), toArray()));
    expect(seen).to.have.length(3);
    // Give the cancelled loop a turn to notice the unsubscription.
    await new Promise((r) => setTimeout(r, 20));
    model.dispose();
    optimizer.dispose();
    expect(tf.memory().numTensors).to.equal(start);
    d.images.dispose();
    d.labels.dispose();
  });

  it('rejects bad configs and inputs with EngramErrors', async () => {
    expect(() => resolveSdmlpConfig({ hidden: 0 })).to.throw(EngramError, /hidden/);
    expect(() => resolveSdmlpConfig({ k: 1000, hidden: 1000 })).to.throw(EngramError, /k/);
    expect(() => resolveSdmlpConfig({ activation: 'tanh' as never })).to.throw(EngramError, /activation/);
    expect(() => resolveSdmlpConfig({ gabaHorizon: -1 })).to.throw(EngramError, /gabaHorizon/);
    expect(() => resolveSdmlpConfig({ hiden: 10 } as never)).to.throw(EngramError, /hiden/);
    const engram = await createEngram({ plugins: [sdmPlugin] });
    await engram.createModel('sdm/sdmlp', { outputs: 1 }).then(
      () => expect.fail('should reject'),
      (e: unknown) => expect(String(e)).to.match(/outputs/),
    );
    const model = new Sdmlp({ inputSize: 5, hidden: 8, outputs: 2, k: 2 });
    const bad = tf.zeros([3, 4]) as tf.Tensor2D;
    const labels = tf.tensor1d([0, 1], 'int32');
    try {
      expect(() => model.logits(bad)).to.throw(EngramError, /shape/);
      expect(() => trainSdmlp(model, { images: bad, labels }, { optimizer: createOptimizer('sgd') })).to.throw(EngramError);
      expect(() => createOptimizer('rmsprop' as never)).to.throw(EngramError, /optimizer/);
      expect(() => createOptimizer('sgd', -1)).to.throw(EngramError, /learningRate/);
      const w = model.getWeights();
      expect(() => model.setWeights({ ...w, w1: bad })).to.throw(EngramError, /w1/);
    } finally {
      bad.dispose();
      labels.dispose();
      model.dispose();
    }
    expect(() => model.logits(tf.zeros([1, 5]) as tf.Tensor2D)).to.throw(EngramError, /disposed/);
  });
});
