/**
 * The tie rule sgn(0) = +1 of the classical binary models (SeqNet, power
 * DenseNet, bipartite) against an exact host reference (integer overlaps in
 * float64, exact far beyond these sizes): every state of N = 7 enumerated, and
 * thousands of random states at N = 100 and 120 where exact ties are common.
 */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { disposeState, initBackend, separation } from '@engram/core';
import { binaryPatterns } from '@engram/data';
import { BipartiteNet, DenseNet, SeqNet } from '../src/index.js';
import { TransitionField } from '../src/internal/field.js';
import { nextPatterns } from '../src/internal/patterns.js';
import { binarySign } from '../src/internal/sign.js';

type F = (u: number) => number;

/** Exact next states and the number of exact ties: keys = patterns xi [P, N], targets xi^(mu+1), states [B, N]. */
function reference(xi: Float32Array, p: number, n: number, states: Float32Array, f: F, excludeSelf: boolean): { next: Float32Array; ties: number } {
  const b = states.length / n;
  const next = new Float32Array(b * n);
  let ties = 0;
  for (let s = 0; s < b; s++) {
    const dots = new Array<number>(p).fill(0);
    for (let mu = 0; mu < p; mu++) for (let j = 0; j < n; j++) dots[mu]! += xi[mu * n + j]! * states[s * n + j]!;
    for (let i = 0; i < n; i++) {
      let h = 0;
      for (let mu = 0; mu < p; mu++) {
        const u = excludeSelf ? dots[mu]! - xi[mu * n + i]! * states[s * n + i]! : dots[mu]!;
        h += xi[((mu + 1) % p) * n + i]! * f(u);
      }
      if (h === 0) ties++;
      next[s * n + i] = h >= 0 ? 1 : -1;
    }
  }
  return { next, ties };
}

/** Every ±1 state of n neurons, [2^n, n]. */
function allStates(n: number): Float32Array {
  const out = new Float32Array(2 ** n * n);
  for (let k = 0; k < 2 ** n; k++) for (let i = 0; i < n; i++) out[k * n + i] = (k >> i) & 1 ? 1 : -1;
  return out;
}

function nextOf(model: SeqNet | DenseNet | BipartiteNet, states: Float32Array, n: number): Float32Array {
  const input = tf.tensor2d(states, [states.length / n, n]);
  const s = model.next(input);
  input.dispose();
  const v = s['v']!.dataSync() as Float32Array;
  const copy = Float32Array.from(v);
  disposeState(s);
  return copy;
}

const powers: Array<{ n: number; f: F; rectified?: boolean }> = [
  { n: 1, f: (u) => u },
  { n: 2, f: (u) => u * u },
  { n: 3, f: (u) => u * u * u },
  { n: 2, f: (u) => (u > 0 ? u * u : 0), rectified: true },
];

function model(kind: 'seqnet' | 'dense' | 'bipartite', xi: tf.Tensor, power: (typeof powers)[number], excludeSelf: boolean): SeqNet | DenseNet | BipartiteNet {
  const sep = { kind: power.rectified ? ('rectified-power' as const) : ('power' as const), n: power.n };
  if (kind === 'seqnet') return SeqNet.fromPatterns(xi, { excludeSelf });
  if (kind === 'bipartite') return BipartiteNet.fromPatterns(xi, { separation: sep });
  return DenseNet.fromPatterns(xi, { separation: sep, excludeSelf });
}

