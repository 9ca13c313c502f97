import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { lastValueFrom, take, toArray } from 'rxjs';
import { ErrorCodes, initBackend } from '@engram/core';
import { createRng } from '@engram/data';
import { DenseAssociativeMemory } from '../src/index.js';
import { sweepOrder } from '../src/internal/seeded-order.js';
import { denseEnergyRef, denseGradientRef, oldSeparation } from './references.js';
import { codeOf, expectClose, flipBits, leaked, notificationCode, patterns } from './helpers.js';

const N = 100;

function fixedFraction(k: number, seed: number): number {
  const xi = tf.tensor2d(patterns(k, N, seed), [k, N]);
  const dam = new DenseAssociativeMemory({ size: N, separation: { kind: 'power', n: 3 } }).store(xi);
  const fixed = dam.isFixedPoint(xi);
  xi.dispose();
  dam.dispose();
  return fixed.filter(Boolean).length / k;
}

type Kind = 'power' | 'rectified-power' | 'exp';

/**
 * The documented rule with exact arithmetic: neuron i compares sum_mu F(a + x) and
 * sum_mu F(a - x) (a = overlap without neuron i); a tie — the two multisets of
 * integer arguments give equal sums — keeps s_i. Power kinds with integer n are
 * summed in integers (BigInt); for 'exp' a tie is an equal multiset of arguments
 * (exp of distinct integers times beta are linearly independent over the rationals).
 */
function exactDiffSign(args: { plus: number[]; minus: number[] }, kind: Kind, n: number, beta: number, shift: number): number {
  if (kind !== 'exp') {
    const f = (v: number): bigint => (kind === 'rectified-power' && v <= 0 ? 0n : BigInt(v) ** BigInt(n));
    let d = 0n;
    for (const v of args.plus) d += f(v);
    for (const v of args.minus) d -= f(v);
    return d > 0n ? 1 : d < 0n ? -1 : 0;
  }
  const count = new Map<number, number>();
  for (const v of args.plus) count.set(v, (count.get(v) ?? 0) + 1);
  for (const v of args.minus) count.set(v, (count.get(v) ?? 0) - 1);
  let d = 0;
  let zero = true;
  for (const [v, c] of count) {
    if (c !== 0) zero = false;
    d += c * Math.exp(beta * (v - shift));
  }
  return zero ? 0 : Math.sign(d);
}

/** One exact step (sync, or async in `order`) of ±1 states [rows, n] against patterns [k, n]. */
function exactStep(s: Float32Array, xi: Float32Array, k: number, n: number, kind: Kind, p: number, beta: number, order: Int32Array | null): { next: Float32Array; ties: number } {
  const next = Float32Array.from(s);
  let ties = 0;
  for (let r = 0; r < s.length / n; r++) {
    const off = r * n;
    for (let step = 0; step < n; step++) {
      const i = order ? order[step]! : step;
      const src = order ? next : s;
      const plus: number[] = [];
      const minus: number[] = [];
      for (let mu = 0; mu < k; mu++) {
        let h = 0;
        for (let j = 0; j < n; j++) if (j !== i) h += xi[mu * n + j]! * src[off + j]!;
        const x = xi[mu * n + i]!;
        plus.push(h + x);
        minus.push(h - x);
      }
      const sign = exactDiffSign({ plus, minus }, kind, p, beta, kind === 'exp' ? n : 0);
      if (sign === 0) ties++;
      next[off + i] = sign === 0 ? src[off + i]! : sign;
    }
  }
  return { next, ties };
}

