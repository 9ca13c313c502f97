import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { initBackend } from '../../src/backend/backend.js';
import { ErrorCodes } from '../../src/errors/codes.js';
import { EngramError } from '../../src/errors/engram-error.js';
import { lagrangians, lagrangianSchemas, type Lagrangian } from '../../src/lagrangians/index.js';

const builtinLagrangians = lagrangians as unknown as Record<string, (params: object) => Lagrangian>;
import { gradCheck, gradGradCheck } from '../../src/numerics/gradcheck.js';

const SHAPE = [4, 3, 5];
const [B, T, D] = SHAPE as [number, number, number];

/** Float64 reference of one Lagrangian on a single sample: the lines it works on, and L and g per line. */
interface Ref {
  /** Axis of the sample [T, D] the Lagrangian couples entries along (elementwise ones use 1). */
  axis: 0 | 1;
  /** L of one line, and g on that line. */
  line(v: number[]): { L: number; g: number[] };
}
const elementwise = (L: (v: number) => number, g: (v: number) => number): Ref => ({
  axis: 1,
  line: (v) => ({ L: v.reduce((s, e) => s + L(e), 0), g: v.map(g) }),
});
const relu = (v: number): number => Math.max(v, 0);
const lse = (v: number[]): number => {
  const m = Math.max(...v);
  return m + Math.log(v.reduce((s, e) => s + Math.exp(e - m), 0));
};
const softmaxRef = (beta: number, axis: 0 | 1): Ref => ({
  axis,
  line: (v) => {
    const l = lse(v.map((e) => beta * e));
    return { L: l / beta, g: v.map((e) => Math.exp(beta * e - l)) };
  },
});
const DELTA = [0.3, -0.2, 0.1, 0, 0.5];

/**
 * `gradMake` (optional) builds the instance for the finite-difference checks: the
 * energies of layernorm and spherical are O(eps) differences of O(|x|) terms, so
 * with eps = 1e-5 their gradient is float32 round-off; a larger eps makes it a
 * real test of the same formulas.
 */
const cases: { name: string; make: () => Lagrangian; gradMake?: () => Lagrangian; ref: Ref }[] = [
  { name: 'identity', make: () => lagrangians.identity(), ref: elementwise((v) => v * v / 2, (v) => v) },
  { name: 'relu', make: () => lagrangians.relu(), ref: elementwise((v) => relu(v) ** 2 / 2, relu) },
  { name: 'repu(n=3)', make: () => lagrangians.repu({ n: 3 }), ref: elementwise((v) => relu(v) ** 3 / 3, (v) => relu(v) ** 2) },
  { name: 'exp(beta=0.7)', make: () => lagrangians.exp({ beta: 0.7 }), ref: elementwise((v) => Math.exp(0.7 * v) / 0.7, (v) => Math.exp(0.7 * v)) },
  { name: 'tanh(beta=1.5)', make: () => lagrangians.tanh({ beta: 1.5 }), ref: elementwise((v) => Math.log(Math.cosh(1.5 * v)) / 1.5, (v) => Math.tanh(1.5 * v)) },
  {
    name: 'sigmoid(beta=2)',
    make: () => lagrangians.sigmoid({ beta: 2 }),
    ref: elementwise((v) => Math.log1p(Math.exp(2 * v)) / 2, (v) => 1 / (1 + Math.exp(-2 * v))),
  },
  { name: 'softmax(beta=1.3, axis=-1)', make: () => lagrangians.softmax({ beta: 1.3, axis: -1 }), ref: softmaxRef(1.3, 1) },
  { name: 'softmax(beta=0.8, axis=0)', make: () => lagrangians.softmax({ beta: 0.8, axis: 0 }), ref: softmaxRef(0.8, 0) },
  {
    name: 'layernorm(gamma=0.8, delta=[...])',
    make: () => lagrangians.layernorm({ gamma: 0.8, delta: DELTA, eps: 1e-5 }),
    gradMake: () => lagrangians.layernorm({ gamma: 0.8, delta: DELTA, eps: 0.5 }),
    ref: {
      axis: 1,
      line: (v) => {
        const mean = v.reduce((s, e) => s + e, 0) / v.length;
        const std = Math.sqrt(v.reduce((s, e) => s + (e - mean) ** 2, 0) / v.length + 1e-5);
        const L = v.length * 0.8 * std + v.reduce((s, e, i) => s + (DELTA[i] as number) * e, 0);
        return { L, g: v.map((e, i) => (0.8 * (e - mean)) / std + (DELTA[i] as number)) };
      },
    },
  },
  {
    name: 'spherical(gamma=1.2, eps=1e-3)',
    make: () => lagrangians.spherical({ gamma: 1.2, eps: 1e-3 }),
    gradMake: () => lagrangians.spherical({ gamma: 1.2, eps: 0.5 }),
    ref: {
      axis: 1,
      line: (v) => {
        const n = Math.sqrt(v.reduce((s, e) => s + e * e, 0) + 1e-3);
        return { L: 1.2 * n, g: v.map((e) => (1.2 * e) / n) };
      },
    },
  },
];

