/**
 * The paper's separation functions mapped onto core's one definition give
 * the same numbers as the plugin's formulas before the migration (kept here
 * only as the reference): x^d -> { kind: 'power', n: d }, exp((N-1)(x-1)) on
 * normalised overlaps -> { kind: 'exp', beta: N - 1 } with shift 1.
 */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { initBackend, separation } from '@engram/core';
import { DenseNet } from '../src/index.js';
import { resolveSeparation } from '../src/internal/separation.js';

/** The previous f(x) = exp((N-1)(x-1)), op for op. */
const oldExp = (x: tf.Tensor, n: number): tf.Tensor => tf.exp(tf.mul(x.sub(1), n - 1));

/** The previous x^d by repeated squaring. */
function oldPow(x: tf.Tensor, d: number): tf.Tensor {
  let result: tf.Tensor | null = null;
  let base = x;
  let e = d;
  while (e > 0) {
    if (e & 1) result = result ? tf.mul(result, base) : base;
    e >>= 1;
    if (e > 0) base = tf.mul(base, base);
  }
  return result ?? tf.onesLike(x);
}

describe("separation functions: core's kinds reproduce the previous numbers", () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  for (const n of [7, 30, 100, 120]) {
    it(`exp((N-1)(x-1)) = { kind: 'exp', beta: N - 1 } with shift 1, bit for bit, on every overlap of N = ${n} (with and without the left-out neuron)`, () => {
      tf.tidy(() => {
        const ks = Array.from({ length: 2 * n + 1 }, (_, k) => k - n);
        for (const norm of [n, n - 1]) {
          const x = tf.div(tf.tensor1d(ks), norm);
          const sep = resolveSeparation({ kind: 'exp', n: 2 }, n, 'test');
          expect(sep.json).to.deep.equal({ kind: 'exp', beta: n - 1 });
          expect(Array.from(sep.fn.apply(x, 1).dataSync())).to.deep.equal(Array.from(oldExp(x, n).dataSync()));
        }
      });
    });
  }

  it("x^d = { kind: 'power', n: d } bit for bit for d = 1, 2, 3 (the capacity grid), within a few ulp for d = 10 (repeated products round differently from repeated squaring)", () => {
    tf.tidy(() => {
      const x = tf.div(tf.tensor1d(Array.from({ length: 199 }, (_, k) => k - 99)), 99);
      for (const d of [1, 2, 3]) expect(Array.from(separation({ kind: 'power', n: d }).apply(x).dataSync())).to.deep.equal(Array.from(oldPow(x, d).dataSync()));
      const a = separation({ kind: 'power', n: 10 }).apply(x).dataSync();
      const b = oldPow(x, 10).dataSync();
      for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).to.be.at.most(Math.abs(b[i]!) * 2 ** -20);
    });
  });

  it("a DenseNet config's exp defaults to beta = N - 1 and keeps an explicit beta", () => {
    const a = new DenseNet({ size: 40, length: 3, separation: { kind: 'exp' } });
    const b = new DenseNet({ size: 40, length: 3, separation: { kind: 'exp', beta: 5 } });
    expect(a.separation).to.deep.equal({ kind: 'exp', beta: 39 });
    expect(b.separation).to.deep.equal({ kind: 'exp', beta: 5 });
    expect(a.exactTies).to.equal(false);
    a.dispose();
    b.dispose();
  });
});
