import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { lastValueFrom, toArray } from 'rxjs';
import { ErrorCodes, initBackend } from '@engram/core';
import { ClassicalHopfield } from '../src/index.js';
import { sweepOrder } from '../src/internal/seeded-order.js';
import { classicalEnergyRef, classicalGradientRef } from './references.js';
import { codeOf, expectClose, flipBits, notificationCode, patterns } from './helpers.js';

const N = 100;

function bitAccuracy(out: Float32Array, target: Float32Array): number {
  let ok = 0;
  for (let i = 0; i < out.length; i++) if (out[i] === target[i]) ok++;
  return ok / out.length;
}

async function recallAccuracy(p: number, seed: number): Promise<number> {
  const xi = patterns(p, N, seed);
  const net = new ClassicalHopfield({ size: N }).store(tf.tensor2d(xi, [p, N]));
  const cues = tf.tensor2d(flipBits(xi, N, 0.1, seed + 1), [p, N]);
  const out = await net.recall(cues, { mode: 'async', seed, maxSteps: 50 });
  const acc = bitAccuracy(out.dataSync() as Float32Array, xi);
  tf.dispose([out, cues]);
  net.dispose();
  return acc;
}

/** Integer Hebbian counts C = sum xi xi^T with a zero diagonal (the exact weights N W). */
function counts(xi: Float32Array, p: number, n: number): Int32Array {
  const c = new Int32Array(n * n);
  for (let mu = 0; mu < p; mu++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) c[i * n + j]! += xi[mu * n + i]! * xi[mu * n + j]!;
  return c;
}

/** The documented rule in integers: s_i <- sign(sum_j C_ij s_j - m_i), a zero field keeps s_i; sync or async in `order`. */
function exactStep(s: Float32Array, c: Int32Array, m: Int32Array, n: number, order: Int32Array | null): { next: Float32Array; ties: number } {
  const next = Float32Array.from(s);
  let ties = 0;
  for (let r = 0; r < s.length / n; r++) {
    const off = r * n;
    for (let k = 0; k < n; k++) {
      const i = order ? order[k]! : k;
      const src = order ? next : s;
      let f = -m[i]!;
      for (let j = 0; j < n; j++) f += c[i * n + j]! * src[off + j]!;
      if (f === 0) ties++;
      next[off + i] = f > 0 ? 1 : f < 0 ? -1 : src[off + i]!;
    }
  }
  return { next, ties };
}

/** Every ±1 state of n neurons, [2^n, n]. */
function allStates(n: number): Float32Array {
  const out = new Float32Array((1 << n) * n);
  for (let v = 0; v < 1 << n; v++) for (let i = 0; i < n; i++) out[v * n + i] = (v >> i) & 1 ? 1 : -1;
  return out;
}