describe('sgn(0) = +1 exactly (classical binary models)', function () {
  this.timeout(60000);
  let start = 0;
  before(async () => {
    await initBackend({ backend: 'wasm' });
    start = tf.memory().numTensors;
  });
  after(() => expect(tf.memory().numTensors).to.equal(start));

  const cases: Array<{ kind: 'seqnet' | 'dense' | 'bipartite'; excludeSelf: boolean; power: (typeof powers)[number] }> = [];
  for (const excludeSelf of [true, false]) cases.push({ kind: 'seqnet', excludeSelf, power: powers[0]! });
  for (const power of powers) for (const excludeSelf of [true, false]) cases.push({ kind: 'dense', excludeSelf, power });
  for (const power of powers) cases.push({ kind: 'bipartite', excludeSelf: false, power });

  const name = (c: (typeof cases)[number]): string =>
    `${c.kind}${c.kind === 'seqnet' ? '' : ` ${c.power.rectified ? 'rectified-power' : 'power'} n=${c.power.n}`}${c.kind === 'bipartite' ? '' : `, excludeSelf ${c.excludeSelf}`}`;

  describe('N = 7: all 128 states, P = 2 and 3', () => {
    for (const c of cases) {
      it(name(c), () => {
        let ties = 0;
        for (const [p, seed] of [[2, 1], [3, 2], [3, 3]] as const) {
          const xi = binaryPatterns({ count: p, size: 7, seed }).data;
          const states = allStates(7);
          const ref = reference(xi, p, 7, states, c.power.f, c.excludeSelf);
          ties += ref.ties;
          const t = tf.tensor2d(xi, [p, 7]);
          const m = model(c.kind, t, c.power, c.excludeSelf);
          t.dispose();
          try {
            expect(m.exactTies).to.equal(true);
            expect(Array.from(nextOf(m, states, 7))).to.deep.equal(Array.from(ref.next));
          } finally {
            m.dispose();
          }
        }
        expect(ties, 'the enumeration must contain ties').to.be.greaterThan(0);
      });
    }
  });

  for (const n of [100, 120]) {
    describe(`N = ${n}: 512 random states, P = 2 and 4`, () => {
      for (const c of cases) {
        it(name(c), () => {
          let ties = 0;
          for (const [p, seed] of [[2, 5], [4, 6]] as const) {
            const xi = binaryPatterns({ count: p, size: n, seed }).data;
            const states = binaryPatterns({ count: 512, size: n, seed: seed + 100 }).data;
            const ref = reference(xi, p, n, states, c.power.f, c.excludeSelf);
            ties += ref.ties;
            const t = tf.tensor2d(xi, [p, n]);
            const m = model(c.kind, t, c.power, c.excludeSelf);
            t.dispose();
            try {
              expect(Array.from(nextOf(m, states, n))).to.deep.equal(Array.from(ref.next));
            } finally {
              m.dispose();
            }
          }
          expect(ties, 'the states must contain ties').to.be.greaterThan(0);
        });
      }
    });
  }

  it('N = 7, all states, through the two-limb split (forced by a lower exact limit): the same exact signs', () => {
    let ties = 0;
    let splits = 0;
    for (const seed of [1, 2, 3, 4]) {
      const p = 3;
      const xi = binaryPatterns({ count: p, size: 7, seed, bias: 0.8 }).data;
      const states = allStates(7);
      const ref = reference(xi, p, 7, states, (u) => u * u, true);
      ties += ref.ties;
      const got = tf.tidy(() => {
        const keys = tf.tensor3d(xi, [1, p, 7]);
        const targets = nextPatterns(keys);
        const f = new TransitionField({ keys, targets, separation: separation({ kind: 'power', n: 2 }), excludeSelf: true, binaryKeys: true, binaryStates: true, signOnly: true, owner: 'test', key: 'separation', exactLimit: 2 ** 7 });
        try {
          const v = binarySign(f.field(tf.tensor3d(states, [1, 128, 7]))).dataSync() as Float32Array;
          splits += f.splitEvaluations;
          return v;
        } finally {
          f.dispose();
        }
      });
      expect(Array.from(got)).to.deep.equal(Array.from(ref.next));
    }
    expect(splits, 'the split ran').to.be.greaterThan(0);
    expect(ties).to.be.greaterThan(0);
  });

  it('the same ties in normalised float32 (the evaluation before the migration) come out wrong somewhere, so the tests above can fail', () => {
    let wrong = 0;
    for (const n of [7, 100, 120]) {
      const p = 4;
      const xi = binaryPatterns({ count: p, size: n, seed: 6 }).data;
      const states = n === 7 ? allStates(7) : binaryPatterns({ count: 512, size: n, seed: 106 }).data;
      const ref = reference(xi, p, n, states, (u) => u * u * u, true);
      const got = tf.tidy(() => {
        const keys = tf.tensor3d(xi, [1, p, n]);
        const targets = nextPatterns(keys);
        const f = new TransitionField({ keys, targets, separation: separation({ kind: 'power', n: 3 }), excludeSelf: true, binaryKeys: true, binaryStates: true, signOnly: false, owner: 'test', key: 'separation' });
        try {
          return binarySign(f.field(tf.tensor3d(states, [1, states.length / n, n]))).dataSync() as Float32Array;
        } finally {
          f.dispose();
        }
      });
      for (let k = 0; k < got.length; k++) if (got[k] !== ref.next[k]) wrong++;
    }
    expect(wrong).to.be.greaterThan(0);
  });
});
