/**
 * The factorised field (self-exclusion without a [S, B, P, N] tensor) against
 * the explicit computation, for every separation kind and evaluation mode,
 * including the exact integer mode and its two-limb split.
 */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { ErrorCodes, initBackend, separation, type SeparationSpec } from '@engram/core';
import { binaryPatterns } from '@engram/data';
import { TransitionField, integerPlan } from '../src/internal/field.js';
import { expectCode } from './helpers.js';

function pm1(count: number, size: number, seed: number, bias = 0.5): Float32Array {
  return binaryPatterns({ count, size, seed, bias }).data;
}

/** h_i = sum_mu T_i^mu F(x_i^mu) with the explicit [S, B, P, N] overlaps (F on normalised overlaps, shift 1 for exp). */
function naiveField(keys: tf.Tensor3D, targets: tf.Tensor3D, s: tf.Tensor3D, spec: SeparationSpec, excludeSelf: boolean): tf.Tensor3D {
  return tf.tidy(() => {
    const n = keys.shape[2];
    const norm = excludeSelf ? n - 1 : n;
    const full = tf.matMul(s, keys, false, true); // [S, B, P]
    let x: tf.Tensor = full.expandDims(3); // [S, B, P, 1]
    if (excludeSelf) x = tf.sub(x, tf.mul(keys.expandDims(1), s.expandDims(2))); // [S, B, P, N]
    x = tf.div(x, norm);
    const fx = separation(spec).apply(x, spec.kind === 'exp' ? 1 : 0);
    return tf.sum(tf.mul(fx, targets.expandDims(1)), 2) as tf.Tensor3D;
  });
}

