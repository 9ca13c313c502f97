import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { initBackend } from '../../src/backend/backend.js';
import { backendInfo } from '../../src/backend/backend-info.js';
import { LAYER_NORM_KERNEL } from '../../src/numerics/fused-layer-norm.js';
import { gradCheck, gradGradCheck } from '../../src/numerics/gradcheck.js';
import { layerNorm, layerNormStats } from '../../src/numerics/ops.js';

function host(f: () => tf.Tensor): Float32Array {
  const y = tf.tidy(f);
  const v = y.dataSync() as Float32Array;
  y.dispose();
  return v;
}

describe('fused layer norm (native wasm kernel)', function () {
  before(async function () {
    await initBackend({ backend: 'wasm' });
    if (!backendInfo().native) {
      process.stdout.write(`      (skipped: ${backendInfo().nativeOff})\n`);
      this.skip();
    }
  });
  after(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('runs as one kernel with the composed values (an offset of 100 included), gain and bias applied after', async () => {
    const x = tf.tidy(() => tf.add(tf.mul(tf.randomNormal([32, 49, 128], 0, 1, 'float32', 7), 3), 100));
    const gamma = tf.randomNormal([128], 1, 0.1, 'float32', 8);
    const beta = tf.randomNormal([128], 0, 0.1, 'float32', 9);
    const profile = await tf.profile(() => tf.dispose(layerNorm(x, gamma, beta)));
    const names = profile.kernels.map((k) => k.name);
    expect(names).to.include(LAYER_NORM_KERNEL);
    expect(names.filter((n) => n === 'Mean' || n === 'Sqrt'), 'no composed statistics').to.have.length(0);
    const got = host(() => layerNorm(x, gamma, beta));
    const want = host(() => {
      const { centered, std } = layerNormStats(x, 1e-5);
      return tf.add(tf.mul(tf.div(centered, std), gamma), beta);
    });
    let worst = 0;
    for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
    expect(worst).to.be.lessThan(2e-4);
    tf.dispose([x, gamma, beta]);
  });

  it('has the right gradient at first and second order (finite differences on the fused wasm kernel and on cpu; H v against cpu)', async () => {
    const xHost = host(() => tf.randomNormal([6, 40], 0, 1, 'float32', 10));
    const cHost = host(() => tf.randomNormal([6, 40], 0, 1, 'float32', 11));
    const vHost = host(() => tf.randomNormal([6, 40], 0, 1, 'float32', 12));
    // Non-linear in y so that the second derivative sees every term of the gradient.
    const f = (c: tf.Tensor) => (t: tf.Tensor): tf.Scalar => tf.tidy(() => tf.sum(tf.mul(tf.square(tf.add(layerNorm(t, undefined, undefined, 1e-3), 0.3)), c)));
    const hv = (): Float32Array =>
      tf.tidy(() => {
        const [x, c, v] = [tf.tensor2d(xHost, [6, 40]), tf.tensor2d(cHost, [6, 40]), tf.tensor2d(vHost, [6, 40])];
        return tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.grad(f(c))(t), v)))(x).dataSync() as Float32Array;
      });
    const results: Record<string, Float32Array> = {};
    for (const backend of ['wasm', 'cpu'] as const) {
      await initBackend({ backend });
      try {
        const x = tf.tensor2d(xHost, [6, 40]);
        const c = tf.tensor2d(cHost, [6, 40]);
        const before = tf.memory().numTensors;
        const g1 = gradCheck(f(c), x, { seed: 1, tolerance: 1e-2 });
        expect(g1.ok, `${backend} first order: ${g1.summary}`).to.equal(true);
        const g2 = gradGradCheck(f(c), x, { seed: 2, eps: 3e-2, tolerance: 2e-2 });
        expect(g2.ok, `${backend} second order: ${g2.summary}`).to.equal(true);
        results[backend] = hv();
        expect(tf.memory().numTensors, `${backend}: no tensor left`).to.equal(before);
        tf.dispose([x, c]);
      } finally {
        await initBackend({ backend: 'wasm' });
      }
    }
    const cpu = results['cpu']!;
    const scale = Math.max(...Array.from(cpu, Math.abs));
    expect(scale, 'non-trivial H v').to.be.greaterThan(1e-2);
    const worst = Math.max(...Array.from(results['wasm']!, (y, i) => Math.abs(y - cpu[i]!))) / scale;
    expect(worst, 'fused H v vs cpu').to.be.lessThan(1e-3);
  });

  it('is registered only while the native path is on (the composed op otherwise)', async () => {
    expect(tf.getKernel(LAYER_NORM_KERNEL, 'wasm')).to.not.equal(undefined);
    await initBackend({ backend: 'wasm', native: false });
    try {
      expect(tf.getKernel(LAYER_NORM_KERNEL, 'wasm')).to.equal(undefined);
      const v = host(() => layerNorm(tf.tensor2d([1, 2, 3, 5], [1, 4]), undefined, undefined, 0));
      const sd = Math.sqrt(((1 - 2.75) ** 2 + (2 - 2.75) ** 2 + (3 - 2.75) ** 2 + (5 - 2.75) ** 2) / 4);
      expect(v[3]).to.be.closeTo((5 - 2.75) / sd, 1e-5);
    } finally {
      await initBackend({ backend: 'wasm' });
    }
  });
});
