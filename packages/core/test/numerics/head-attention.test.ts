import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { initBackend } from '../../src/backend/backend.js';
import { backendInfo } from '../../src/backend/backend-info.js';
import { ErrorCodes, isEngramError } from '../../src/errors/index.js';
import { HEAD_ATTENTION_GRAD_KERNEL, HEAD_ATTENTION_KERNEL, headAttention } from '../../src/numerics/head-attention.js';
import { expectGradientsOnWasmAndCpu, hostOf } from '../helpers.js';

const [B, N, H, Y] = [3, 6, 2, 4];

/** Head-major reference from plain tf ops on the active backend: [pullQ, pullK, lse]. */
function reference(q: tf.Tensor, k: tf.Tensor, scale: number, mask: tf.Tensor | null): tf.Tensor[] {
  return tf.tidy(() => {
    const heads = (t: tf.Tensor): tf.Tensor => tf.reshape(tf.transpose(tf.reshape(t, [B, N, H, Y]), [0, 2, 1, 3]), [B * H, N, Y]);
    const back = (t: tf.Tensor): tf.Tensor => tf.reshape(tf.transpose(tf.reshape(t, [B, H, N, Y]), [0, 2, 1, 3]), [B, N, H * Y]);
    let S = tf.mul(tf.matMul(heads(q), heads(k), false, true), scale);
    if (mask) S = tf.reshape(tf.add(tf.reshape(S, [B, H, N, N]), tf.reshape(mask, [-1, 1, N, N])), [B * H, N, N]);
    const P = tf.softmax(S);
    return [back(tf.matMul(P, heads(k))), back(tf.matMul(P, heads(q), true, false)), tf.reshape(tf.logSumExp(S, -1), [B, H, N])];
  });
}

const maxDiff = (a: Float32Array, b: Float32Array): number => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return isEngramError(e) ? e.code : 'not an EngramError';
  }
  return undefined;
}

