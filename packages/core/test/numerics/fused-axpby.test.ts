import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { initBackend } from '../../src/backend/backend.js';
import { ErrorCodes } from '../../src/errors/index.js';
import { AXPBY_KERNEL } from '../../src/numerics/fused-axpby.js';
import { axpby } from '../../src/numerics/ops.js';
import { expectGradientsOnWasmAndCpu, hostOf, onNativeWasm } from '../helpers.js';

describe('ops.axpby (a native wasm kernel)', function () {
  onNativeWasm();

  it('is one kernel equal to a x + b y in float32 (sizes around the vector widths and past the threading bound)', async () => {
    for (const n of [3, 17, 1000, 300001]) {
      const x = tf.randomNormal([n], 0, 1, 'float32', 40);
      const y = tf.randomNormal([n], 0, 1, 'float32', 41);
      const profile = await tf.profile(() => tf.dispose(axpby(0.9, x, -0.1, y)));
      expect(profile.kernels.map((k) => k.name), `n ${n}`).to.deep.equal([AXPBY_KERNEL]);
      const got = hostOf(() => axpby(0.9, x, -0.1, y));
      const [xs, ys] = [hostOf(() => x.clone()), hostOf(() => y.clone())];
      let worst = 0;
      for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(got[i]! - (0.9 * xs[i]! - 0.1 * ys[i]!)));
      expect(worst, `n ${n}`).to.be.lessThan(1e-6);
      tf.dispose([x, y]);
    }
  });

  it('right at first and second order, coefficients of 1 included (finite differences on wasm and cpu; H v against cpu)', async () => {
    await expectGradientsOnWasmAndCpu({
      f: (c) => (t) => tf.tidy(() => tf.sum(tf.mul(tf.square(axpby(0.7, t, -1.3, tf.sin(t))), c))),
      xShape: [6, 40],
      cShape: [6, 40],
      seed: 42,
      minScale: 1e-2,
      hvTolerance: 1e-4,
    });
    // Coefficients of 1: the gradient copies dy instead of multiplying it (both operands at once, one
    // of them the input itself, so the copies are accumulated on the tape).
    await expectGradientsOnWasmAndCpu({
      f: (c) => (t) => tf.tidy(() => tf.sum(tf.mul(tf.square(axpby(1, t, 1, tf.sin(t))), c))),
      xShape: [6, 40],
      cShape: [6, 40],
      seed: 43,
      minScale: 1e-2,
      hvTolerance: 1e-4,
    });
  });

  it('refuses operands of different shapes and non-finite coefficients with a coded error (no silent broadcast)', () => {
    const x = tf.zeros([2, 3]);
    const y = tf.zeros([3]);
    expect(() => axpby(1, x, 1, y)).to.throw().with.property('code', ErrorCodes.INVALID_ARGUMENT);
    expect(() => axpby(NaN, x, 1, x)).to.throw().with.property('code', ErrorCodes.INVALID_ARGUMENT);
    tf.dispose([x, y]);
  });

  it('is registered only while the native path is on (the composed form otherwise, same values)', async () => {
    await initBackend({ backend: 'wasm', native: false });
    try {
      expect(tf.getKernel(AXPBY_KERNEL, 'wasm')).to.equal(undefined);
      const x = tf.tensor1d([1, 2, 3]);
      const y = tf.tensor1d([10, 20, 30]);
      expect(Array.from(hostOf(() => axpby(2, x, 0.5, y)))).to.deep.equal([7, 14, 21]);
      expect(Array.from(hostOf(() => axpby(1, x, -1, y)))).to.deep.equal([-9, -18, -27]);
      tf.dispose([x, y]);
    } finally {
      await initBackend({ backend: 'wasm' });
    }
    expect(tf.getKernel(AXPBY_KERNEL, 'wasm')).to.not.equal(undefined);
  });
});