describe('TransitionField against the explicit [S, B, P, N] field', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  const seps: SeparationSpec[] = [
    { kind: 'power', n: 1 },
    { kind: 'power', n: 2 },
    { kind: 'power', n: 5 },
    { kind: 'rectified-power', n: 3 },
    { kind: 'exp', beta: 11 },
    { kind: 'exp', beta: 4 },
  ];
  const [S, P, N, B] = [2, 7, 12, 3];
  const label = (s: SeparationSpec): string => `${s.kind}${s.kind === 'exp' ? ` beta=${s.beta}` : ` n=${s.n}`}`;

  for (const spec of seps) {
    for (const binaryKeys of [true, false]) {
      for (const binaryStates of [true, false]) {
        for (const excludeSelf of [true, false]) {
          const separable = !excludeSelf || (binaryKeys && binaryStates) || (spec.kind === 'power') || (spec.kind === 'exp' && (binaryKeys || binaryStates));
          if (!separable) continue;
          it(`${label(spec)}, keys ${binaryKeys ? '±1' : 'real'}, states ${binaryStates ? '±1' : 'real'}, excludeSelf ${excludeSelf}`, () => {
            const before = tf.memory().numTensors;
            tf.tidy(() => {
              const keys = (binaryKeys
                ? tf.tensor3d(pm1(S * P, N, 1), [S, P, N])
                : tf.mul(tf.tensor3d(pm1(S * P, N, 1), [S, P, N]), tf.randomUniform([S, P, N], 0.2, 1.2, 'float32', 3))) as tf.Tensor3D;
              const targets = tf.tensor3d(pm1(S * P, N, 2), [S, P, N]);
              // Real states: means of three ±1 states (as the MixedNet's window), in [-1, 1].
              const states = (binaryStates
                ? tf.tensor3d(pm1(S * B, N, 4), [S, B, N])
                : tf.div(tf.add(tf.tensor3d(pm1(S * B, N, 4), [S, B, N]), tf.add(tf.tensor3d(pm1(S * B, N, 5), [S, B, N]), tf.tensor3d(pm1(S * B, N, 6), [S, B, N]))), 3)) as tf.Tensor3D;
              const f = new TransitionField({ keys, targets, separation: separation(spec), excludeSelf, binaryKeys, binaryStates, signOnly: false, owner: 'test', key: 'separation' });
              try {
                expect(f.mode).to.not.equal('integer'); // signOnly: false keeps the normalised field
                const got = f.field(states);
                const want = naiveField(keys, targets, states, spec, excludeSelf);
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

  describe('integer mode (±1 keys and states, F = x^n, sign only)', () => {
    for (const spec of [{ kind: 'power', n: 1 }, { kind: 'power', n: 3 }, { kind: 'rectified-power', n: 2 }] as SeparationSpec[]) {
      for (const excludeSelf of [true, false]) {
        for (const limit of [2 ** 24, 2 ** 14, 2 ** 10]) {
          it(`${label(spec)}, excludeSelf ${excludeSelf}, exact below 2^${Math.log2(limit)}: integer mode where planned, equal to the field`, () => {
            tf.tidy(() => {
              const [s, p, n, b] = [1, 9, 15, 40];
              const keys = tf.tensor3d(pm1(s * p, n, 11), [s, p, n]);
              const targets = tf.tensor3d(pm1(s * p, n, 12), [s, p, n]);
              const states = tf.tensor3d(pm1(s * b, n, 13), [s, b, n]);
              const plan = integerPlan(n, p, spec.n!, excludeSelf, limit);
              const f = new TransitionField({ keys, targets, separation: separation(spec), excludeSelf, binaryKeys: true, binaryStates: true, signOnly: true, owner: 'test', key: 'separation', exactLimit: limit });
              try {
                expect(f.mode).to.equal(plan ? 'integer' : excludeSelf ? 'two-point' : 'plain');
                expect(f.exactTies).to.equal(plan !== null);
                expect(f.limbBase).to.equal(plan ? plan.base : 0);
                const norm = excludeSelf ? n - 1 : n;
                // integer units: F(u) = norm^n F(u / norm), and the two-point form carries a factor 2
                const factor = plan ? norm ** spec.n! * (excludeSelf ? 2 : 1) : 1;
                const got = tf.div(f.field(states), factor);
                const want = naiveField(keys, targets, states, spec, excludeSelf);
                const err = tf.max(tf.abs(tf.sub(got, want))).dataSync()[0]!;
                expect(err).to.be.lessThan(1e-5);
              } finally {
                f.dispose();
              }
            });
          });
        }
      }
    }

    for (const spec of [{ kind: 'power', n: 2 }, { kind: 'rectified-power', n: 2 }] as SeparationSpec[]) {
      it(`${label(spec)}: the two-limb split runs where sum_mu |c| reaches the limit (correlated patterns), with the same field`, () => {
        tf.tidy(() => {
          const [p, n, b] = [9, 15, 40];
          // P(+1) = 0.9: every overlap is large, so the one-limb bound fails
          const keys = tf.tensor3d(pm1(p, n, 21, 0.9), [1, p, n]);
          const targets = tf.tensor3d(pm1(p, n, 22), [1, p, n]);
          const states = tf.tensor3d(pm1(b, n, 23, 0.9), [1, b, n]);
          const limit = 2 ** 10;
          expect(integerPlan(n, p, 2, true, limit)!.base).to.be.greaterThan(0);
          const f = new TransitionField({ keys, targets, separation: separation(spec), excludeSelf: true, binaryKeys: true, binaryStates: true, signOnly: true, owner: 'test', key: 'separation', exactLimit: limit });
          try {
            const got = tf.div(f.field(states), 2 * (n - 1) ** 2);
            expect(f.splitEvaluations).to.equal(1);
            const err = tf.max(tf.abs(tf.sub(got, naiveField(keys, targets, states, spec, true)))).dataSync()[0]!;
            expect(err).to.be.lessThan(1e-5);
          } finally {
            f.dispose();
          }
        });
      });
    }

    it('plans one limb, two limbs or none from N, P and n', () => {
      expect(integerPlan(100, 100, 2, true, 2 ** 24)).to.deep.equal({ base: 0 }); // 100 * 2 * 101^2 < 2^24
      expect(integerPlan(300, 100, 2, true, 2 ** 24)!.base).to.be.greaterThan(0); // the N = 300 recall test
      expect(integerPlan(1000, 1000, 2, true, 2 ** 24)).to.deep.equal({ base: 2 ** 13 }); // the bench
      expect(integerPlan(300, 10, 3, true, 2 ** 24)).to.equal(null); // 301^3 > 2^24: F itself is not exact
    });
  });

  it("refuses 'exp' with real keys and real states, and 'rectified-power' with real states, as config errors", () => {
    const k = tf.tensor3d([0.5, -0.2, 0.1, 0.3], [1, 2, 2]);
    for (const spec of [{ kind: 'exp', beta: 1 }, { kind: 'rectified-power', n: 2 }] as SeparationSpec[]) {
      expectCode(
        () => new TransitionField({ keys: k, targets: k, separation: separation(spec), excludeSelf: true, binaryKeys: false, binaryStates: false, signOnly: true, owner: 'test', key: 'separation' }),
        ErrorCodes.INVALID_CONFIG,
        /separation/,
      );
    }
    k.dispose();
  });
});
