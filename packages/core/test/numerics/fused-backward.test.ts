import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { initBackend } from '../../src/backend/backend.js';
import { RELU_GRAD_KERNEL, SOFTMAX_GRAD_KERNEL } from '../../src/numerics/fused-backward.js';
import { expectGradientsOnWasmAndCpu, hostOf, onNativeWasm } from '../helpers.js';

/** x with the special values ReLU's gradient must get right, then seeded normals. */
function specialX(n: number): Float32Array {
  const x = hostOf(() => tf.randomNormal([n], 0, 1, 'float32', 21));
  [NaN, Infinity, -Infinity, 0, -0, 1e-38, -1e-38].forEach((v, i) => (x[i] = v));
  return x;
}

describe('fused backward kernels (native wasm): ReLU and softmax gradients', function () {
  onNativeWasm();

  it("ReLU's gradient is one kernel at first order with the stock values (NaN, +-inf, +-0 in x; inf in dy)", async () => {
    const n = 3001;
    const xHost = specialX(n);
    const wHost = hostOf(() => tf.randomNormal([n], 0, 1, 'float32', 22));
    wHost[10] = Infinity;
    xHost[10] = -1; // inf * 0: NaN, as Step then Multiply give
    wHost[11] = -Infinity;
    xHost[11] = 2;
    const x = tf.tensor1d(xHost);
    const w = tf.tensor1d(wHost);
    const grad = (): tf.Tensor => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.relu(t), w)))(x);
    const before = tf.memory().numTensors;
    const profile = await tf.profile(() => tf.dispose(grad()));
    const names = profile.kernels.map((k) => k.name);
    expect(names).to.include(RELU_GRAD_KERNEL);
    expect(names, 'no Step').to.not.include('Step');
    const got = hostOf(grad);
    for (let i = 0; i < n; i++) {
      const s = Number.isNaN(xHost[i]!) ? NaN : xHost[i]! > 0 ? 1 : 0;
      const want = Math.fround(wHost[i]! * s);
      if (Number.isNaN(want)) expect(Number.isNaN(got[i]!), `element ${i}`).to.equal(true);
      else expect(got[i], `element ${i}`).to.equal(want);
    }
    expect(tf.memory().numTensors).to.equal(before);
    tf.dispose([x, w]);
  });

  it("softmax's gradient is one kernel at first order, equal to dy y - sum(dy y) y (rows of 49, 7 and 1)", async () => {
    for (const [rows, cols] of [[64, 49], [5, 7], [3, 1]] as const) {
      const x = tf.randomNormal([rows, cols], 0, 2, 'float32', 23);
      const w = tf.randomNormal([rows, cols], 0, 1, 'float32', 24);
      const grad = (): tf.Tensor => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.softmax(t), w)))(x);
      const before = tf.memory().numTensors;
      const profile = await tf.profile(() => tf.dispose(grad()));
      expect(profile.kernels.map((k) => k.name)).to.include(SOFTMAX_GRAD_KERNEL);
      const got = hostOf(grad);
      const [xs, ws] = [hostOf(() => x.clone()), hostOf(() => w.clone())];
      let worst = 0;
      for (let r = 0; r < rows; r++) {
        const row = Array.from(xs.subarray(r * cols, (r + 1) * cols));
        const m = Math.max(...row);
        const e = row.map((v) => Math.exp(v - m));
        const total = e.reduce((p, q) => p + q, 0);
        const y = e.map((v) => v / total);
        const dot = y.reduce((p, v, c) => p + v * ws[r * cols + c]!, 0);
        y.forEach((v, c) => (worst = Math.max(worst, Math.abs(got[r * cols + c]! - (v * ws[r * cols + c]! - dot * v)))));
      }
      expect(worst, `${rows} x ${cols}`).to.be.lessThan(1e-6);
      expect(tf.memory().numTensors).to.equal(before);
      tf.dispose([x, w]);
    }
  });

  it('ReLU: right at first and second order (finite differences on wasm and cpu; H v against cpu)', async () => {
    // relu(t) t: the first derivative 2 relu(t) goes through the fused kernel, the second through stock ones.
    await expectGradientsOnWasmAndCpu({
      f: (c) => (t) => tf.tidy(() => tf.sum(tf.mul(tf.mul(tf.relu(t), t), c))),
      xShape: [6, 40],
      cShape: [6, 40],
      seed: 30,
      minScale: 1e-2,
      hvTolerance: 1e-5,
    });
  });

  it('softmax: right at first and second order (finite differences on wasm and cpu; H v against cpu)', async () => {
    await expectGradientsOnWasmAndCpu({
      f: (c) => (t) => tf.tidy(() => tf.sum(tf.mul(tf.square(tf.softmax(t)), c))),
      xShape: [6, 40],
      cShape: [6, 40],
      seed: 31,
      minScale: 1e-3,
      hvTolerance: 1e-4,
    });
  });

  it('are registered only while the native path is on (stock kernels compose the same gradients otherwise)', async () => {
    const x = tf.randomNormal([4, 9], 0, 1, 'float32', 40);
    const w = tf.randomNormal([4, 9], 0, 1, 'float32', 41);
    const grads = (): Float32Array[] => [
      hostOf(() => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.relu(t), w)))(x)),
      hostOf(() => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.softmax(t), w)))(x)),
    ];
    const on = grads();
    expect(tf.getKernel(RELU_GRAD_KERNEL, 'wasm')).to.not.equal(undefined);
    expect(tf.getKernel(SOFTMAX_GRAD_KERNEL, 'wasm')).to.not.equal(undefined);
    const [xs, ws] = [hostOf(() => x.clone()), hostOf(() => w.clone())];
    tf.dispose([x, w]);
    await initBackend({ backend: 'wasm', native: false });
    try {
      expect(tf.getKernel(RELU_GRAD_KERNEL, 'wasm')).to.equal(undefined);
      expect(tf.getKernel(SOFTMAX_GRAD_KERNEL, 'wasm')).to.equal(undefined);
      const [x2, w2] = [tf.tensor2d(xs, [4, 9]), tf.tensor2d(ws, [4, 9])];
      const off = [
        hostOf(() => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.relu(t), w2)))(x2)),
        hostOf(() => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.softmax(t), w2)))(x2)),
      ];
      expect(Array.from(off[0]!)).to.deep.equal(Array.from(on[0]!));
      off[1]!.forEach((v, i) => expect(v).to.be.closeTo(on[1]![i]!, 1e-6));
      tf.dispose([x2, w2]);
    } finally {
      await initBackend({ backend: 'wasm' });
    }
  });
});
