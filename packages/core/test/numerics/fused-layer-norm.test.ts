import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { initBackend } from '../../src/backend/backend.js';
import { LAYER_NORM_GRAD_KERNEL, LAYER_NORM_KERNEL } from '../../src/numerics/fused-layer-norm.js';
import { layerNorm, layerNormStats } from '../../src/numerics/ops.js';
import { expectGradientsOnWasmAndCpu, hostOf, onNativeWasm } from '../helpers.js';

describe('fused layer norm (native wasm kernel)', function () {
  onNativeWasm();

  it('runs as one kernel with the composed values (an offset of 100 included), gain and bias applied after', async () => {
    const x = tf.tidy(() => tf.add(tf.mul(tf.randomNormal([32, 49, 128], 0, 1, 'float32', 7), 3), 100));
    const gamma = tf.randomNormal([128], 1, 0.1, 'float32', 8);
    const beta = tf.randomNormal([128], 0, 0.1, 'float32', 9);
    const profile = await tf.profile(() => tf.dispose(layerNorm(x, gamma, beta)));
    const names = profile.kernels.map((k) => k.name);
    expect(names).to.include(LAYER_NORM_KERNEL);
    expect(names.filter((n) => n === 'Mean' || n === 'Sqrt'), 'no composed statistics').to.have.length(0);
    const got = hostOf(() => layerNorm(x, gamma, beta));
    const want = hostOf(() => {
      const { centered, std } = layerNormStats(x, 1e-5);
      return tf.add(tf.mul(tf.div(centered, std), gamma), beta);
    });
    let worst = 0;
    for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
    expect(worst).to.be.lessThan(2e-4);
    tf.dispose([x, gamma, beta]);
  });

  it('has the right gradient at first and second order (finite differences on the fused wasm kernel and on cpu; H v against cpu)', async () => {
    // Non-linear in y so that the second derivative sees every term of the gradient.
    await expectGradientsOnWasmAndCpu({
      f: (c) => (t) => tf.tidy(() => tf.sum(tf.mul(tf.square(tf.add(layerNorm(t, undefined, undefined, 1e-3), 0.3)), c))),
      xShape: [6, 40],
      cShape: [6, 40],
      seed: 10,
      minScale: 1e-2,
      hvTolerance: 1e-3,
    });
  });

  it('its first-order gradient is one kernel (no Mean), within 1e-5 of the composed gradient on cpu, rows of 128 and 33', async () => {
    for (const shape of [[32, 49, 128], [5, 33]]) {
      const xData = tf.tidy(() => tf.add(tf.mul(tf.randomNormal(shape, 0, 1, 'float32', 11), 2), 5).dataSync() as Float32Array);
      const cData = tf.tidy(() => tf.randomNormal(shape, 0, 1, 'float32', 12).dataSync() as Float32Array);
      const grad = (): Float32Array =>
        tf.tidy(() => {
          const c = tf.tensor(cData, shape);
          return tf.grad((t: tf.Tensor) => tf.sum(tf.mul(layerNorm(t, undefined, undefined, 1e-5), c)))(tf.tensor(xData, shape)).dataSync() as Float32Array;
        });
      const profile = await tf.profile(() => {
        grad();
      });
      const names = profile.kernels.map((k) => k.name);
      expect(names, names.join(' ')).to.include(LAYER_NORM_GRAD_KERNEL);
      expect(names, names.join(' ')).to.not.include('Mean');
      const got = grad();
      await initBackend({ backend: 'cpu' });
      let want: Float32Array;
      try {
        want = grad();
      } finally {
        await initBackend({ backend: 'wasm' });
      }
      let worst = 0;
      got.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - want[i]!))));
      expect(worst, JSON.stringify(shape)).to.be.lessThan(1e-5);
    }
  });

  it('is registered only while the native path is on (the composed op otherwise)', async () => {
    expect(tf.getKernel(LAYER_NORM_KERNEL, 'wasm')).to.not.equal(undefined);
    await initBackend({ backend: 'wasm', native: false });
    try {
      expect(tf.getKernel(LAYER_NORM_KERNEL, 'wasm')).to.equal(undefined);
      expect(tf.getKernel(LAYER_NORM_GRAD_KERNEL, 'wasm')).to.equal(undefined);
      const v = hostOf(() => layerNorm(tf.tensor2d([1, 2, 3, 5], [1, 4]), undefined, undefined, 0));
      const sd = Math.sqrt(((1 - 2.75) ** 2 + (2 - 2.75) ** 2 + (3 - 2.75) ** 2 + (5 - 2.75) ** 2) / 4);
      expect(v[3]).to.be.closeTo((5 - 2.75) / sd, 1e-5);
    } finally {
      await initBackend({ backend: 'wasm' });
    }
  });
});