/** Reference L per sample and g (flat) for x of shape [B, T, D]. */
function reference(ref: Ref, x: Float32Array): { L: number[]; g: Float64Array } {
  const g = new Float64Array(x.length);
  const L: number[] = [];
  for (let b = 0; b < B; b++) {
    let total = 0;
    const outer = ref.axis === 1 ? T : D;
    const inner = ref.axis === 1 ? D : T;
    for (let o = 0; o < outer; o++) {
      const idx = Array.from({ length: inner }, (_, i) => b * T * D + (ref.axis === 1 ? o * D + i : i * D + o));
      const r = ref.line(idx.map((k) => x[k] as number));
      total += r.L;
      idx.forEach((k, i) => (g[k] = r.g[i] as number));
    }
    L.push(total);
  }
  return { L, g };
}

const expectClose = (actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, what: string): void => {
  expect(actual.length, what).to.equal(expected.length);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    expect(Math.abs(a - e), `${what}[${i}]: ${a} vs ${e}`).to.be.at.most(rtol * Math.max(1, Math.abs(e)));
  }
};

/** A seeded state whose entries stay >= 0.1 away from 0 (the kink of relu/repu). */
const state = (seed: number, scale = 1): tf.Tensor =>
  tf.tidy(() => {
    const n = tf.randomNormal(SHAPE, 0, scale, 'float32', seed);
    return tf.add(n, tf.mul(tf.sign(n), 0.1));
  });

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`built-in Lagrangians (${backend})`, () => {
    before(async () => {
      await initBackend({ backend });
    });

    for (const c of cases) {
      describe(c.name, () => {
        it('L, its closed-form activation and the energy match a float64 reference', () => {
          const lag = c.make();
          const x = state(1);
          const before = tf.memory().numTensors;
          const L = lag.lagrangian(x);
          const g = lag.activation(x);
          const E = lag.energy(x);
          expect(L.shape).to.deep.equal([B]);
          expect(g.shape).to.deep.equal(SHAPE);
          expect(E.shape).to.deep.equal([B]);
          const xs = x.dataSync() as Float32Array;
          const ref = reference(c.ref, xs);
          expectClose(L.dataSync(), ref.L, 1e-5, 'L');
          expectClose(g.dataSync(), ref.g, 1e-5, 'g');
          const refE = ref.L.map((l, b) => {
            let xg = 0;
            for (let k = b * T * D; k < (b + 1) * T * D; k++) xg += (xs[k] as number) * (ref.g[k] as number);
            return xg - l;
          });
          expectClose(E.dataSync(), refE, 1e-5, 'energy');
          tf.dispose([L, g, E]);
          expect(tf.memory().numTensors).to.equal(before);
          x.dispose();
        });

        it('has a closed-form activation equal to autodiff of L', () => {
          const lag = c.make();
          const x = state(2, 2);
          const g = lag.activation(x);
          const auto = tf.grad((z: tf.Tensor) => tf.sum(lag.lagrangian(z)))(x);
          expectClose(g.dataSync(), auto.dataSync(), 1e-5, 'activation vs autodiff');
          tf.dispose([x, g, auto]);
        });

        it('is convex: midpoint inequality and monotone activation', () => {
          const lag = c.make();
          for (let s = 0; s < 3; s++) {
            const a = state(10 + s, 2);
            const b = state(20 + s, 2);
            const mid = tf.tidy(() => tf.mul(tf.add(a, b), 0.5));
            const [La, Lb, Lm] = [lag.lagrangian(a), lag.lagrangian(b), lag.lagrangian(mid)].map((t) => t.dataSync());
            for (let i = 0; i < B; i++) {
              const avg = ((La![i] as number) + (Lb![i] as number)) / 2;
              expect(Lm![i] as number).to.be.at.most(avg + 1e-4 * Math.max(1, Math.abs(avg)));
            }
            const mono = tf.tidy(() => tf.sum(tf.mul(tf.sub(lag.activation(a), lag.activation(b)), tf.sub(a, b)), [1, 2]));
            for (const m of mono.dataSync()) expect(m).to.be.at.least(-1e-4);
            tf.dispose([a, b, mid, mono]);
          }
        });

        it('has a correct energy gradient and a correct second derivative of L (finite differences)', () => {
          const lag = (c.gradMake ?? c.make)();
          const x = state(3);
          const before = tf.memory().numTensors;
          // eps 3e-2: the energy <x,g> - L cancels large terms, so its float32 differences are noisier.
          const e1 = gradCheck((z) => tf.sum(lag.energy(z)), x, { seed: 4, eps: 3e-2 });
          const l2 = gradGradCheck((z) => tf.sum(lag.lagrangian(z)), x, { seed: 5 });
          const g2 = gradGradCheck((z) => tf.sum(tf.mul(lag.activation(z), z)), x, { seed: 6, coordinates: 6, directions: 1 });
          expect(tf.memory().numTensors).to.equal(before);
          x.dispose();
          expect(e1.ok, `energy gradient: ${e1.summary}`).to.equal(true);
          expect(l2.ok, `second derivative of L: ${l2.summary}`).to.equal(true);
          expect(g2.ok, `second derivative of <g(x), x>: ${g2.summary}`).to.equal(true);
        });

        it('round-trips through builtinLagrangians with its JSON params', () => {
          const lag = c.make();
          const local = lag.kind.replace(/^core\//, '');
          const create = builtinLagrangians[local];
          expect(create, local).to.be.a('function');
          const again = create!(JSON.parse(JSON.stringify(lag.params)));
          expect(again.kind).to.equal(lag.kind);
          expect(again.params).to.deep.equal(lag.params);
          const x = state(7);
          const [e1, e2] = [lag.energy(x), again.energy(x)];
          expectClose(e1.dataSync(), e2.dataSync(), 1e-6, 'energy after round trip');
          tf.dispose([x, e1, e2]);
        });
      });
    }
  });
}

