import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { initBackend } from '../../src/backend/backend.js';
import { LOG_SUM_EXP_GRAD_KERNEL } from '../../src/numerics/fused-log-sum-exp.js';
import { SOFTMAX_LOG_SUM_EXP_KERNEL } from '../../src/numerics/fused-softmax-lse.js';
import { logSumExp, softmax, softmaxAndLogSumExp } from '../../src/numerics/ops.js';
import { expectGradientsOnWasmAndCpu, hostOf, hostWithShape, onNativeWasm } from '../helpers.js';

describe('fused softmax and log-sum-exp, and the fused log-sum-exp gradient (native wasm kernels)', function () {
  onNativeWasm();

  it('softmaxAndLogSumExp is one kernel with the values of softmax and logSumExp apart (rows of 1000, 33 and 1; NaN row; sizes the native Softmax takes)', async () => {
    for (const shape of [[128, 1000], [8, 3, 33], [300, 1]] as const) {
      const data = tf.tidy(() => tf.mul(tf.randomNormal([...shape], 0, 1, 'float32', 5), 20).dataSync() as Float32Array);
      data[0] = NaN; // the first row
      const x = tf.tensor(data, [...shape]);
      const profile = await tf.profile(() => {
        const r = softmaxAndLogSumExp(x);
        tf.dispose([r.softmax, r.lse]);
      });
      expect(profile.kernels.map((k) => k.name), JSON.stringify(shape)).to.deep.equal([SOFTMAX_LOG_SUM_EXP_KERNEL]);
      const got = tf.tidy(() => {
        const r = softmaxAndLogSumExp(x);
        return [hostWithShape(() => r.softmax), hostWithShape(() => r.lse)];
      });
      const want = [hostWithShape(() => softmax(x)), hostWithShape(() => logSumExp(x))];
      for (const k of [0, 1]) {
        expect(got[k]!.shape).to.deep.equal(want[k]!.shape);
        // One max and sum per row, as the two kernels compute them: the same bits.
        expect(Array.from(got[k]!.v).every((v, i) => Object.is(v, want[k]!.v[i])), `${JSON.stringify(shape)} output ${k}`).to.equal(true);
      }
      expect(Number.isNaN(got[1]!.v[0]!)).to.equal(true);
      x.dispose();
    }
  });

  it('softmaxAndLogSumExp: right at first and second order through either output and both (finite differences on wasm and cpu; H v against cpu)', async () => {
    await expectGradientsOnWasmAndCpu({
      f: (c) => (t) =>
        tf.tidy(() => {
          const { softmax: s, lse } = softmaxAndLogSumExp(tf.mul(t, 2));
          return tf.add(tf.sum(tf.mul(s, c)), tf.sum(tf.mul(lse, tf.sum(c, -1))));
        }),
      xShape: [6, 40],
      cShape: [6, 40],
      seed: 31,
      minScale: 1e-3,
      hvTolerance: 1e-4,
    });
    await expectGradientsOnWasmAndCpu({
      f: (c) => (t) => tf.tidy(() => tf.sum(tf.mul(softmaxAndLogSumExp(t).lse, c))),
      xShape: [5, 70],
      cShape: [5],
      seed: 32,
      minScale: 1e-3,
      hvTolerance: 1e-4,
    });
  });

  it("logSumExp's gradient is one kernel at first order, softmax(x) dy within 1e-6 of a float64 softmax times dy, over one and two trailing axes", async () => {
    for (const [shape, axis] of [[[128, 1000], -1], [[3, 4, 25], [1, 2]]] as Array<[number[], number | number[]]>) {
      const x = tf.mul(tf.randomNormal(shape, 0, 1, 'float32', 33), 5);
      const rows = shape[0]!;
      const w = tf.randomNormal([rows], 0, 1, 'float32', 34);
      const grad = (): tf.Tensor => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(logSumExp(t, axis), w)))(x);
      const before = tf.memory().numTensors;
      const profile = await tf.profile(() => tf.dispose(grad()));
      const names = profile.kernels.map((k) => k.name);
      expect(names).to.include(LOG_SUM_EXP_GRAD_KERNEL);
      expect(names, 'no Softmax').to.not.include('Softmax');
      const got = hostOf(grad);
      const xs = hostOf(() => x.clone());
      const ws = hostOf(() => w.clone());
      const cols = xs.length / rows;
      let worst = 0;
      for (let r = 0; r < rows; r++) {
        const row = Array.from(xs.subarray(r * cols, (r + 1) * cols));
        const m = Math.max(...row);
        const total = row.reduce((p, v) => p + Math.exp(v - m), 0);
        row.forEach((v, c) => (worst = Math.max(worst, Math.abs(got[r * cols + c]! - (Math.exp(v - m) / total) * ws[r]!))));
      }
      expect(worst, JSON.stringify(shape)).to.be.lessThan(1e-6);
      expect(tf.memory().numTensors).to.equal(before);
      tf.dispose([x, w]);
    }
  });

  it('are registered only while the native path is on (the two ops otherwise, same values)', async () => {
    expect(tf.getKernel(SOFTMAX_LOG_SUM_EXP_KERNEL, 'wasm')).to.not.equal(undefined);
    expect(tf.getKernel(LOG_SUM_EXP_GRAD_KERNEL, 'wasm')).to.not.equal(undefined);
    await initBackend({ backend: 'wasm', native: false });
    try {
      expect(tf.getKernel(SOFTMAX_LOG_SUM_EXP_KERNEL, 'wasm')).to.equal(undefined);
      expect(tf.getKernel(LOG_SUM_EXP_GRAD_KERNEL, 'wasm')).to.equal(undefined);
      const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
      const r = softmaxAndLogSumExp(x);
      const lse = hostOf(() => r.lse);
      const s = hostOf(() => r.softmax);
      expect(lse[0]).to.be.closeTo(3 + Math.log(1 + Math.exp(-1) + Math.exp(-2)), 1e-5);
      expect(s[2]).to.be.closeTo(1 / (1 + Math.exp(-1) + Math.exp(-2)), 1e-6);
      tf.dispose([x, r.softmax, r.lse]);
    } finally {
      await initBackend({ backend: 'wasm' });
    }
  });
});
