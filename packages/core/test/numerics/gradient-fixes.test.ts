import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { initBackend } from '../../src/backend/backend.js';
import {
  fixedGradientKernels,
  gradientFixesInstalled,
  installGradientFixes,
  uninstallGradientFixes,
} from '../../src/numerics/gradient-fixes.js';
import { gradCheckVariables, gradGradCheck, type GradCheckResult } from '../../src/numerics/gradcheck.js';

/**
 * Scalar functions whose second derivative goes through the kernel under test AND
 * through another path (the `* x` factor), so that without the fix tfjs silently
 * drops a term instead of throwing.
 */
const cases: Record<string, (x: tf.Tensor) => tf.Scalar> = {
  Exp: (x) => tf.sum(tf.mul(tf.exp(x), x)),
  Tanh: (x) => tf.sum(tf.mul(tf.tanh(x), x)),
  Sigmoid: (x) => tf.sum(tf.mul(tf.sigmoid(x), x)),
  Softmax: (x) => tf.sum(tf.mul(tf.softmax(x), x)),
  Elu: (x) => tf.sum(tf.mul(tf.elu(x), x)),
  Pow: (x) => tf.sum(tf.mul(tf.pow(1.7, x), x)),
  'Max (tf.logSumExp)': (x) => tf.sum(tf.mul(tf.logSumExp(x, 1), tf.sum(x, 1))),
  // Smooth where probed (|x| < 5): its gradient builds a mask with LogicalAnd/LessEqual.
  'ClipByValue (comparison masks)': (x) => tf.sum(tf.mul(tf.square(tf.clipByValue(x, -5, 5)), x)),
};

const x0 = (): tf.Tensor => tf.randomNormal([3, 5], 0, 1, 'float32', 11);

