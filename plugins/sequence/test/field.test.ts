import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { initBackend } from '@engram/core';
import { binaryPatterns } from '@engram/data';
import { TransitionField, intPow, naiveField } from '../src/internal/field.js';
import type { Separation } from '../src/separation.js';

function pm1(count: number, dim: number, seed: number): Float32Array {
  return binaryPatterns({ count, dim, seed }).data;
}

describe('TransitionField (factorised self-exclusion) against the explicit [S,B,P,N] field', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  const seps: Separation[] = [
    { kind: 'polynomial', degree: 1 },
    { kind: 'polynomial', degree: 2 },
    { kind: 'polynomial', degree: 5 },
    { kind: 'exponential' },
  ];
  const [S, P, N, B] = [2, 7, 12, 3];

  for (const sep of seps) {
    for (const binaryKeys of [true, false]) {
      for (const binaryStates of [true, false]) {
        for (const excludeSelf of [true, false]) {
          if (sep.kind === 'exponential' && !binaryKeys && !binaryStates) continue;
          it(`${sep.kind}${sep.kind === 'polynomial' ? sep.degree : ''} keys ${binaryKeys ? '+-1' : 'real'} states ${binaryStates ? '+-1' : 'real'} exclude=${excludeSelf}`, () => {
            const before = tf.memory().numTensors;
            tf.tidy(() => {
              const keys = binaryKeys
                ? tf.tensor3d(pm1(S * P, N, 1), [S, P, N])
                : tf.mul(tf.tensor3d(pm1(S * P, N, 1), [S, P, N]), tf.randomUniform([S, P, N], 0.2, 1.2, 'float32', 3));
              const targets = tf.tensor3d(pm1(S * P, N, 2), [S, P, N]);
              // Real states: averages of +-1 states (as the MixedNet's filter), in [-1, 1].
              const states = binaryStates
                ? tf.tensor3d(pm1(S * B, N, 4), [S, B, N])
                : tf.div(tf.add(tf.tensor3d(pm1(S * B, N, 4), [S, B, N]), tf.add(tf.tensor3d(pm1(S * B, N, 5), [S, B, N]), tf.tensor3d(pm1(S * B, N, 6), [S, B, N]))), 3);
              const f = new TransitionField({ keys: keys as tf.Tensor3D, targets, separation: sep, excludeSelf, binaryKeys, binaryStates });
              try {
                const got = f.field(states as tf.Tensor3D);
                const want = naiveField(keys as tf.Tensor3D, targets, states as tf.Tensor3D, sep, excludeSelf);
                const scale = tf.max(tf.abs(want)).dataSync()[0]!;
                const err = tf.max(tf.abs(tf.sub(got, want))).dataSync()[0]!;
                expect(scale).to.be.greaterThan(0);
                expect(err / scale).to.be.lessThan(2e-5);
              } finally {
                f.dispose();
              }
            });
            expect(tf.memory().numTensors).to.equal(before);
          });
        }
      }
    }
  }

  it('refuses the exponential field with real keys and real states', () => {
    const k = tf.tensor3d([0.5, -0.2, 0.1, 0.3], [1, 2, 2]);
    expect(() => new TransitionField({ keys: k, targets: k, separation: { kind: 'exponential' }, excludeSelf: true, binaryKeys: false, binaryStates: false })).to.throw(/binary/);
    k.dispose();
  });

  it('intPow is exact for negative bases', () => {
    const x = tf.tensor1d([-2, -0.5, 0, 3]);
    expect(Array.from(intPow(x, 3).dataSync())).to.deep.equal([-8, -0.125, 0, 27]);
    expect(Array.from(intPow(x, 4).dataSync())).to.deep.equal([16, 0.0625, 0, 81]);
    x.dispose();
  });
});
