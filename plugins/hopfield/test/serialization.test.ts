import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { createEngram, deserializeModel, ErrorCodes, initBackend, isEngramError, serializeModel, type EngramModel } from '@engram/core';
import hopfield, { ClassicalHopfield, DenseAssociativeMemory, DrDAM, Hopfield, HopfieldLayer, HopfieldPooling, ModernHopfield } from '../src/index.js';
import { patterns } from './helpers.js';

/** Serializes through one engram, loads through a fresh one, returns the copy. */
async function roundTrip<M extends EngramModel>(model: M): Promise<M> {
  const a = await createEngram({ plugins: [hopfield] });
  const artifacts = serializeModel(model, { engram: a });
  // Through JSON text, as a file would be.
  const spec = JSON.parse(JSON.stringify(artifacts.spec));
  const b = await createEngram({ plugins: [hopfield] });
  return deserializeModel<M>(b, { spec, weights: artifacts.weights });
}

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

describe('hopfield plugin: registration and JSON spec round trips', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('registers every model id', async () => {
    const engram = await createEngram({ plugins: [hopfield] });
    const ids = engram.ids('model');
    for (const id of ['classical', 'dense', 'modern', 'drdam', 'association', 'pooling', 'layer']) expect(ids).to.include(`hopfield/${id}`);
    const m = await engram.createModel<ModernHopfield>('hopfield/modern', { dim: 5, beta: 2 });
    expect(m).to.be.instanceOf(ModernHopfield);
    expect(m.beta).to.equal(2);
    m.dispose();
    try {
      await engram.createModel('hopfield/modern', { dim: -1 });
      expect.fail('should throw');
    } catch (e) {
      expect(isEngramError(e)).to.equal(true);
    }
  });

  it('classical and dense round-trip (same energies and recalls)', async () => {
    const xi = tf.tensor2d(patterns(8, 40, 1), [8, 40]);
    const c = new ClassicalHopfield({ size: 40, rule: 'pseudo-inverse' }).store(xi);
    const c2 = await roundTrip(c);
    expect(c2.rule).to.equal('pseudo-inverse');
    expect(c2.patternCount).to.equal(8);
    const [e1, e2] = [c.energy(xi), c2.energy(xi)];
    expect(maxDiff(e1, e2)).to.equal(0);
    const d = new DenseAssociativeMemory({ size: 40, separation: { kind: 'rectified-power', n: 4 } }).store(xi);
    const d2 = await roundTrip(d);
    expect(d2.separation.spec).to.deep.equal({ kind: 'rectified-power', n: 4, beta: 1 });
    const [f1, f2] = [d.energy(xi), d2.energy(xi)];
    expect(maxDiff(f1, f2)).to.equal(0);
    tf.dispose([xi, e1, e2, f1, f2]);
    [c, c2, d, d2].forEach((m) => m.dispose());
  });

  it('modern and DrDAM round-trip (same updates and approximate energies)', async () => {
    const mem = tf.tensor2d(patterns(20, 16, 2), [20, 16]);
    const q = tf.tidy(() => tf.mul(mem.slice([0, 0], [3, 16]), 0.7));
    const m = new ModernHopfield({ dim: 16, beta: 0.3 }).store(mem);
    const m2 = await roundTrip(m);
    const [a, b] = [m.retrieve(q, 2), m2.retrieve(q, 2)];
    expect(maxDiff(a, b)).to.equal(0);
    const r = new DrDAM({ dim: 16, features: 300, beta: 0.5, kernel: 'cos', seed: 4 }).addMemories(mem);
    const r2 = await roundTrip(r);
    expect(r2.memoryCount).to.equal(20);
    expect(r2.kernel).to.equal('cos');
    const [e1, e2] = [r.energy(q), r2.energy(q)];
    expect(maxDiff(e1, e2)).to.equal(0);
    tf.dispose([mem, q, a, b, e1, e2]);
    [m, m2, r, r2].forEach((x) => x.dispose());
  });

  it('Hopfield, HopfieldPooling and HopfieldLayer round-trip (same outputs)', async () => {
    const x = tf.randomNormal([2, 5, 8], 0, 1, 'float32', 3) as tf.Tensor3D;
    const mods = [
      new Hopfield({ inputSize: 8, heads: 2, updateStepsMax: 1, seed: 5 }),
      new HopfieldPooling({ inputSize: 8, heads: 2, quantity: 3, seed: 6 }),
      new HopfieldLayer({ inputSize: 8, quantity: 4, outputSize: 3, seed: 7 }),
    ] as const;
    // Perturb the weights so the copy cannot pass with freshly initialised parameters.
    for (const mod of mods) {
      const w = mod.getWeights();
      const bumped = Object.fromEntries(Object.entries(w).map(([k, v]) => [k, tf.add(v, 0.1)]));
      mod.setWeights(bumped);
      tf.dispose(Object.values(bumped));
    }
    for (const mod of mods) {
      const copy = await roundTrip(mod);
      const y1 = mod instanceof Hopfield ? mod.forward(x) : mod instanceof HopfieldPooling ? mod.forward(x) : mod.forward(x);
      const y2 = copy instanceof Hopfield ? copy.forward(x) : copy instanceof HopfieldPooling ? copy.forward(x) : (copy as HopfieldLayer).forward(x);
      expect(maxDiff(y1, y2), mod.kind).to.equal(0);
      tf.dispose([y1, y2]);
      copy.dispose();
      mod.dispose();
    }
    x.dispose();
  });

  it('a spec whose weights do not fit fails with a coded error', async () => {
    const m = new ModernHopfield({ dim: 4 }).store([[1, 0, 0, 0]]);
    const a = await createEngram({ plugins: [hopfield] });
    const art = serializeModel(m, { engram: a });
    const spec = JSON.parse(JSON.stringify(art.spec));
    spec.config.dim = 5;
    try {
      await deserializeModel(a, { spec, weights: art.weights });
      expect.fail('should throw');
    } catch (e) {
      expect(isEngramError(e, ErrorCodes.WEIGHTS_MISMATCH)).to.equal(true);
    }
    m.dispose();
  });
});