describe('headAttention (attention pulls on token-major projections)', () => {
  after(async () => {
    await initBackend({ backend: 'wasm' });
  });

  for (const backend of ['wasm', 'cpu'] as const) {
    it(`${backend}: pulls and lse equal the head-major composition, without a mask, with a shared and a per-sample mask`, async () => {
      await initBackend({ backend });
      const q = tf.randomNormal([B, N, H * Y], 0, 1, 'float32', 1);
      const k = tf.randomNormal([B, N, H * Y], 0, 1, 'float32', 2);
      const masks = [null, tf.randomNormal([N, N], 0, 1, 'float32', 3), tf.randomNormal([B, 1, N, N], 0, 1, 'float32', 4)];
      const before = tf.memory().numTensors;
      for (const mask of masks) {
        const r = headAttention(q, k, { heads: H, scale: 0.6, logMask: mask });
        const want = reference(q, k, 0.6, mask);
        [r.pullQ, r.pullK, r.lse!].forEach((t, i) => expect(maxDiff(hostOf(() => t.clone()), hostOf(() => want[i]!.clone())), `output ${i}`).to.be.lessThan(1e-5));
        expect(r.pullQ.shape).to.deep.equal([B, N, H * Y]);
        expect(r.lse!.shape).to.deep.equal([B, H, N]);
        tf.dispose([r.pullQ, r.pullK, r.lse!, ...want]);
        const noLse = headAttention(q, k, { heads: H, scale: 0.6, logMask: mask, lse: false });
        expect(noLse.lse).to.equal(null);
        tf.dispose([noLse.pullQ, noLse.pullK]);
      }
      expect(tf.memory().numTensors, 'no tensor left').to.equal(before);
      tf.dispose([q, k, ...masks.filter((m): m is tf.Tensor => !!m)]);
    });
  }

  it('runs as one kernel forward and one backward on the native path (no transposes), the backward only at first order', async function () {
    await initBackend({ backend: 'wasm' });
    if (!backendInfo().native) this.skip();
    const q = tf.randomNormal([B, N, H * Y], 0, 1, 'float32', 5);
    const k = tf.randomNormal([B, N, H * Y], 0, 1, 'float32', 6);
    const loss = (a: tf.Tensor, b: tf.Tensor): tf.Scalar => {
      const r = headAttention(a, b, { heads: H, scale: 0.8 });
      return tf.add(tf.sum(tf.square(r.pullQ)), tf.add(tf.sum(r.pullK), tf.sum(r.lse!))) as tf.Scalar;
    };
    const profile = await tf.profile(() => tf.dispose(tf.grads(loss)([q, k])));
    const names = profile.kernels.map((x) => x.name);
    expect(names).to.include(HEAD_ATTENTION_KERNEL);
    expect(names).to.include(HEAD_ATTENTION_GRAD_KERNEL);
    expect(names, 'no transposes').to.not.include('Transpose');
    // Second order: the differentiated gradient is composed (the backward kernel has no gradient).
    const second = await tf.profile(() => tf.dispose(tf.grad((a: tf.Tensor) => tf.sum(tf.grads(loss)([a, k])[0]!))(q)));
    expect(second.kernels.map((x) => x.name)).to.include('Transpose');
    tf.dispose([q, k]);
  });

  it('has the right gradient at first and second order for q and k, with a mask (finite differences on wasm and cpu; H v against cpu)', async () => {
    await expectGradientsOnWasmAndCpu({
      f: (c) => (t) =>
        tf.tidy(() => {
          // q = t, k = t * c: both inputs depend on t; every output feeds the loss non-linearly.
          const n = t.shape[1]!;
          const mask = tf.reshape(tf.mul(tf.linspace(-1, 1, n * n), 0.5), [n, n]);
          const r = headAttention(t, tf.mul(t, c), { heads: H, scale: 0.7, logMask: mask });
          return tf.add(tf.add(tf.sum(tf.square(r.pullQ)), tf.sum(tf.mul(r.pullK, c))), tf.sum(tf.square(r.lse!))) as tf.Scalar;
        }),
      xShape: [2, 5, H * Y],
      cShape: [2, 5, H * Y],
      seed: 50,
      minScale: 1e-2,
      hvTolerance: 1e-3,
    });
  });

  it('leaves no tensor behind when only one of q and k is differentiated (the other gradient is freed with the backward pass)', async () => {
    await initBackend({ backend: 'wasm' });
    const q = tf.randomNormal([B, N, H * Y], 0, 1, 'float32', 10);
    const k = tf.randomNormal([B, N, H * Y], 0, 1, 'float32', 11);
    const before = tf.memory().numTensors;
    const dq = tf.grad((a: tf.Tensor) => tf.sum(headAttention(a, k, { heads: H, scale: 0.9 }).pullK))(q);
    const dk = tf.grad((b: tf.Tensor) => tf.sum(tf.square(headAttention(q, b, { heads: H, scale: 0.9, lse: false }).pullQ)))(k);
    expect(tf.memory().numTensors).to.equal(before + 2);
    tf.dispose([dq, dk, q, k]);
  });

  it('gives the mask its gradient when something asks (shared and per-sample masks)', async () => {
    await initBackend({ backend: 'wasm' });
    const q = tf.randomNormal([B, N, H * Y], 0, 1, 'float32', 7);
    const k = tf.randomNormal([B, N, H * Y], 0, 1, 'float32', 8);
    for (const shape of [[N, N], [B, 1, N, N]]) {
      const m = tf.randomNormal(shape, 0, 1, 'float32', 9);
      const f = (mask: tf.Tensor): tf.Scalar => tf.sum(tf.square(headAttention(q, k, { heads: H, scale: 0.5, logMask: mask }).pullQ)) as tf.Scalar;
      const g = hostOf(() => tf.grad(f)(m));
      const ref = hostOf(() => tf.grad((mask: tf.Tensor) => tf.sum(tf.square(reference(q, k, 0.5, mask)[0]!)) as tf.Scalar)(m));
      expect(maxDiff(g, ref), `mask ${shape}`).to.be.lessThan(1e-4);
      m.dispose();
    }
    tf.dispose([q, k]);
  });

  it('refuses shapes that do not fit and bad options with coded errors', async () => {
    await initBackend({ backend: 'wasm' });
    const q = tf.zeros([2, 3, 8]);
    expect(codeOf(() => headAttention(q, tf.zeros([2, 3, 4]), { heads: 2, scale: 1 }))).to.equal(ErrorCodes.SHAPE_MISMATCH);
    expect(codeOf(() => headAttention(q, q, { heads: 3, scale: 1 }))).to.equal(ErrorCodes.SHAPE_MISMATCH);
    expect(codeOf(() => headAttention(tf.zeros([6, 8]), tf.zeros([6, 8]), { heads: 2, scale: 1 }))).to.equal(ErrorCodes.SHAPE_MISMATCH);
    expect(codeOf(() => headAttention(q, q, { heads: 0, scale: 1 }))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    expect(codeOf(() => headAttention(q, q, { heads: 2, scale: NaN }))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    expect(codeOf(() => headAttention(q, q, { heads: 2, scale: 1, logMask: tf.zeros([3, 4]) }))).to.equal(ErrorCodes.SHAPE_MISMATCH);
    expect(codeOf(() => headAttention(q, q, { heads: 2, scale: 1, logMask: tf.zeros([3, 3, 3]) }))).to.equal(ErrorCodes.SHAPE_MISMATCH);
  });
});
