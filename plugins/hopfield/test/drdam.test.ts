import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { lastValueFrom, take, toArray } from 'rxjs';
import { ErrorCodes, initBackend } from '@engram/core';
import { DrDAM, drdamExactEnergy } from '../src/index.js';
import { codeOf, leaked, patterns } from './helpers.js';

const D = 30;
const K = 50;
const BETA = 10;

/** K random ±1/sqrt(D) memories (unit norm), [K, D]. */
function unitMemories(seed: number): tf.Tensor2D {
  return tf.tensor2d(patterns(K, D, seed).map((v) => v / Math.sqrt(D)), [K, D]);
}

function meanAbsError(y: number, seed: number, mem: tf.Tensor2D, exact: tf.Tensor1D): number {
  const dam = new DrDAM({ dim: D, features: y, beta: BETA, seed }).addMemories(mem);
  const approx = dam.energy(mem.slice([0, 0], [exact.shape[0], D]));
  const err = tf.tidy(() => tf.mean(tf.abs(tf.sub(approx, exact))).dataSync()[0]!);
  approx.dispose();
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
    const exact = drdamExactEnergy(mem.slice([0, 0], [10, D]), mem, BETA);
    const ys = [1000, 10000, 100000];
    const errs = ys.map((y) => (meanAbsError(y, 11, mem, exact) + meanAbsError(y, 12, mem, exact)) / 2);
    exact.dispose();
    // Least-squares slope of log(err) against log(Y).
    const lx = ys.map(Math.log);
    const ly = errs.map(Math.log);
    const mx = lx.reduce((a, b) => a + b) / 3;
    const my = ly.reduce((a, b) => a + b) / 3;
    let num = 0;
    let den = 0;
    for (let i = 0; i < 3; i++) {
      num += (lx[i]! - mx) * (ly[i]! - my);
      den += (lx[i]! - mx) ** 2;
    }
    const slope = -num / den;
    expect(errs[0]!).to.be.greaterThan(errs[1]!);
    expect(errs[1]!).to.be.greaterThan(errs[2]!);
    expect(slope).to.be.within(0.3, 0.7);
  });

  it('adding a memory changes T but leaves the parameter count unchanged', () => {
    const dam = new DrDAM({ dim: D, features: 500, beta: BETA });
    const before = dam.parameterCount;
    const t0 = dam.memoryVector.dataSync().slice();
    dam.addMemories(mem.slice([0, 0], [1, D]));
    expect(dam.parameterCount).to.equal(before);
    expect(dam.memoryCount).to.equal(1);
    const t1 = dam.memoryVector.dataSync();
    expect(t1.some((v, i) => v !== t0[i])).to.equal(true);
    dam.addMemories(mem);
    expect(dam.parameterCount).to.equal(before);
    expect(dam.memoryCount).to.equal(K + 1);
    dam.dispose();
  });

  it('every feature map approximates the kernel; the closed-form gradient matches autodiff', () => {
    const q = tf.tidy(() => tf.add(mem.slice([0, 0], [4, D]), tf.randomNormal([4, D], 0, 0.05, 'float32', 3))) as tf.Tensor2D;
    const exact = drdamExactEnergy(q, mem, 2);
    for (const kernel of ['sincos', 'cos', 'positive'] as const) {
      const dam = new DrDAM({ dim: D, features: 40000, beta: 2, kernel, seed: 5 }).addMemories(mem);
      const e = dam.energy(q);
      const err = tf.max(tf.abs(tf.sub(e, exact))).dataSync()[0]!;
      expect(err, kernel).to.be.lessThan(0.1);
      const analytic = dam.energyGradient(q);
      const auto = tf.grad((x: tf.Tensor) => tf.sum(dam.energy(x as tf.Tensor2D)))(q);
      const diff = tf.max(tf.abs(tf.sub(analytic, auto))).dataSync()[0]!;
      const scale = tf.max(tf.abs(auto)).dataSync()[0]!;
      expect(diff, kernel).to.be.lessThan(1e-3 * scale + 1e-5);
      [e, analytic, auto].forEach((t) => t.dispose());
      dam.dispose();
    }
    q.dispose();
    exact.dispose();
  });

  it('descent on the approximate energy completes occluded memories (20% hidden, rest clamped)', async () => {
    const dam = new DrDAM({ dim: D, features: 10000, beta: BETA, seed: 2 }).addMemories(mem);
    const mask = new Float32Array(D).map((_, i) => (i < 24 ? 1 : 0));
    const cues = tf.tidy(() => tf.mul(mem, tf.tensor1d(mask)));
    let out!: tf.Tensor;
    const steps = await lastValueFrom(
      dam.run({ initial: cues, clamp: tf.tensor1d(mask), dt: 0.2, maxSteps: 40, onFinal: (s) => (out = s['x']!) }).pipe(toArray()),
    );
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
    out.dispose();
    cues.dispose();
    dam.dispose();
  });

  it('cancelling a run leaks no tensors', async () => {
    const dam = new DrDAM({ dim: D, features: 1000, beta: BETA }).addMemories(mem);
    const n = await leaked(async () => {
      await lastValueFrom(dam.run({ initial: mem, maxSteps: 1000 }).pipe(take(3), toArray()));
    });
    expect(n).to.equal(0);
    dam.dispose();
  });

  it('rejects bad input with coded errors', () => {
    expect(codeOf(() => new DrDAM({ dim: 3, features: 0 }))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    expect(codeOf(() => new DrDAM({ dim: 3, features: 10, kernel: 'rbf' as never }))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    const dam = new DrDAM({ dim: 3, features: 10 });
    expect(codeOf(() => dam.run({ initial: [[0, 0, 0]] }))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    expect(codeOf(() => dam.addMemories([[0, 0]]))).to.equal(ErrorCodes.SHAPE_MISMATCH);
    expect(codeOf(() => dam.setWeights({ projections: tf.zeros([9, 3]), phases: tf.zeros([10]), memoryVector: tf.zeros([20]) }))).to.equal(ErrorCodes.SHAPE_MISMATCH);
    dam.dispose();
  });
});