describe('ClassicalHopfield', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('N=100, Hebbian, 10% flipped cues: P=10 recalls > 99% of bits, P=30 < 85%', async () => {
    let a10 = 0;
    let a30 = 0;
    const seeds = [1, 2, 3];
    for (const s of seeds) {
      a10 += (await recallAccuracy(10, s)) / seeds.length;
      a30 += (await recallAccuracy(30, s)) / seeds.length;
    }
    expect(a10).to.be.greaterThan(0.99);
    expect(a30).to.be.lessThan(0.85);
  });

  it('asynchronous sweeps never raise the energy (per sample, every step)', async () => {
    const p = 30;
    const xi = patterns(p, N, 7);
    const net = new ClassicalHopfield({ size: N }).store(tf.tensor2d(xi, [p, N]));
    const cues = tf.tensor2d(flipBits(xi, N, 0.3, 8), [p, N]);
    const steps = await lastValueFrom(net.run({ initial: cues, maxSteps: 20, seed: 3 }).pipe(toArray()));
    expect(steps.length).to.equal(21);
    let falls = 0;
    for (let k = 1; k < steps.length; k++) {
      const prev = steps[k - 1]!.energies!;
      const cur = steps[k]!.energies!;
      for (let i = 0; i < p; i++) {
        expect(cur[i]!).to.be.at.most(prev[i]! + 1e-4);
        if (cur[i]! < prev[i]! - 1e-4) falls++;
      }
    }
    expect(falls).to.be.greaterThan(0);
    expect(Object.keys(steps[0]!.energyTree).sort()).to.deep.equal(['bias', 'weights']);
    cues.dispose();
    net.dispose();
  });

  it('the energy from core dense + bias synapses equals the previous hand-written -1/2 s^T W s + b^T s and its gradient (1e-5 relative)', () => {
    const net = new ClassicalHopfield({ size: 3 });
    const w = tf.tensor2d([0, 1, -2, 1, 0, 0.5, -2, 0.5, 0], [3, 3]);
    const b = tf.tensor1d([0.1, -0.2, 0.3]);
    net.setWeights({ weights: w, bias: b });
    const e = net.energy([[1, -1, 1]]);
    // s^T W s = 2*(1*-1*1 + 1*1*-2 + -1*1*0.5) = -7 ; b.s = 0.1+0.2+0.3
    expect(e.total.dataSync()[0]!).to.be.closeTo(3.5 + 0.6, 1e-5);
    const xi = patterns(12, 40, 2);
    const big = new ClassicalHopfield({ size: 40, rule: 'pseudo-inverse' }).store(tf.tensor2d(xi.subarray(0, 10 * 40), [10, 40]), tf.randomNormal([40], 0, 0.1, 'float32', 1));
    const s = tf.tensor2d(flipBits(xi, 40, 0.3, 3), [12, 40]);
    const mine = big.energy(s);
    const ref = classicalEnergyRef(s, big.weights as tf.Tensor as tf.Tensor2D, big.bias as tf.Tensor as tf.Tensor1D);
    expectClose(mine.total, ref, 'classical energy');
    const grad = tf.grad((x: tf.Tensor) => tf.sum(big.energy(x).total))(s);
    expectClose(grad, classicalGradientRef(s, big.weights as tf.Tensor as tf.Tensor2D, big.bias as tf.Tensor as tf.Tensor1D), 'classical dE/ds');
    tf.dispose([w, b, e.total, ...Object.values(e.terms!), s, mine.total, ...Object.values(mine.terms!), ref, grad]);
    net.dispose();
    big.dispose();
  });

  it('pseudo-inverse rule makes 20 correlated patterns exact fixed points', async () => {
    // 20 patterns sharing a bias towards +1: Hebbian crosstalk is large, the projection rule is exact.
    const p = 20;
    const xi = patterns(p, N, 11).map((v, i) => (i % 5 === 0 ? 1 : v));
    const pinv = new ClassicalHopfield({ size: N, rule: 'pseudo-inverse' }).store(tf.tensor2d(xi, [p, N]));
    const cues = tf.tensor2d(xi, [p, N]);
    const out = await pinv.recall(cues, { maxSteps: 5 });
    expect(bitAccuracy(out.dataSync() as Float32Array, xi)).to.equal(1);
    tf.dispose([out, cues]);
    pinv.dispose();
  });

  it('synchronous mode and clamping: clamped neurons keep their cue values', async () => {
    const xi = patterns(5, N, 21);
    const net = new ClassicalHopfield({ size: N }).store(tf.tensor2d(xi, [5, N]));
    const cue = Float32Array.from(xi.subarray(0, N));
    for (let i = 50; i < N; i++) cue[i] = -1;
    const mask = new Float32Array(N).fill(0);
    for (let i = 0; i < 50; i++) mask[i] = 1;
    for (const mode of ['sync', 'async'] as const) {
      const out = await net.recall(tf.tensor2d(cue, [1, N]), { mode, clamp: tf.tensor1d(mask), maxSteps: 20 });
      expect(bitAccuracy(out.dataSync() as Float32Array, xi.subarray(0, N))).to.equal(1);
      out.dispose();
    }
    // A clamp that holds every neuron of the first half, and the opposite half starting wrong: the held half never moves.
    const wrong = Float32Array.from(xi.subarray(0, N), (v, i) => (i < 50 ? -v : v));
    const held = await net.recall(tf.tensor2d(wrong, [1, N]), { clamp: tf.tensor1d(mask), maxSteps: 5 });
    expect(Array.from(held.dataSync().subarray(0, 50))).to.deep.equal(Array.from(wrong.subarray(0, 50)));
    held.dispose();
    net.dispose();
  });

  for (const [n, p, states] of [
    [7, 2, 'all'],
    [7, 3, 'all'],
    [100, 10, 'near'],
    [120, 36, 'near'],
  ] as const) {
    it(`ties keep the current value exactly at N=${n}, P=${p} (sync and async, with thresholds k/N; ${states === 'all' ? 'all 2^7 states' : '400 states near the patterns'})`, async () => {
      const xi = patterns(p, n, n + p);
      const bias = new Float32Array(n).map((_, i) => ((i % 3) - 1) * (2 / n));
      const net = new ClassicalHopfield({ size: n }).store(tf.tensor2d(xi, [p, n]), tf.tensor1d(bias));
      const c = counts(xi, p, n);
      const m = Int32Array.from(bias, (b) => Math.round(b * n));
      const s0 = states === 'all' ? allStates(n) : Float32Array.from({ length: 400 * n }, (_, k) => xi[(Math.floor(k / n) % p) * n + (k % n)]!);
      const start = states === 'all' ? s0 : flipBits(s0, n, 0.15, 5);
      const rows = start.length / n;
      let ties = 0;
      for (const mode of ['sync', 'async'] as const) {
        const init = tf.tensor2d(start, [rows, n]);
        const out = await net.recall(init, { mode, seed: 4, maxSteps: 1 });
        const ref = exactStep(start, c, m, n, mode === 'async' ? sweepOrder(n, 4, 0) : null);
        ties += ref.ties;
        expect(Array.from(out.dataSync()), mode).to.deep.equal(Array.from(ref.next));
        tf.dispose([init, out]);
      }
      expect(ties, 'the cases include exact ties').to.be.greaterThan(0);
      // The weights are float32 k/N; the float32 product of the previous version turns some exact ties into tiny fields.
      net.dispose();
    });
  }

  it('a loaded Hebbian network keeps the exact tie rule (integer counts recovered from the float32 weights)', async () => {
    const n = 120;
    const p = 36;
    const xi = patterns(p, n, 9);
    const a = new ClassicalHopfield({ size: n }).store(tf.tensor2d(xi, [p, n]));
    const b = new ClassicalHopfield({ size: n });
    b.setWeights({ weights: a.weights, bias: a.bias });
    const start = flipBits(Float32Array.from({ length: 100 * n }, (_, k) => xi[(Math.floor(k / n) % p) * n + (k % n)]!), n, 0.2, 2);
    const init = tf.tensor2d(start, [100, n]);
    const [oa, ob] = [await a.recall(init, { mode: 'sync', maxSteps: 1 }), await b.recall(init, { mode: 'sync', maxSteps: 1 })];
    const ref = exactStep(start, counts(xi, p, n), new Int32Array(n), n, null);
    expect(ref.ties).to.be.greaterThan(0);
    expect(Array.from(ob.dataSync())).to.deep.equal(Array.from(ref.next));
    expect(Array.from(oa.dataSync())).to.deep.equal(Array.from(ref.next));
    tf.dispose([init, oa, ob]);
    a.dispose();
    b.dispose();
  });

  it('initialState binarises input and generates seeded ±1 noise', () => {
    const net = new ClassicalHopfield({ size: 4 });
    const s = net.initialState([0.2, -0.1, 0, -3]);
    expect(Array.from(s['x']!.dataSync())).to.deep.equal([1, -1, 1, -1]);
    expect(s['x']!.shape).to.deep.equal([1, 4]);
    const g = net.initialState(3, { seed: 2 });
    const g2 = net.initialState(3, { seed: 2 });
    expect(g['x']!.shape).to.deep.equal([3, 4]);
    expect(Array.from(g['x']!.dataSync()).every((v) => v === 1 || v === -1)).to.equal(true);
    expect(Array.from(g['x']!.dataSync())).to.deep.equal(Array.from(g2['x']!.dataSync()));
    tf.dispose([s['x']!, g['x']!, g2['x']!]);
    net.dispose();
  });

  it('rejects bad input with coded errors (config, store, run as an error notification, after dispose)', async () => {
    expect(codeOf(() => new ClassicalHopfield({ size: 0 }))).to.equal(ErrorCodes.INVALID_CONFIG);
    expect(codeOf(() => new ClassicalHopfield({ size: 4, rule: 'oja' as never }))).to.equal(ErrorCodes.INVALID_CONFIG);
    const net = new ClassicalHopfield({ size: 4 });
    expect(codeOf(() => net.store([[1, -1, 1]]))).to.equal(ErrorCodes.SHAPE_MISMATCH);
    expect(codeOf(() => net.store([[1, 0.5, 1, 1]]))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    expect(codeOf(() => net.store([[1, NaN, 1, 1]]))).to.equal(ErrorCodes.NON_FINITE);
    expect(codeOf(() => net.store([[1, 1, 1, 1]], [1, 2]))).to.equal(ErrorCodes.SHAPE_MISMATCH);
    expect(codeOf(() => new ClassicalHopfield({ size: 2, rule: 'pseudo-inverse' }).store([[1, 1], [1, 1]]))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    expect(await notificationCode(() => net.run({ initial: [[1, 1, 1, 1]], clamp: [1, 0] }))).to.equal(ErrorCodes.SHAPE_MISMATCH);
    expect(await notificationCode(() => net.run({ initial: [[1, 1, 1, 1]], mode: 'random' as never }))).to.equal(ErrorCodes.INVALID_CONFIG);
    expect(await notificationCode(() => net.run({ initial: [[1, 1, 1, 1]], maxSteps: -1 }))).to.equal(ErrorCodes.INVALID_CONFIG);
    expect(await notificationCode(() => net.run({ initial: [[1, Infinity, 1, 1]] }))).to.equal(ErrorCodes.NON_FINITE);
    expect(await notificationCode(() => net.run({ initial: [[1, 1, 1, 1]], seeed: 2 } as never))).to.equal(ErrorCodes.INVALID_CONFIG);
    net.dispose();
    expect(codeOf(() => net.energy([[1, 1, 1, 1]]))).to.equal(ErrorCodes.DISPOSED);
    expect(await notificationCode(() => net.run({ initial: [[1, 1, 1, 1]] }))).to.equal(ErrorCodes.DISPOSED);
  });
});