describe('built-in Lagrangian parameters', () => {
  const bad: [string, Record<string, unknown>][] = [
    ['exp', { beta: 0 }],
    ['exp', { beta: -1 }],
    ['tanh', { beta: Number.NaN }],
    ['sigmoid', { beta: '2' }],
    ['softmax', { beta: Infinity }],
    ['softmax', { axis: 0.5 }],
    ['repu', { n: 2.5 }],
    ['repu', { n: 1 }],
    ['layernorm', { gamma: 0 }],
    ['layernorm', { eps: -1e-5 }],
    ['layernorm', { delta: [1, 'a'] }],
    ['layernorm', { delta: [1, 2], size: 3 }],
    ['layernorm', { trainable: 'yes' }],
    ['spherical', { eps: 0 }],
    ['relu', { beta: 1 }],
    ['tanh', { betta: 2 }],
  ];
  for (const [name, params] of bad) {
    it(`${name}(${JSON.stringify(params)}) throws INVALID_CONFIG naming the key`, () => {
      const key = Object.keys(params)[0]!;
      expect(() => builtinLagrangians[name]!(params as never)).to.throw(EngramError, new RegExp(`'${key}'|delta`)).with.property('code', ErrorCodes.INVALID_CONFIG);
    });
  }

  it('suggests the nearest key for a typo', () => {
    expect(() => lagrangians.tanh({ betta: 2 } as never)).to.throw(/unknown key 'betta' in the params of core\/tanh; did you mean 'beta'\?/);
  });

  it('has every built-in, keyed by local name, with defaults filled into params', () => {
    expect(Object.keys(lagrangianSchemas).sort()).to.deep.equal(
      ['exp', 'identity', 'layernorm', 'relu', 'repu', 'sigmoid', 'softmax', 'spherical', 'tanh'].sort(),
    );
    expect(builtinLagrangians['softmax']!({}).params).to.deep.equal({ beta: 1, axis: -1 });
    expect(builtinLagrangians['repu']!({}).params).to.deep.equal({ n: 2 });
    expect(builtinLagrangians['layernorm']!({}).params).to.deep.equal({ gamma: 1, delta: 0, eps: 1e-5, trainable: false });
    expect(builtinLagrangians['spherical']!({}).params).to.deep.equal({ gamma: 1, eps: 1e-5 });
  });
});
