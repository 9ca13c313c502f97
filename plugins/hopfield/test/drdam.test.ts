import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { lastValueFrom, take, toArray } from 'rxjs';
import { ErrorCodes, initBackend } from '@engram/core';
import { DrDAM, drdamExactEnergy, logLogSlope } from '../src/index.js';
import { drdamEnergyRef, drdamPhiRef } from './references.js';
import { codeOf, expectClose, leaked, notificationCode, patterns } from './helpers.js';

const D = 30;
const K = 50;
const BETA = 10;

/** K random ±1/sqrt(D) memories (unit norm), [K, D]. */
function unitMemories(seed: number): tf.Tensor2D {
  return tf.tensor2d(patterns(K, D, seed).map((v) => v / Math.sqrt(D)), [K, D]);
}

function meanAbsError(y: number, seed: number, mem: tf.Tensor2D, exact: tf.Tensor1D): number {
  const dam = new DrDAM({ size: D, features: y, beta: BETA, seed }).store(mem);
  const q = mem.slice([0, 0], [exact.shape[0], D]);
  const approx = dam.energy(q);
  const err = tf.tidy(() => tf.mean(tf.abs(tf.sub(approx.total, exact))).dataSync()[0]!);
  tf.dispose([q, approx.total, ...Object.values(approx.terms!)]);
  dam.dispose();
  return err;
}

