import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { initBackend } from '../../src/backend/backend.js';
import { EngramError } from '../../src/errors/engram-error.js';
import { gradCheckArgs, gradGradCheckArgs } from '../../src/numerics/gradcheck.js';
import { checkpoint, logSumExp } from '../../src/numerics/ops.js';

/** A small unrolled descent x <- x - dt (x - W^T softmax(W x)) with a tanh, as a step function of (x, W). */
const step = (x: tf.Tensor, w: tf.Tensor): tf.Tensor =>
  tf.tidy(() => tf.sub(x, tf.mul(tf.sub(tf.tanh(x), tf.matMul(tf.softmax(tf.matMul(x, w, false, true)), w)), 0.3)));

function unrolled(ck: boolean, steps: number) {
  const s = ck ? checkpoint(step) : step;
  return (x: tf.Tensor, w: tf.Tensor): tf.Scalar =>
    tf.tidy(() => {
      let y = x;
      for (let i = 0; i < steps; i++) y = s(y, w);
      return tf.sum(tf.mul(y, tf.sin(y))) as tf.Scalar;
    });
}

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`ops.checkpoint (${backend})`, () => {
    before(async () => {
      await initBackend({ backend });
    });
    after(async () => {
      await initBackend({ backend: 'wasm' });
    });

    it('gives the same values and first-order gradients as without it, through 4 unrolled steps', () => {
      const x = tf.randomNormal([3, 8], 0, 1, 'float32', 1);
      const w = tf.randomNormal([5, 8], 0, 0.5, 'float32', 2);
      const plain = tf.grads(unrolled(false, 4))([x, w]);
      const ck = tf.grads(unrolled(true, 4))([x, w]);
      expect(unrolled(true, 4)(x, w).dataSync()[0]).to.be.closeTo(unrolled(false, 4)(x, w).dataSync()[0]!, 1e-5);
      for (let i = 0; i < 2; i++) {
        const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(plain[i]!, ck[i]!))).dataSync()[0]!);
        expect(diff, `gradient ${i}`).to.be.lessThan(1e-5);
      }
      tf.dispose([x, w, ...plain, ...ck]);
    });

    it('passes first- and second-order finite-difference checks', () => {
      const x = tf.randomNormal([2, 6], 0, 1, 'float32', 3);
      const w = tf.randomNormal([4, 6], 0, 0.5, 'float32', 4);
      const f = unrolled(true, 3);
      const g1 = gradCheckArgs(f, [x, w], { seed: 1, tolerance: 1e-2 });
      expect(g1.ok, g1.summary).to.equal(true);
      const g2 = gradGradCheckArgs(f, [x, w], { seed: 2, eps: 1e-2, tolerance: 2e-2 });
      expect(g2.ok, g2.summary).to.equal(true);
      tf.dispose([x, w]);
    });

    it('holds one step of intermediates in the backward pass, not all of them, and leaves no tensor behind', async () => {
      const x = tf.randomNormal([16, 64], 0, 1, 'float32', 5);
      const w = tf.randomNormal([64, 64], 0, 0.2, 'float32', 6);
      // Peak above what is already allocated: tensors other suites left alive count for neither.
      const peak = async (ck: boolean): Promise<number> => {
        const base = tf.memory().numBytes;
        return (await tf.profile(() => tf.dispose(tf.grads(unrolled(ck, 8))([x, w])))).peakBytes - base;
      };
      const before = tf.memory().numTensors;
      const plain = await peak(false);
      const ck = await peak(true);
      expect(tf.memory().numTensors).to.equal(before);
      expect(ck, `peak bytes with checkpointing ${ck} vs ${plain}`).to.be.lessThan(plain / 2);
      tf.dispose([x, w]);
    });

    it('works inside a tidy whose loop disposes the step inputs, and with logSumExp inside', () => {
      const w = tf.randomNormal([4, 6], 0, 0.5, 'float32', 7);
      const x = tf.randomNormal([2, 6], 0, 1, 'float32', 8);
      const g = (ck: boolean) => {
        const s = (y: tf.Tensor, v: tf.Tensor) => tf.tidy(() => tf.add(y, tf.mul(logSumExp(tf.matMul(y, v, false, true), -1, true), 0.1)));
        const f = ck ? checkpoint(s) : s;
        return tf.grad((v: tf.Tensor) => tf.tidy(() => tf.sum(f(f(x, v), v)) as tf.Scalar))(w);
      };
      const a = g(false);
      const b = g(true);
      expect(tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!)).to.be.lessThan(1e-5);
      tf.dispose([w, x, a, b]);
    });

    it('rejects a call without inputs with a coded error', () => {
      expect(() => checkpoint(() => tf.scalar(1))()).to.throw(EngramError, /checkpoint/);
    });
  });
}