describe('DenseAssociativeMemory', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('N=100, F=x^3: >= 90% of K=200 stored patterns are fixed points, <= 30% of K=800', () => {
    expect(fixedFraction(200, 1)).to.be.at.least(0.9);
    expect(fixedFraction(800, 2)).to.be.at.most(0.3);
  });

  it("the energy from core's memory synapse and separation equals the previous hand-written -sum F(xi.s) and its gradient (1e-5 relative), and async updates never raise it", async () => {
    const k = 300;
    const xi = patterns(k, N, 3);
    const stored = tf.tensor2d(xi, [k, N]);
    for (const sep of [{ kind: 'power', n: 3 }, { kind: 'rectified-power', n: 4 }, { kind: 'exp', beta: 0.5 }] as const) {
      const dam = new DenseAssociativeMemory({ size: N, separation: sep }).store(stored);
      const F = oldSeparation(sep.kind, ('n' in sep ? sep.n : undefined) ?? 3, ('beta' in sep ? sep.beta : undefined) ?? 1, N);
      const states = tf.tensor2d(flipBits(xi.subarray(0, 20 * N), N, 0.25, 4), [20, N]);
      const e = dam.energy(states);
      const ref = denseEnergyRef(states, stored, F);
      expectClose(e.total, ref, `${sep.kind} energy`);
      const { gradients } = dam.memorySynapse!.energyAndGradient!([states]);
      expectClose(gradients[0]!, denseGradientRef(states, stored, F), `${sep.kind} dE/ds`);
      const steps = await lastValueFrom(dam.run({ initial: states, maxSteps: 6, seed: 9 }).pipe(toArray()));
      for (let s = 1; s < steps.length; s++) {
        const prev = steps[s - 1]!.energies!;
        steps[s]!.energies!.forEach((v, i) => expect(v).to.be.at.most(prev[i]! + Math.abs(prev[i]!) * 1e-5 + 1e-6));
      }
      tf.dispose([states, e.total, ...Object.values(e.terms!), ref, ...gradients]);
      dam.dispose();
    }
    stored.dispose();
  });

  it('completes a cue with half the bits clamped and retrieves below capacity', async () => {
    const k = 100;
    const xi = patterns(k, N, 5);
    const dam = new DenseAssociativeMemory({ size: N }).store(tf.tensor2d(xi, [k, N]));
    const cues = tf.tensor2d(flipBits(xi.subarray(0, 10 * N), N, 0.2, 6), [10, N]);
    const out = await dam.recall(cues, { mode: 'sync', maxSteps: 10 });
    expect(Array.from(out.dataSync())).to.deep.equal(Array.from(xi.subarray(0, 10 * N)));
    out.dispose();
    const mask = new Float32Array(N).map((_, i) => (i < 50 ? 1 : 0));
    const half = Float32Array.from(xi.subarray(0, N)).map((v, i) => (i < 50 ? v : 1));
    const done = await dam.recall(tf.tensor2d(half, [1, N]), { clamp: tf.tensor1d(mask), maxSteps: 10 });
    expect(Array.from(done.dataSync())).to.deep.equal(Array.from(xi.subarray(0, N)));
    tf.dispose([done, cues]);
    dam.dispose();
  });

  for (const [n, k, sep, states] of [
    [7, 2, { kind: 'power', n: 2 }, 'all'],
    [7, 2, { kind: 'exp', beta: 1 }, 'all'],
    [7, 4, { kind: 'rectified-power', n: 3 }, 'all'],
    [7, 4, { kind: 'exp', beta: 1 }, 'all'],
    [100, 2, { kind: 'exp', beta: 0.7 }, 'near'],
    [120, 2, { kind: 'power', n: 2 }, 'near'],
    [120, 2, { kind: 'exp', beta: 0.3 }, 'near'],
  ] as const) {
    it(`ties keep the current value exactly: N=${n}, K=${k}, ${sep.kind} (sync and async; ${states === 'all' ? 'all 2^7 states' : '300 mixtures of the two patterns'})`, async () => {
      const xi = patterns(k, n, 3 * n + k);
      // Pattern 2j+1 differs from pattern 2j in an odd number of entries: a neuron where they differ
      // can then see equal overlaps with both on the remaining (even number of) differing entries,
      // and their two terms cancel. With two such pairs the cancelling terms are of different sizes.
      const rng = createRng(n + k);
      for (let pair = 0; pair + 1 < k; pair += 2) {
        const flips = rng.shuffle(Array.from({ length: n }, (_, i) => i)).slice(0, 2 * Math.floor(n / 4) + 1);
        for (let i = 0; i < n; i++) xi[(pair + 1) * n + i] = flips.includes(i) ? -xi[pair * n + i]! : xi[pair * n + i]!;
      }
      const dam = new DenseAssociativeMemory({ size: n, separation: sep }).store(tf.tensor2d(xi, [k, n]));
      let start: Float32Array;
      if (states === 'all') {
        start = new Float32Array((1 << n) * n);
        for (let v = 0; v < 1 << n; v++) for (let i = 0; i < n; i++) start[v * n + i] = (v >> i) & 1 ? 1 : -1;
      } else {
        // Mixtures of the two patterns: pattern 0 with about half of the entries where they differ
        // taken from pattern 1. A neuron where they differ ties when the state agrees with both
        // equally on the other differing entries (equal overlaps: F(a + 1) + F(a - 1) on both sides).
        const mix = createRng(11);
        const differ = Array.from({ length: n }, (_, i) => i).filter((i) => xi[i] !== xi[n + i]);
        start = new Float32Array(300 * n);
        for (let r = 0; r < 300; r++) {
          start.set(xi.subarray(0, n), r * n);
          const take = Math.floor(differ.length / 2) + mix.int(2);
          for (const i of mix.shuffle([...differ]).slice(0, take)) start[r * n + i] = xi[n + i]!;
        }
      }
      const rows = start.length / n;
      let ties = 0;
      for (const mode of ['sync', 'async'] as const) {
        const init = tf.tensor2d(start, [rows, n]);
        const out = await dam.recall(init, { mode, seed: 2, maxSteps: 1 });
        const ref = exactStep(start, xi, k, n, sep.kind, 'n' in sep ? sep.n : 3, 'beta' in sep ? sep.beta : 1, mode === 'async' ? sweepOrder(n, 2, 0) : null);
        ties += ref.ties;
        expect(Array.from(out.dataSync()), mode).to.deep.equal(Array.from(ref.next));
        tf.dispose([init, out]);
      }
      expect(ties, 'the cases include exact ties').to.be.greaterThan(0);
      dam.dispose();
    });
  }

  it('initialState binarises input; memories: K at creation gives K seeded ±1 patterns', () => {
    const dam = new DenseAssociativeMemory({ size: 6, memories: 3, seed: 4 });
    expect(dam.memories).to.equal(3);
    const p = dam.patterns!.dataSync();
    expect(Array.from(p).every((v) => v === 1 || v === -1)).to.equal(true);
    const again = new DenseAssociativeMemory({ size: 6, memories: 3, seed: 4 });
    expect(Array.from(again.patterns!.dataSync())).to.deep.equal(Array.from(p));
    const s = dam.initialState([[0.5, -2, 0, 1, -1, 3]]);
    expect(Array.from(s['x']!.dataSync())).to.deep.equal([1, -1, 1, 1, -1, 1]);
    s['x']!.dispose();
    dam.dispose();
    again.dispose();
  });

  it('cancelling a run leaks no tensors', async () => {
    const xi = patterns(50, N, 7);
    const dam = new DenseAssociativeMemory({ size: N }).store(tf.tensor2d(xi, [50, N]));
    const cues = tf.tensor2d(flipBits(xi, N, 0.3, 1), [50, N]);
    const n = await leaked(async () => {
      for (const mode of ['sync', 'async'] as const) {
        await lastValueFrom(dam.run({ initial: cues, mode, maxSteps: 100 }).pipe(take(2), toArray()));
      }
    });
    expect(n).to.equal(0);
    cues.dispose();
    dam.dispose();
  });

  it('rejects bad input with coded errors', async () => {
    expect(codeOf(() => new DenseAssociativeMemory({ size: 10, separation: { kind: 'cubic' as never } }))).to.equal(ErrorCodes.INVALID_CONFIG);
    expect(codeOf(() => new DenseAssociativeMemory({ size: 10, separation: { kind: 'power', n: 2.5 } }))).to.equal(ErrorCodes.INVALID_CONFIG);
    expect(codeOf(() => new DenseAssociativeMemory({ size: 10, separation: { kind: 'power', nn: 2 } as never }))).to.equal(ErrorCodes.INVALID_CONFIG);
    const dam = new DenseAssociativeMemory({ size: 4 });
    expect(await notificationCode(() => dam.run({ initial: [[1, 1, 1, 1]] }))).to.equal(ErrorCodes.INVALID_ARGUMENT); // nothing stored yet
    expect(codeOf(() => dam.store([[1, 1, 1]]))).to.equal(ErrorCodes.SHAPE_MISMATCH);
    expect(codeOf(() => dam.store([[1, 1, 0, 1]]))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    dam.store([[1, -1, 1, -1]]);
    expect(await notificationCode(() => dam.run({ initial: [[1, 1]] }))).to.equal(ErrorCodes.SHAPE_MISMATCH);
    expect(await notificationCode(() => dam.run({ initial: [[1, 1, 1, 1]], mode: 'random' as never }))).to.equal(ErrorCodes.INVALID_CONFIG);
    expect(codeOf(() => dam.setWeights({ patterns: tf.zeros([3, 2]) }))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    expect(codeOf(() => dam.setWeights({ patterns: tf.ones([3, 4]) }))).to.equal(ErrorCodes.WEIGHTS_MISMATCH);
    dam.dispose();
    expect(codeOf(() => dam.isFixedPoint([[1, 1, 1, 1]]))).to.equal(ErrorCodes.DISPOSED);
  });
});