describe('DrDAM', () => {
  let mem: tf.Tensor2D;
  before(async () => {
    await initBackend({ backend: 'wasm' });
    mem = unitMemories(1);
  });
  after(() => mem.dispose());

  it('D=30, K=50, beta=10: the energy error at the memories falls as Y^-(0.5 +- 0.2) from Y=1k to 100k', () => {
    // Error measured at 10 of the 50 stored memories (keeps the Y = 100k feature block small).
    const q = mem.slice([0, 0], [10, D]);
    const exact = drdamExactEnergy(q, mem, BETA);
    const ys = [1000, 10000, 100000];
    const errs = ys.map((y) => (meanAbsError(y, 11, mem, exact) + meanAbsError(y, 12, mem, exact)) / 2);
    tf.dispose([q, exact]);
    expect(errs[0]!).to.be.greaterThan(errs[1]!);
    expect(errs[1]!).to.be.greaterThan(errs[2]!);
    expect(-logLogSlope(ys, errs)).to.be.within(0.3, 0.7);
  });

  it('adding a memory changes T but leaves the parameter count unchanged', () => {
    const dam = new DrDAM({ size: D, features: 500, beta: BETA });
    const before = dam.parameterCount;
    expect(before).to.equal(500 * D + 500 + 1000);
    const t0 = dam.memoryVector.dataSync().slice();
    const one = mem.slice([0, 0], [1, D]);
    dam.addMemories(one);
    expect(dam.parameterCount).to.equal(before);
    expect(dam.memories).to.equal(1);
    const t1 = dam.memoryVector.dataSync();
    expect(t1.some((v, i) => v !== t0[i])).to.equal(true);
    dam.addMemories(mem);
    expect(dam.parameterCount).to.equal(before);
    expect(dam.memories).to.equal(K + 1);
    dam.store(one);
    expect(dam.memories).to.equal(1);
    expect(Array.from(dam.memoryVector.dataSync())).to.deep.equal(Array.from(t1));
    one.dispose();
    dam.dispose();
  });

  it('every feature map approximates the kernel; energy and dE/dx equal the previous hand-written ones (1e-5 relative) and autodiff', () => {
    const q = tf.tidy(() => tf.add(mem.slice([0, 0], [4, D]), tf.randomNormal([4, D], 0, 0.05, 'float32', 3))) as tf.Tensor2D;
    const exact = drdamExactEnergy(q, mem, 2);
    for (const kernel of ['sincos', 'cos', 'positive'] as const) {
      const dam = new DrDAM({ size: D, features: 40000, beta: 2, kernel, seed: 5 }).store(mem);
      const e = dam.energy(q);
      expect(tf.tidy(() => tf.max(tf.abs(tf.sub(e.total, exact))).dataSync()[0]!), kernel).to.be.lessThan(0.1);
      const v = dam.variables();
      // The previous hand-written energy, on T folded by tf ops (the model folds with host trigonometry).
      const t = tf.tidy(() => tf.sum(drdamPhiRef(kernel, 2, v['projections'] as tf.Tensor as tf.Tensor2D, v['phases'] as tf.Tensor as tf.Tensor1D, mem), 0)) as tf.Tensor1D;
      expectClose(dam.memoryVector, t, `${kernel} memory vector`, 1e-5);
      const ref = drdamEnergyRef(drdamPhiRef(kernel, 2, v['projections'] as tf.Tensor as tf.Tensor2D, v['phases'] as tf.Tensor as tf.Tensor1D, q), t, 2, 1e-5);
      expectClose(e.total, ref, `${kernel} energy`);
      const analytic = dam.energyGradient(q);
      const auto = tf.grad((x: tf.Tensor) => tf.sum(drdamEnergyRef(drdamPhiRef(kernel, 2, v['projections'] as tf.Tensor as tf.Tensor2D, v['phases'] as tf.Tensor as tf.Tensor1D, x as tf.Tensor2D), t, 2, 1e-5)))(q);
      expectClose(analytic, auto, `${kernel} dE/dx`, 1e-4);
      tf.dispose([e.total, ...Object.values(e.terms!), t, ref, analytic, auto]);
      dam.dispose();
    }
    tf.dispose([q, exact]);
  });

  it('descent on the approximate energy completes occluded memories (20% hidden, rest clamped)', async () => {
    const dam = new DrDAM({ size: D, features: 10000, beta: BETA, seed: 2 }).store(mem);
    const mask = tf.tensor1d(new Float32Array(D).map((_, i) => (i < 24 ? 1 : 0)));
    const cues = tf.tidy(() => tf.mul(mem, mask));
    let out!: tf.Tensor;
    const steps = await lastValueFrom(dam.run({ initial: cues, clamp: mask, dt: 0.2, maxSteps: 40, onFinal: (s) => (out = s['x']!) }).pipe(toArray()));
    // Energy falls overall (descent with a finite step on a noisy estimate: check start vs end).
    expect(steps.at(-1)!.energy!).to.be.lessThan(steps[0]!.energy!);
    const o = out.dataSync();
    const m = mem.dataSync();
    let right = 0;
    for (let k = 0; k < K; k++) {
      let ok = true;
      for (let i = 24; i < D && ok; i++) ok = Math.sign(o[k * D + i]!) === Math.sign(m[k * D + i]!);
      for (let i = 0; i < 24 && ok; i++) ok = o[k * D + i] === m[k * D + i]; // clamped entries held
      if (ok) right++;
    }
    expect(right / K).to.be.at.least(0.9);
    tf.dispose([out, cues, mask]);
    dam.dispose();
  });

  it('an empty memory (T = 0) holds every state: the floored energy has no gradient', async () => {
    const dam = new DrDAM({ size: 4, features: 16 });
    const x0 = dam.initialState(2, { seed: 1 });
    let out!: tf.Tensor;
    const steps = await lastValueFrom(dam.run({ initial: x0, maxSteps: 3, onFinal: (s) => (out = s['x']!) }).pipe(toArray()));
    expect(steps).to.have.length(4);
    expect(steps[0]!.energy!).to.be.closeTo(2 * Math.log(1e5), 1e-3);
    expect(Array.from(out.dataSync())).to.deep.equal(Array.from(x0['x']!.dataSync()));
    tf.dispose([out, x0['x']!]);
    dam.dispose();
  });

  it('cancelling a run leaks no tensors', async () => {
    const dam = new DrDAM({ size: D, features: 1000, beta: BETA }).store(mem);
    const n = await leaked(async () => {
      await lastValueFrom(dam.run({ initial: mem, maxSteps: 1000 }).pipe(take(3), toArray()));
    });
    expect(n).to.equal(0);
    dam.dispose();
  });

  it('rejects bad input with coded errors', async () => {
    expect(codeOf(() => new DrDAM({ size: 3, features: 0 }))).to.equal(ErrorCodes.INVALID_CONFIG);
    expect(codeOf(() => new DrDAM({ size: 3, features: 10, kernel: 'rbf' as never }))).to.equal(ErrorCodes.INVALID_CONFIG);
    expect(codeOf(() => new DrDAM({ size: 3, features: 10, fetaures: 2 } as never))).to.equal(ErrorCodes.INVALID_CONFIG);
    const dam = new DrDAM({ size: 3, features: 10 });
    expect(await notificationCode(() => dam.run({ initial: [[0, 0]] }))).to.equal(ErrorCodes.SHAPE_MISMATCH);
    expect(await notificationCode(() => dam.run({ initial: [[0, 0, 0]], dt: -1 }))).to.equal(ErrorCodes.INVALID_CONFIG);
    expect(codeOf(() => dam.addMemories([[0, 0]]))).to.equal(ErrorCodes.SHAPE_MISMATCH);
    expect(codeOf(() => dam.store([[0, NaN, 0]]))).to.equal(ErrorCodes.NON_FINITE);
    const bad = { projections: tf.zeros([9, 3]), phases: tf.zeros([10]), memoryVector: tf.zeros([20]) };
    expect(codeOf(() => dam.setWeights(bad))).to.equal(ErrorCodes.WEIGHTS_MISMATCH);
    tf.dispose(Object.values(bad));
    expect(codeOf(() => drdamExactEnergy([[0, 0, 0]], [[1, 1, 1]], 0))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    dam.dispose();
    expect(codeOf(() => dam.featureMap([[0, 0, 0]]))).to.equal(ErrorCodes.DISPOSED);
  });
});
