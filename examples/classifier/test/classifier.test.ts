import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { hasFashionMnist } from '@engram/data/node';
import { initBackend } from '@engram/core';
import { AmClassifier, runClassifierExample } from '../src/index.js';

describe('example (a): hierarchical AM classifier on Fashion-MNIST', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('predicts label probabilities and leaks no tensors', () => {
    const clf = new AmClassifier({ hidden: 16 });
    const before = tf.memory().numTensors;
    const x = tf.randomUniform([3, 784], 0, 1, 'float32', 1) as tf.Tensor2D;
    const p = clf.predict(x);
    expect(p.shape).to.deep.equal([3, 10]);
    const sums = tf.tidy(() => tf.sum(p, 1).dataSync());
    for (const s of sums) expect(s).to.be.closeTo(1, 1e-5);
    tf.dispose([x, p]);
    expect(tf.memory().numTensors).to.equal(before);
    clf.dispose();
  });

  it('reaches >= 75% held-out accuracy trained on 5,000 images through the unrolled dynamics', async function () {
    if (!hasFashionMnist()) {
      this.skip(); // needs the full set: sudo apt-get install dataset-fashion-mnist (CI installs it)
    }
    const r = await runClassifierExample({ trainImages: 5000, testImages: 2000, epochs: 2, source: 'full' });
    console.log(`      held-out accuracy ${(100 * r.testAccuracy).toFixed(1)}% in ${r.seconds.toFixed(1)} s (${r.backend})`);
    expect(r.trainImages).to.equal(5000);
    expect(r.testAccuracy).to.be.at.least(0.75);
    expect(r.lossByEpoch[1]!).to.be.lessThan(r.lossByEpoch[0]!);
  });
});
