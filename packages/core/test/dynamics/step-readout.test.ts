import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { lastValueFrom, toArray } from 'rxjs';
import { initBackend } from '../../src/backend/backend.js';
import { runDynamics } from '../../src/dynamics/run.js';
import { explicitRule } from '../../src/dynamics/system.js';
import { ErrorCodes, isEngramError } from '../../src/errors/index.js';
import { DIFFERENCE_STATS_KERNEL, fusedDifferenceStats } from '../../src/numerics/difference-stats.js';
import { onNativeWasm } from '../helpers.js';

/**
 * The engine's per-step read-out (update size and finiteness check) is one
 * native kernel per layer on the native path; the same numbers as the composed
 * Sub/Abs/Max/Sum, which every other backend runs.
 */
describe('dynamics step read-out: max |dx| and sum dx in one kernel per layer (native wasm)', function () {
  onNativeWasm();

  // Two layers of different sizes: the per-layer pairs are combined on the host.
  const rule = explicitRule({
    update: (s) => ({ x: tf.mul(s['x']!, 0.5), y: tf.sub(s['y']!, tf.scalar(0.25)) }),
  });
  const initial = { x: [[8, -4, 2]], y: [[1, 2, 3, 4, 5, 6, 7]] };
  const deltas = async (): Promise<number[]> => (await lastValueFrom(runDynamics(rule, { initial, maxSteps: 4, dt: 1 }).pipe(toArray()))).map((s) => s.delta);

  it('gives the deltas the composed read-out gives, with one EngramDifferenceStats per layer and step and no Abs', async () => {
    const want = [0, 4, 2, 1, 0.5]; // max over both layers: x halves from 8, y moves by 0.25
    const profile = await tf.profile(async () => {
      expect(await deltas()).to.deep.equal(want);
    });
    const names = profile.kernels.map((k) => k.name);
    expect(names.filter((n) => n === DIFFERENCE_STATS_KERNEL)).to.have.length(2 * 4);
    expect(names).to.not.include('Abs');
    await initBackend({ backend: 'wasm', native: false });
    try {
      expect(tf.getKernel(DIFFERENCE_STATS_KERNEL, 'wasm')).to.equal(undefined);
      expect(await deltas()).to.deep.equal(want);
    } finally {
      await initBackend({ backend: 'wasm' });
    }
  });

  it('still ends a diverging run with ENGRAM_ERR_DIVERGED, leaking nothing', async () => {
    const before = tf.memory().numTensors;
    const blowUp = explicitRule({ update: (s) => ({ x: tf.mul(s['x']!, 1e30), y: tf.clone(s['y']!) }) });
    const err = await lastValueFrom(runDynamics(blowUp, { initial, maxSteps: 10 })).catch((e: unknown) => e);
    expect(isEngramError(err, ErrorCodes.DIVERGED), String(err)).to.equal(true);
    expect(tf.memory().numTensors).to.equal(before);
  });

  it('fusedDifferenceStats: max |a - b| exact, the sum close, NaN propagating; undefined for operands it does not take', () => {
    const a = tf.randomNormal([37, 29], 0, 3, 'float32', 1);
    const b = tf.randomNormal([37, 29], 0, 3, 'float32', 2);
    const got = fusedDifferenceStats(a, b)!;
    const [m, s] = Array.from(got.dataSync());
    const d = tf.tidy(() => tf.sub(a, b));
    expect(m).to.equal(tf.tidy(() => tf.max(tf.abs(d)).dataSync()[0]));
    expect(Math.abs(s! - tf.tidy(() => tf.sum(d).dataSync()[0]!))).to.be.lessThan(1e-3);
    const n = tf.tensor1d([1, NaN, 3]);
    const z = tf.zeros([3]);
    const withNaN = fusedDifferenceStats(n, z)!;
    expect(Array.from(withNaN.dataSync()).every(Number.isNaN)).to.equal(true);
    const other = tf.zeros([3, 1]);
    expect(fusedDifferenceStats(n, other)).to.equal(undefined);
    const ints = tf.zeros([3], 'int32');
    expect(fusedDifferenceStats(ints, ints)).to.equal(undefined);
    tf.dispose([a, b, got, d, n, z, withNaN, other, ints]);
  });
});
