import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { lastValueFrom, take, toArray } from 'rxjs';
import { ErrorCodes, initBackend } from '@engram/core';
import { DenseRetriever, denseRetrieval, ModernHopfield } from '../src/index.js';
import { blockedUpdateRef, modernEnergyRef, modernGradientRef, modernUpdateRef } from './references.js';
import { codeOf, expectClose, flipBits, leaked, notificationCode, patterns } from './helpers.js';

const D = 100;
const K = 2000;

describe('ModernHopfield', () => {
  let xi: Float32Array;
  let stored: tf.Tensor2D;
  let queries: tf.Tensor2D;
  let targets: Float32Array;
  before(async () => {
    await initBackend({ backend: 'wasm' });
    xi = patterns(K, D, 1);
    stored = tf.tensor2d(xi, [K, D]);
    targets = xi.subarray(0, 50 * D);
    queries = tf.tensor2d(flipBits(targets, D, 0.2, 2), [50, D]);
  });
  after(() => tf.dispose([queries, stored]));

  it('d=100, K=2000, 20% flipped: beta=1 retrieves >= 98% of 50 queries exactly after one update', () => {
    const net = new ModernHopfield({ size: D, beta: 1 }).store(stored);
    const out = net.retrieve(queries, 1);
    const data = out.dataSync();
    let exact = 0;
    for (let q = 0; q < 50; q++) {
      let ok = true;
      for (let i = 0; i < D && ok; i++) ok = Math.sign(data[q * D + i]!) === targets[q * D + i] && Math.abs(data[q * D + i]! - targets[q * D + i]!) < 0.01;
      if (ok) exact++;
    }
    expect(exact / 50).to.be.at.least(0.98);
    out.dispose();
    net.dispose();
  });

  it("the composition (core identity layer + core memory synapse) equals the previous hand-written energy, dE/dg and CCCP update (1e-5 relative)", () => {
    for (const beta of [2, 0.1, 0.01]) {
      const mem = tf.tensor2d(xi.subarray(0, 300 * D), [300, D]);
      const net = new ModernHopfield({ size: D, beta }).store(mem);
      const x = tf.tidy(() => tf.mul(queries, 0.7)) as tf.Tensor2D;
      const e = net.energy(x);
      expectClose(e.total, modernEnergyRef(x, mem, beta), `energy beta=${beta}`);
      expect(Object.keys(e.terms!).sort()).to.deep.equal(['constant', 'memory', 'x']);
      const { dEdg, synapseEnergy } = net.energyGraph!.energyGradient({ x });
      expectClose(dEdg['x']!, modernGradientRef(x, mem, beta), `dE/dg beta=${beta}`);
      const u = net.retrieve(x, 1);
      expectClose(u, modernUpdateRef(x, mem, beta), `update beta=${beta}`);
      tf.dispose([mem, x, e.total, ...Object.values(e.terms!), dEdg['x']!, ...Object.values(synapseEnergy), u]);
      net.dispose();
    }
  });

  it("'descent' steps x - dt dE/dx; 'cccp' ignores dt (it is descent at dt = 1)", async () => {
    const mem = tf.tensor2d(xi.subarray(0, 50 * D), [50, D]);
    const net = new ModernHopfield({ size: D, beta: 0.5 }).store(mem);
    const x = queries.slice([0, 0], [4, D]) as tf.Tensor2D;
    let final: tf.Tensor | undefined;
    const steps = await lastValueFrom(net.run({ initial: x, update: 'descent', dt: 0.3, maxSteps: 1, onFinal: (s) => (final = s['x']) }).pipe(toArray()));
    expect(steps.at(-1)!.t).to.be.closeTo(0.3, 1e-12);
    const ref = tf.tidy(() => tf.sub(x, tf.mul(modernGradientRef(x, mem, 0.5), 0.3)));
    expectClose(final!, ref, 'descent step');
    let cccp: tf.Tensor | undefined;
    const c = await lastValueFrom(net.run({ initial: x, dt: 0.3, maxSteps: 1, onFinal: (s) => (cccp = s['x']) }).pipe(toArray()));
    expect(c.at(-1)!.t).to.equal(1);
    const u = modernUpdateRef(x, mem, 0.5);
    expectClose(cccp!, u, 'cccp step');
    tf.dispose([mem, x, final!, ref, cccp!, u]);
    net.dispose();
  });

  it('beta=0.01 converges to a global average: every softmax weight < 0.01; the energy never rises', async () => {
    const net = new ModernHopfield({ size: D, beta: 0.01 }).store(stored);
    const steps = await lastValueFrom(net.run({ initial: queries, maxSteps: 10, tolerance: 1e-5 }).pipe(toArray()));
    for (let s = 1; s < steps.length; s++) {
      // Float32 resolution of E: lse over 2000 terms (relative ~1e-5) scaled by 1/beta = 100, plus ulps of |E| ~ 50.
      steps[s]!.energies!.forEach((e, i) => expect(e).to.be.at.most(steps[s - 1]!.energies![i]! + 1e-5 / 0.01 + 2e-6 * Math.abs(e)));
    }
    // The first update is a real descent, far above that resolution.
    expect(steps[0]!.energy! - steps[1]!.energy!).to.be.greaterThan(50);
    const fixed = await net.complete(queries, { maxSteps: 10 });
    const p = net.association(fixed);
    expect(tf.max(p).dataSync()[0]).to.be.lessThan(0.01);
    // The fixed point is (close to) the mean of all patterns.
    const mean = tf.mean(net.patterns!, 0);
    expect(tf.max(tf.abs(tf.sub(fixed, mean))).dataSync()[0]).to.be.lessThan(0.02);
    tf.dispose([fixed, p, mean]);
    net.dispose();
  });

  it('energy matches the formula and never rises for beta=0.1 (with and without clamping)', async () => {
    const net = new ModernHopfield({ size: 4, beta: 2 }).store([[1, 0, 0, 0], [0, 2, 0, 0]]);
    const e = net.energy([[0.5, 0.5, 0, 1]]);
    const b = 2;
    const lse = Math.log(Math.exp(b * 0.5) + Math.exp(b * 1));
    expect(e.total.dataSync()[0]!).to.be.closeTo(-lse / b + 0.5 * 1.5 + Math.log(2) / b + 0.5 * 4, 1e-5);
    tf.dispose([e.total, ...Object.values(e.terms!)]);
    net.dispose();
    const big = new ModernHopfield({ size: D, beta: 0.1 }).store(stored.slice([0, 0], [200, D]));
    const mask = new Float32Array(D).map((_, i) => (i < 30 ? 1 : 0));
    for (const clamp of [undefined, tf.tensor1d(mask)]) {
      const steps = await lastValueFrom(big.run({ initial: queries, maxSteps: 8, ...(clamp ? { clamp } : {}) }).pipe(toArray()));
      for (let s = 1; s < steps.length; s++) steps[s]!.energies!.forEach((v, i) => expect(v).to.be.at.most(steps[s - 1]!.energies![i]! + 1e-4));
      clamp?.dispose();
    }
    big.dispose();
  });

  it('DenseRetriever: the native route (beta on the queries, transposed-operand products) and the wasm route agree with the two-layout reference', async () => {
    const mem = stored.slice([0, 0], [300, D]) as tf.Tensor2D;
    const results: Float32Array[] = [];
    for (const native of [true, false]) {
      await initBackend({ backend: 'wasm', native });
      try {
        const r = new DenseRetriever(mem, { beta: 0.05, blockSize: 128 });
        const one = r.update(queries);
        expectClose(one, blockedUpdateRef(queries, mem, 0.05, 128), `one update (native ${native}) vs the reference`);
        const c = r.retrieve(queries, 3);
        results.push(c.dataSync() as Float32Array);
        tf.dispose([one, c]);
        r.dispose();
      } finally {
        await initBackend({ backend: 'wasm' });
      }
    }
    let worst = 0;
    results[0]!.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - results[1]![i]!))));
    expect(worst).to.be.lessThan(1e-4);
    mem.dispose();
  });

  it('DenseRetriever (blocks, one layout, core lse weights) equals the previous two-layout version and the model', () => {
    const mem = stored.slice([0, 0], [300, D]) as tf.Tensor2D;
    const net = new ModernHopfield({ size: D, beta: 0.05 }).store(mem);
    const a = net.retrieve(queries, 3);
    const b = denseRetrieval(mem, queries, { beta: 0.05, steps: 3 });
    expectClose(b, a, 'denseRetrieval vs model', 1e-4);
    const r = new DenseRetriever(mem, { beta: 0.05, blockSize: 128 });
    expect(r.blockCount).to.equal(3);
    const one = r.update(queries);
    expectClose(one, blockedUpdateRef(queries, mem, 0.05, 128), 'one blocked update vs the old two-layout one');
    const c = r.retrieve(queries, 3);
    expectClose(c, a, 'blocked vs model', 1e-4);
    tf.dispose([a, b, c, one, mem]);
    r.dispose();
    net.dispose();
    expect(codeOf(() => r.retrieve(queries))).to.equal(ErrorCodes.DISPOSED);
  });

  it('store replaces, add appends; memories: K at creation gives seeded patterns; variables() is { patterns }', () => {
    const net = new ModernHopfield({ size: 3, memories: 2, seed: 5 });
    expect(net.memories).to.equal(2);
    expect(Object.keys(net.variables())).to.deep.equal(['patterns']);
    const again = new ModernHopfield({ size: 3, memories: 2, seed: 5 });
    expect(Array.from(again.patterns!.dataSync())).to.deep.equal(Array.from(net.patterns!.dataSync()));
    net.store([[1, 0, 0]]);
    expect(net.memories).to.equal(1);
    net.add([[0, 1, 0], [0, 0, 1]]);
    expect(net.memories).to.equal(3);
    expect(Array.from(net.patterns!.dataSync())).to.deep.equal([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    expect(net.getConfig()).to.deep.equal({ size: 3, beta: 1, memories: 3, seed: 5 });
    expect(Object.keys(new ModernHopfield({ size: 3 }).variables())).to.deep.equal([]);
    net.dispose();
    again.dispose();
  });

  it('cancelling a run leaks no tensors', async () => {
    const net = new ModernHopfield({ size: D, beta: 1 }).store(stored.slice([0, 0], [100, D]));
    const n = await leaked(async () => {
      await lastValueFrom(net.run({ initial: queries, maxSteps: 1000, snapshot: true }).pipe(take(3), toArray()));
      const mask = tf.zeros([1, D]);
      await lastValueFrom(net.run({ initial: queries, maxSteps: 1000, clamp: mask, update: 'descent' }).pipe(take(2), toArray()));
      mask.dispose();
    });
    expect(n).to.equal(0);
    net.dispose();
  });

  it('rejects bad input with coded errors', async () => {
    expect(codeOf(() => new ModernHopfield({ size: 3, beta: -1 }))).to.equal(ErrorCodes.INVALID_CONFIG);
    expect(codeOf(() => new ModernHopfield({ size: 3, betta: 2 } as never))).to.equal(ErrorCodes.INVALID_CONFIG);
    const net = new ModernHopfield({ size: 3 });
    expect(await notificationCode(() => net.run({ initial: [[1, 2, 3]] }))).to.equal(ErrorCodes.INVALID_ARGUMENT); // nothing stored
    expect(codeOf(() => net.retrieve([[1, 2, 3]]))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    net.store([[1, 0, 0]]);
    expect(codeOf(() => net.store([[1, 0]]))).to.equal(ErrorCodes.SHAPE_MISMATCH);
    expect(codeOf(() => net.store([[1, NaN, 0]]))).to.equal(ErrorCodes.NON_FINITE);
    expect(await notificationCode(() => net.run({ initial: [[1, 2, 3]], update: 'newton' as never }))).to.equal(ErrorCodes.INVALID_CONFIG);
    expect(await notificationCode(() => net.run({ initial: [[1, 2]] }))).to.equal(ErrorCodes.SHAPE_MISMATCH);
    expect(await notificationCode(() => net.run({ initial: [[1, 2, 3]], update: 'descent', dt: 0 }))).to.equal(ErrorCodes.INVALID_CONFIG);
    expect(await notificationCode(() => net.run({ initial: [[1, 2, 3]], dt: -1 }))).to.equal(ErrorCodes.INVALID_CONFIG);
    expect(await notificationCode(() => net.run({ initial: [[1, 2, 3]], clamp: [[0.5, 1, 0]] }))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    expect(codeOf(() => net.retrieve([[1, Infinity, 3]]))).to.equal(ErrorCodes.NON_FINITE);
    expect(codeOf(() => net.retrieve([[1, 2, 3]], -1))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    expect(codeOf(() => denseRetrieval([[1, 0]], [[1, 0, 0]]))).to.equal(ErrorCodes.SHAPE_MISMATCH);
    expect(codeOf(() => new DenseRetriever([[1, 0]], { blockSize: 0 }))).to.equal(ErrorCodes.INVALID_CONFIG);
    net.dispose();
    expect(codeOf(() => net.retrieve([[1, 2, 3]]))).to.equal(ErrorCodes.DISPOSED);
    expect(await notificationCode(() => net.run({ initial: [[1, 2, 3]] }))).to.equal(ErrorCodes.DISPOSED);
  });
});
