import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { initBackend } from '../../src/backend/backend.js';
import { LOG_SUM_EXP_KERNEL } from '../../src/numerics/fused-log-sum-exp.js';
import { logSumExp } from '../../src/numerics/ops.js';
import { expectGradientsOnWasmAndCpu, hostWithShape, onNativeWasm } from '../helpers.js';

/** The composed log-sum-exp (what core runs without the fused kernel), for reference. */
function composed(x: tf.Tensor, axes: number[], keepDims: boolean): tf.Tensor {
  return tf.tidy(() => {
    const m = tf.max(x, axes, true);
    const lse = tf.add(tf.log(tf.sum(tf.exp(tf.sub(x, m)), axes, true)), m);
    return keepDims ? lse : tf.squeeze(lse, axes);
  });
}

describe('fused log-sum-exp (native wasm kernel)', function () {
  onNativeWasm();

  it('runs as one kernel over trailing axes, with the composed values (NaN, +inf and all -inf rows included), keepDims honoured', async () => {
    const data = tf.tidy(() => tf.mul(tf.randomNormal([6, 5, 40], 0, 1, 'float32', 3), 30).dataSync() as Float32Array);
    data.fill(-Infinity, 0, 40);
    data[45] = NaN;
    data[120] = Infinity;
    const x = tf.tensor3d(data, [6, 5, 40]);
    for (const [axis, keep] of [[-1, false], [2, true], [[1, 2], false], [[2, 1], true]] as Array<[number | number[], boolean]>) {
      const axes = (Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + 3 : a)).sort();
      const profile = await tf.profile(() => tf.dispose(logSumExp(x, axis, keep)));
      expect(profile.kernels.map((k) => k.name), `axis ${JSON.stringify(axis)}`).to.include(LOG_SUM_EXP_KERNEL);
      expect(profile.kernels.filter((k) => ['Max', 'Exp', 'Log'].includes(k.name)), 'no composed kernels').to.have.length(0);
      const got = hostWithShape(() => logSumExp(x, axis, keep));
      const want = hostWithShape(() => composed(x, axes, keep));
      expect(got.shape).to.deep.equal(want.shape);
      for (let i = 0; i < want.v.length; i++) {
        const w = want.v[i]!;
        if (Number.isNaN(w)) expect(got.v[i], `entry ${i} of axis ${JSON.stringify(axis)}`).to.be.NaN;
        else expect(Math.abs(got.v[i]! - w), `entry ${i} of axis ${JSON.stringify(axis)}`).to.be.lessThan(2e-6 * Math.max(1, Math.abs(w)));
      }
    }
    // A leading or middle axis keeps the composed path.
    const middle = await tf.profile(() => tf.dispose(logSumExp(x, 1)));
    expect(middle.kernels.map((k) => k.name)).to.not.include(LOG_SUM_EXP_KERNEL);
    x.dispose();
  });

  it('has the right gradient at first and second order (finite differences on the fused wasm kernel and on cpu; H v against cpu)', async () => {
    await expectGradientsOnWasmAndCpu({
      f: (c) => (t) => tf.tidy(() => tf.sum(tf.mul(logSumExp(tf.mul(t, 3), -1), c))),
      xShape: [8, 300],
      cShape: [8],
      seed: 4,
      minScale: 1e-3,
      hvTolerance: 1e-4,
    });
  });

  it('is registered only while the native path is on (the composed op otherwise)', async () => {
    expect(tf.getKernel(LOG_SUM_EXP_KERNEL, 'wasm')).to.not.equal(undefined);
    await initBackend({ backend: 'wasm', native: false });
    try {
      expect(tf.getKernel(LOG_SUM_EXP_KERNEL, 'wasm')).to.equal(undefined);
      const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
      const v = hostWithShape(() => logSumExp(x)).v;
      expect(v[0]).to.be.closeTo(3 + Math.log(1 + Math.exp(-1) + Math.exp(-2)), 1e-5);
      x.dispose();
    } finally {
      await initBackend({ backend: 'wasm' });
    }
    expect(tf.getKernel(LOG_SUM_EXP_KERNEL, 'wasm')).to.not.equal(undefined);
  });
});