/** Runs the check, turning a thrown "gradient function not found" into a failed result. */
function check(f: (x: tf.Tensor) => tf.Scalar, x: tf.Tensor): GradCheckResult | Error {
  try {
    return gradGradCheck(f, x, { seed: 3 });
  } catch (err) {
    return err as Error;
  }
}

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`gradient fixes (${backend})`, () => {
    before(async () => {
      await initBackend({ backend });
    });
    afterEach(() => installGradientFixes());

    it('are installed by initBackend, idempotently', () => {
      expect(gradientFixesInstalled()).to.equal(true);
      installGradientFixes();
      installGradientFixes();
      expect(gradientFixesInstalled()).to.equal(true);
      for (const k of ['Exp', 'Tanh', 'Sigmoid', 'Softmax', 'Elu', 'Pow', 'Equal', 'Greater', 'LogicalAnd']) {
        expect(fixedGradientKernels()).to.include(k);
      }
    });

    for (const [name, f] of Object.entries(cases)) {
      it(`make the second derivative through ${name} right (and it is wrong or throws without them)`, () => {
        const x = x0();
        uninstallGradientFixes();
        expect(gradientFixesInstalled()).to.equal(false);
        // (tfjs leaks the tensors it saved for backprop when backprop throws: not counted.)
        const broken = check(f, x);
        installGradientFixes();
        const before = tf.memory().numTensors;
        const fixed = check(f, x);
        const fixedCount = tf.memory().numTensors;
        x.dispose();
        if (broken instanceof Error) expect(broken.message).to.match(/gradient function not found|Cannot compute gradient/);
        else expect(broken.maxRelError, `without the fix: ${broken.summary}`).to.be.greaterThan(5e-2);
        expect(fixed).to.not.be.instanceOf(Error);
        const r = fixed as GradCheckResult;
        expect(r.ok, r.summary).to.equal(true);
        expect(r.maxRelError).to.be.lessThan(1e-2);
        expect(fixedCount).to.equal(before);
      });
    }

    it('read the saved output at first order (no recomputed Exp, Tanh, Sigmoid or Softmax) and give the stock first derivatives', async () => {
      const firstOrder: Array<[string, (x: tf.Tensor) => tf.Scalar]> = [
        ['Exp', cases['Exp']!],
        ['Tanh', cases['Tanh']!],
        ['Sigmoid', cases['Sigmoid']!],
        ['Softmax', cases['Softmax']!],
      ];
      for (const [name, f] of firstOrder) {
        const x = x0();
        const before = tf.memory().numTensors;
        let grad: Float32Array | undefined;
        const profile = await tf.profile(() => {
          const g = tf.grad(f)(x);
          grad = g.dataSync() as Float32Array;
          g.dispose();
        });
        expect(tf.memory().numTensors, `${name}: no tensor left`).to.equal(before);
        expect(profile.kernels.filter((k) => k.name === name).length, `${name} runs once (forward only)`).to.equal(1);
        uninstallGradientFixes();
        const stock = tf.tidy(() => tf.grad(f)(x).dataSync() as Float32Array);
        installGradientFixes();
        x.dispose();
        const worst = Math.max(...Array.from(grad!, (v, i) => Math.abs(v - stock[i]!)));
        expect(worst, `${name}: the stock gradient`).to.be.lessThan(1e-6);
      }
    });

    it('broadcast the Sum and Mean gradients on the backend (OnesLike, no host-filled tensor), with the stock values at first and second order', async () => {
      const fs: Array<[string, (x: tf.Tensor) => tf.Scalar]> = [
        ['Sum', (x) => tf.sum(tf.square(tf.sum(tf.mul(x, x), 1)))],
        ['Sum (every axis)', (x) => tf.square(tf.sum(tf.mul(x, x))) as tf.Scalar],
        ['Mean', (x) => tf.sum(tf.square(tf.mean(tf.mul(x, x), [0], true)))],
      ];
      for (const [name, f] of fs) {
        const x = x0();
        const hv = (): Float32Array => tf.tidy(() => tf.grad((t: tf.Tensor) => tf.sum(tf.grad(f)(t)))(x).dataSync() as Float32Array);
        let first: Float32Array | undefined;
        const before = tf.memory().numTensors;
        const profile = await tf.profile(() => {
          first = tf.tidy(() => tf.grad(f)(x).dataSync() as Float32Array);
        });
        expect(tf.memory().numTensors, `${name}: no tensor left`).to.equal(before);
        expect(profile.kernels.some((k) => k.name === 'OnesLike'), `${name}: ones made on the backend`).to.equal(true);
        const second = hv();
        uninstallGradientFixes();
        const stockFirst = tf.tidy(() => tf.grad(f)(x).dataSync() as Float32Array);
        const stockSecond = hv();
        installGradientFixes();
        x.dispose();
        const worst = (a: Float32Array, b: Float32Array): number => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]!) / Math.max(1, Math.abs(b[i]!))));
        expect(worst(first!, stockFirst), `${name}: first order`).to.be.lessThan(1e-6);
        expect(worst(second, stockSecond), `${name}: second order`).to.be.lessThan(1e-5);
      }
      const x = x0();
      const r = gradGradCheck((t: tf.Tensor) => tf.sum(tf.mul(tf.mean(tf.square(t), 1), tf.sum(t, 0).slice([0], [3]))), x, { seed: 9 });
      x.dispose();
      expect(r.ok, r.summary).to.equal(true);
    });

    const lses: Record<string, (z: tf.Tensor) => tf.Tensor> = {
      'log(sum(exp(.)))': (z) => tf.log(tf.sum(tf.exp(z), 1)),
      'tf.logSumExp': (z) => tf.logSumExp(z, 1),
    };
    for (const [lseName, lse] of Object.entries(lses)) {
      it(`make the weight gradient through unrolled descent on E = |x|^2/2 - ${lseName}(W x) match finite differences`, () => {
        // The architecture brief's example: train W through T = 3 descent steps on the state.
        const W = tf.variable(tf.randomNormal([6, 4], 0, 0.8, 'float32', 5), true);
        const xInit = tf.randomNormal([2, 4], 0, 1, 'float32', 6);
        const target = tf.randomNormal([2, 4], 0, 1, 'float32', 7);
        const energy = (x: tf.Tensor): tf.Scalar =>
          tf.sub(tf.mul(0.5, tf.sum(tf.square(x))), tf.sum(lse(tf.matMul(x, W, false, true)))) as tf.Scalar;
        const loss = (): tf.Scalar =>
          tf.tidy(() => {
            let x: tf.Tensor = xInit;
            for (let t = 0; t < 3; t++) x = tf.sub(x, tf.mul(0.3, tf.grad(energy)(x)));
            return tf.sum(tf.square(tf.sub(x, target))) as tf.Scalar;
          });
        const opts = { coordinates: 10, directions: 2 };
        uninstallGradientFixes();
        let broken: GradCheckResult | Error;
        try {
          broken = gradCheckVariables(loss, { W }, opts);
        } catch (err) {
          broken = err as Error;
        }
        installGradientFixes();
        const before = tf.memory().numTensors;
        const fixed = gradCheckVariables(loss, { W }, opts);
        expect(tf.memory().numTensors).to.equal(before);
        tf.dispose([W, xInit, target]);
        if (lseName.startsWith('log(')) {
          // Silently wrong without the fixes: no error, a wrong number.
          expect(broken).to.not.be.instanceOf(Error);
          expect((broken as GradCheckResult).maxRelError).to.be.greaterThan(5e-2);
        } else {
          expect(broken).to.be.instanceOf(Error);
          expect((broken as Error).message).to.match(/gradient function not found for Equal/);
        }
        expect(fixed.ok, fixed.summary).to.equal(true);
        expect(fixed.maxRelError).to.be.lessThan(1e-2);
      });
    }
  });
}
