import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { createEngram, deserializeModel, ErrorCodes, initBackend, isEngramError, serializeModel, type Model } from '@engram/core';
import hopfield, { ClassicalHopfield, DenseAssociativeMemory, DrDAM, Hopfield, HopfieldLayer, HopfieldPooling, ModernHopfield } from '../src/index.js';
import { patterns } from './helpers.js';

/** Serializes through one engram, loads through a fresh one (through JSON text, as a file would be). */
async function roundTrip<M extends Model>(model: M): Promise<M> {
  const a = await createEngram({ plugins: [hopfield] });
  const artifacts = serializeModel(model, { engram: a });
  const spec = JSON.parse(JSON.stringify(artifacts.spec));
  const b = await createEngram({ plugins: [hopfield] });
  return deserializeModel<M>(b, { spec, weights: artifacts.weights });
}

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

const total = (m: { energy(s: tf.Tensor): { total: tf.Tensor1D; terms?: Record<string, tf.Tensor1D> } }, s: tf.Tensor): tf.Tensor1D => {
  const e = m.energy(s);
  tf.dispose(Object.values(e.terms ?? {}));
  return e.total;
};

describe('hopfield: saved models rebuild the same model; loading leaks nothing', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('classical and dense round-trip (same energies and recalls; patterns stored in their [K, N] layout)', async () => {
    const xi = tf.tensor2d(patterns(8, 40, 1), [8, 40]);
    const c = new ClassicalHopfield({ size: 40, rule: 'pseudo-inverse' }).store(xi);
    const c2 = await roundTrip(c);
    expect(c2.rule).to.equal('pseudo-inverse');
    expect(c2.memories).to.equal(8);
    const [e1, e2] = [total(c, xi), total(c2, xi)];
    expect(maxDiff(e1, e2)).to.equal(0);
    const [r1, r2] = [await c.recall(xi, { mode: 'sync' }), await c2.recall(xi, { mode: 'sync' })];
    expect(maxDiff(r1, r2)).to.equal(0);
    const d = new DenseAssociativeMemory({ size: 40, separation: { kind: 'rectified-power', n: 4 } }).store(xi);
    const d2 = await roundTrip(d);
    expect(d2.separation.config).to.deep.equal({ kind: 'rectified-power', n: 4, beta: 1 });
    expect(Object.keys(d2.variables())).to.deep.equal(['patterns']);
    expect(d2.patterns!.shape).to.deep.equal([8, 40]);
    const [f1, f2] = [total(d, xi), total(d2, xi)];
    expect(maxDiff(f1, f2)).to.equal(0);
    tf.dispose([xi, e1, e2, f1, f2, r1, r2]);
    [c, c2, d, d2].forEach((m) => m.dispose());
  });

  it('modern and DrDAM round-trip (same updates and approximate energies)', async () => {
    const mem = tf.tensor2d(patterns(20, 16, 2), [20, 16]);
    const q = tf.tidy(() => tf.mul(mem.slice([0, 0], [3, 16]), 0.7));
    const m = new ModernHopfield({ size: 16, beta: 0.3 }).store(mem);
    const m2 = await roundTrip(m);
    expect(m2.memories).to.equal(20);
    const [a, b] = [m.retrieve(q, 2), m2.retrieve(q, 2)];
    expect(maxDiff(a, b)).to.equal(0);
    const [ma, mb] = [total(m, q), total(m2, q)];
    expect(maxDiff(ma, mb)).to.equal(0);
    const r = new DrDAM({ size: 16, features: 300, beta: 0.5, kernel: 'cos', seed: 4 }).store(mem);
    const r2 = await roundTrip(r);
    expect(r2.memories).to.equal(20);
    expect(r2.kernel).to.equal('cos');
    const [e1, e2] = [total(r, q), total(r2, q)];
    expect(maxDiff(e1, e2)).to.equal(0);
    tf.dispose([mem, q, a, b, e1, e2, ma, mb]);
    [m, m2, r, r2].forEach((x) => x.dispose());
  });

  it('Hopfield, HopfieldPooling and HopfieldLayer round-trip (same outputs)', async () => {
    const x = tf.randomNormal([2, 5, 8], 0, 1, 'float32', 3) as tf.Tensor3D;
    const mods = [
      new Hopfield({ inputSize: 8, heads: 2, updateStepsMax: 1, seed: 5 }),
      new HopfieldPooling({ inputSize: 8, heads: 2, quantity: 3, seed: 6 }),
      new HopfieldLayer({ inputSize: 8, memories: 4, outputSize: 3, seed: 7 }),
    ] as const;
    // Perturb the weights so the copy cannot pass with freshly initialised parameters.
    for (const mod of mods) {
      const bumped = Object.fromEntries(Object.entries(mod.variables()).map(([k, v]) => [k, tf.add(v, 0.1)]));
      mod.setWeights(bumped);
      tf.dispose(Object.values(bumped));
    }
    for (const mod of mods) {
      const copy = await roundTrip<typeof mod>(mod);
      const [y1, y2] = [mod.forward(x), copy.forward(x)];
      expect(maxDiff(y1, y2), mod.kind).to.equal(0);
      tf.dispose([y1, y2]);
      copy.dispose();
      mod.dispose();
    }
    x.dispose();
  });

  it('loading and setWeights leak no tensor (every kind; issue 14 item 5)', async () => {
    const mem = tf.tensor2d(patterns(6, 8, 3), [6, 8]);
    const models: Model[] = [
      new ClassicalHopfield({ size: 8 }).store(mem),
      new DenseAssociativeMemory({ size: 8 }).store(mem),
      new ModernHopfield({ size: 8 }).store(mem),
      new DrDAM({ size: 8, features: 20 }).store(mem),
      new Hopfield({ inputSize: 8 }),
      new HopfieldPooling({ inputSize: 8 }),
      new HopfieldLayer({ inputSize: 8 }),
    ];
    const engram = await createEngram({ plugins: [hopfield] });
    for (const model of models) {
      const artifacts = serializeModel(model, { engram });
      const before = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) (await deserializeModel(engram, artifacts)).dispose();
      expect(tf.memory().numTensors, `${model.kind} load`).to.equal(before);
      const values = Object.fromEntries(Object.entries(model.variables()).map(([k, v]) => [k, v.clone()]));
      const n = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) model.setWeights(values);
      expect(tf.memory().numTensors, `${model.kind} setWeights`).to.equal(n);
      tf.dispose(Object.values(values));
      model.dispose();
    }
    mem.dispose();
  });

  it('a spec whose weights do not fit fails with a coded error (and frees the half-built model)', async () => {
    const m = new ModernHopfield({ size: 4 }).store([[1, 0, 0, 0]]);
    const a = await createEngram({ plugins: [hopfield] });
    const art = serializeModel(m, { engram: a });
    const spec = JSON.parse(JSON.stringify(art.spec));
    spec.config.size = 5;
    const before = tf.memory().numTensors;
    const err = await deserializeModel(a, { spec, weights: art.weights }).catch((e: unknown) => e);
    expect(isEngramError(err, ErrorCodes.WEIGHTS_MISMATCH)).to.equal(true);
    expect(tf.memory().numTensors).to.equal(before);
    m.dispose();
  });
});
