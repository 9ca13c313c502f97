import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { initBackend } from '../../src/backend/backend.js';
import { ErrorCodes } from '../../src/errors/codes.js';
import { EngramError } from '../../src/errors/engram-error.js';
import { gradCheck, gradCheckArgs, gradCheckVariables, gradGradCheck, gradGradCheckArgs } from '../../src/numerics/gradcheck.js';

/** x -> sum(x^3) with a gradient that is off by `factor` on the entries > 0: a planted bug. */
function buggyCube(factor: number): (x: tf.Tensor) => tf.Scalar {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
    save([x]);
    return {
      value: tf.sum(tf.pow(x, 3)),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [s] = saved as [tf.Tensor];
        const bug = tf.where(tf.greater(s, 0), tf.fill(s.shape, factor), tf.onesLike(s));
        return tf.mul(dy, tf.mul(bug, tf.mul(3, tf.square(s))));
      },
    };
  });
  return (x) => op(x) as tf.Scalar;
}

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`gradCheck and friends (${backend})`, () => {
    before(async () => {
      await initBackend({ backend });
    });

    it('passes a correct gradient and catches a wrong one, naming the worst probe', () => {
      const x = tf.randomNormal([5, 7], 0, 1, 'float32', 1);
      const good = gradCheck(buggyCube(1), x);
      expect(good.ok, good.summary).to.equal(true);
      expect(good.entries.length).to.equal(12 + 2);
      const bad = gradCheck(buggyCube(1.05), x);
      expect(bad.ok).to.equal(false);
      expect(bad.maxRelError).to.be.greaterThan(0.02);
      expect(bad.summary).to.match(/^FAILED/);
      expect(bad.worst?.arg).to.equal('0');
      x.dispose();
    });

    it('is deterministic for a seed, probes every coordinate of small tensors, and honours options', () => {
      const x = tf.tensor1d([0.5, -1, 2]);
      const f = (z: tf.Tensor): tf.Scalar => tf.sum(tf.sin(z));
      const a = gradCheck(f, x, { seed: 9 });
      const b = gradCheck(f, x, { seed: 9 });
      expect(a.entries).to.deep.equal(b.entries);
      const coords = a.entries.filter((e) => e.probe === 'coordinate').map((e) => e.index).sort();
      expect(coords).to.deep.equal([0, 1, 2]);
      const c = gradCheck(f, x, { coordinates: 1, directions: 0, eps: 1e-3 });
      expect(c.entries.length).to.equal(1);
      expect(c.eps).to.equal(1e-3);
      // The probes are exact derivatives of sin: cos.
      for (const e of a.entries.filter((p) => p.probe === 'coordinate')) expect(e.analytic).to.be.closeTo(Math.cos([0.5, -1, 2][e.index]!), 1e-6);
      x.dispose();
    });

    it('checks several arguments, and mixed second derivatives with gradGradCheckArgs', () => {
      const a = tf.randomNormal([3, 4], 0, 1, 'float32', 2);
      const w = tf.randomNormal([4, 2], 0, 0.5, 'float32', 3);
      const f = (x: tf.Tensor, W: tf.Tensor): tf.Scalar => tf.sum(tf.logSumExp(tf.matMul(x, W), 1));
      const r1 = gradCheckArgs(f, [a, w]);
      expect(r1.ok, r1.summary).to.equal(true);
      expect(new Set(r1.entries.map((e) => e.arg))).to.deep.equal(new Set(['0', '1']));
      const r2 = gradGradCheckArgs(f, [a, w], { seed: 4 });
      expect(r2.ok, r2.summary).to.equal(true);
      tf.dispose([a, w]);
    });

    it('catches a wrong second derivative that a first-order check cannot see', () => {
      // value and first derivative right, second derivative wrong: d/dx of the gradient
      // ignores the saved x (the classic output-saving bug, planted here on purpose).
      const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
        const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
        const y = tf.exp(x);
        save([tf.exp(x)]); // saved outside the tape's view of x
        return { value: tf.sum(y), gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, saved[0] as tf.Tensor) };
      });
      const f = (x: tf.Tensor): tf.Scalar => tf.sum(tf.mul(op(x) as tf.Tensor, tf.sum(x)));
      const x = tf.randomNormal([6], 0, 1, 'float32', 5);
      expect(gradCheck(f, x).ok).to.equal(true);
      let second: boolean;
      try {
        second = gradGradCheck(f, x).ok;
      } catch {
        second = false;
      }
      expect(second).to.equal(false);
      const right = gradGradCheck((z) => tf.sum(tf.mul(tf.sum(tf.exp(z)), tf.sum(z))), x, { v: tf.onesLike(x) });
      expect(right.ok, right.summary).to.equal(true);
      x.dispose();
    });

    it('checks gradients w.r.t. variables and restores them exactly, even when f throws', () => {
      const W = tf.variable(tf.randomNormal([3, 3], 0, 1, 'float32', 6), true, 'gradcheck-W-' + backend);
      const b = tf.variable(tf.randomNormal([3], 0, 1, 'float32', 7), true);
      const x = tf.randomNormal([2, 3], 0, 1, 'float32', 8);
      const saved = W.dataSync().slice();
      const before = tf.memory().numTensors;
      const f = (): tf.Scalar => tf.sum(tf.tanh(tf.add(tf.matMul(x, W), b)));
      const r = gradCheckVariables(f, { W, b });
      expect(r.ok, r.summary).to.equal(true);
      expect(new Set(r.entries.map((e) => e.arg))).to.deep.equal(new Set(['W', 'b']));
      const byName = gradCheckVariables(f, [W]);
      expect(byName.entries[0]!.arg).to.equal('gradcheck-W-' + backend);
      expect(Array.from(W.dataSync())).to.deep.equal(Array.from(saved));
      let calls = 0;
      const throwing = (): tf.Scalar => {
        if (++calls > 1) throw new Error('boom');
        return f();
      };
      expect(() => gradCheckVariables(throwing, { W })).to.throw(/boom/);
      expect(Array.from(W.dataSync())).to.deep.equal(Array.from(saved));
      expect(tf.memory().numTensors).to.equal(before);
      tf.dispose([W, b, x]);
    });

    it('does not leak tensors', () => {
      const x = tf.randomNormal([4, 4], 0, 1, 'float32', 10);
      const before = tf.memory().numTensors;
      gradCheck((z) => tf.sum(tf.sigmoid(z)), x);
      gradGradCheck((z) => tf.sum(tf.sigmoid(z)), x);
      gradGradCheck((z) => tf.sum(tf.sigmoid(z)), x, { v: new Float32Array(16).fill(1) });
      gradCheck((z) => tf.sum(tf.sigmoid(z)), [[1, 2], [3, 4]]);
      gradGradCheck((z) => tf.sum(tf.sigmoid(z)), [[1, 2], [3, 4]]);
      expect(() => gradGradCheck((z) => tf.sum(z), x, { v: [1, 2, 3] })).to.throw(EngramError);
      expect(tf.memory().numTensors).to.equal(before);
      x.dispose();
    });

    it('rejects bad input with coded errors', () => {
      const x = tf.ones([2, 2]);
      const fails = (fn: () => unknown): void => {
        expect(fn).to.throw(EngramError).with.property('code', ErrorCodes.INVALID_ARGUMENT);
      };
      fails(() => gradCheck((z) => tf.square(z) as unknown as tf.Scalar, x));
      fails(() => gradCheck((z) => tf.sum(z), x, { eps: 0 }));
      fails(() => gradCheck((z) => tf.sum(z), x, { coordinates: -1 }));
      fails(() => gradGradCheck((z) => tf.sum(tf.square(z)), x, { v: [tf.ones([3])] }));
      const frozen = tf.variable(tf.ones([2]), false);
      fails(() => gradCheckVariables(() => tf.sum(frozen), [frozen]));
      tf.dispose([x, frozen]);
    });
  });
}
