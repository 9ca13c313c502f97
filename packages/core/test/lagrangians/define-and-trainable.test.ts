import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { initBackend } from '../../src/backend/backend.js';
import { ErrorCodes } from '../../src/errors/codes.js';
import { EngramError } from '../../src/errors/engram-error.js';
import { defineLagrangian, lagrangians } from '../../src/lagrangians/index.js';
import { gradCheckVariables } from '../../src/numerics/gradcheck.js';
import { sumPerSample } from '../../src/numerics/ops.js';

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`defineLagrangian and trainable layernorm (${backend})`, () => {
    before(async () => {
      await initBackend({ backend });
    });

    it('falls back to autodiff for the activation and to the Legendre form for the energy', () => {
      // L = sum x^4 / 4, g = x^3, E = sum(x^4) * 3/4.
      const quartic = defineLagrangian({ kind: 'test/quartic', lagrangian: (x) => tf.div(sumPerSample(tf.pow(x, 4)), 4) as tf.Tensor1D });
      expect(quartic.params).to.deep.equal({});
      expect(quartic.variables).to.deep.equal({});
      const x = tf.tensor2d([[1, -2], [0.5, 3]]);
      const before = tf.memory().numTensors;
      const g = quartic.activation(x);
      const e = quartic.energy(x);
      expect(Array.from(g.dataSync())).to.deep.equal([1, -8, 0.125, 27]);
      const ref = [(1 + 16) * 0.75, (0.0625 + 81) * 0.75];
      e.dataSync().forEach((v, i) => expect(v).to.be.closeTo(ref[i]!, 1e-4));
      tf.dispose([g, e]);
      expect(tf.memory().numTensors).to.equal(before);
      x.dispose();
    });

    it('uses a closed-form energy when given one (and it runs fewer kernels than the Legendre form)', async () => {
      const legendre = defineLagrangian({ kind: 'test/quadratic', lagrangian: (x) => tf.mul(0.5, sumPerSample(tf.square(x))) as tf.Tensor1D, activation: (x) => tf.clone(x) });
      const closed = lagrangians.identity();
      const x = tf.tensor2d([[1, -2], [0.5, 3]]);
      const [a, b] = [legendre.energy(x), closed.energy(x)];
      expect(Array.from(b.dataSync())).to.deep.equal(Array.from(a.dataSync()));
      const count = async (f: () => tf.Tensor): Promise<number> => (await tf.profile(() => tf.dispose(f()))).kernels.length;
      expect(await count(() => closed.energy(x))).to.be.lessThan(await count(() => legendre.energy(x)));
      tf.dispose([a, b, x]);
    });

    it('rejects an empty kind', () => {
      expect(() => defineLagrangian({ kind: '', lagrangian: (x) => sumPerSample(x) })).to.throw(EngramError).with.property('code', ErrorCodes.INVALID_ARGUMENT);
    });

    it('layernorm exposes trainable gamma and delta whose gradients match finite differences', () => {
      const ln = lagrangians.layernorm({ gamma: 1.3, delta: 0.1, size: 4, trainable: true, eps: 0.1 });
      const { gamma, delta } = ln.variables as { gamma: tf.Variable; delta: tf.Variable };
      expect(gamma.shape).to.deep.equal([]);
      expect(delta.shape).to.deep.equal([4]);
      expect(gamma.trainable && delta.trainable).to.equal(true);
      expect(ln.params).to.deep.equal({ gamma: 1.3, delta: 0.1, eps: 0.1, size: 4, trainable: true });
      const x = tf.randomNormal([3, 2, 4], 0, 1, 'float32', 1);
      const w = tf.randomNormal([3, 2, 4], 0, 1, 'float32', 2);
      // A loss of the activation and of L, so both depend on gamma and delta.
      const loss = (): tf.Scalar => tf.tidy(() => tf.add(tf.sum(tf.mul(ln.activation(x), w)), tf.sum(ln.lagrangian(x))) as tf.Scalar);
      const r = gradCheckVariables(loss, ln.variables);
      expect(r.ok, r.summary).to.equal(true);
      // Training moves the activation: after changing gamma the output scales with it.
      const g1 = ln.activation(x);
      gamma.assign(tf.scalar(2.6));
      delta.assign(tf.zeros([4]));
      const g2 = ln.activation(x);
      const ratio = tf.tidy(() => tf.div(g2, tf.sub(g1, 0.1)));
      for (const v of ratio.dataSync()) expect(v).to.be.closeTo(2, 1e-3);
      tf.dispose([x, w, g1, g2, ratio, gamma, delta]);
    });

    it('a trainable layernorm holds just its two variables: disposing them returns every tensor', () => {
      const before = tf.memory().numTensors;
      const ln = lagrangians.layernorm({ gamma: 1, delta: [0, 0, 0], trainable: true, size: 3 });
      expect(tf.memory().numTensors - before).to.equal(2);
      for (const v of Object.values(ln.variables)) v.dispose();
      expect(tf.memory().numTensors).to.equal(before);
    });

    it('layernorm and spherical reject states whose last axis does not fit', () => {
      const ln = lagrangians.layernorm({ delta: [0, 1, 2] });
      const x = tf.zeros([2, 4]);
      expect(() => ln.activation(x)).to.throw(EngramError).with.property('code', ErrorCodes.SHAPE_MISMATCH);
      const flat = tf.zeros([3]);
      expect(() => lagrangians.spherical().lagrangian(flat)).to.throw(EngramError).with.property('code', ErrorCodes.SHAPE_MISMATCH);
      flat.dispose();
      expect(() => lagrangians.softmax({ axis: 1 }).activation(x)).to.throw(EngramError).with.property('code', ErrorCodes.INVALID_ARGUMENT);
      x.dispose();
    });
  });
}
