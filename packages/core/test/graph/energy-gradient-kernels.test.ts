import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/backend.js';
import { EnergyModel } from '../../src/model/energy-model.js';
import { lagrangians } from '../../src/lagrangians/index.js';
import { memorySynapse } from '../../src/synapses/memory.js';
import { defineSynapse } from '../../src/synapses/hypersynapse.js';
import { flattenBatch } from '../../src/synapses/initializers.js';
import { isEngramError } from '../../src/errors/engram-error.js';
import { autodiffOnly } from '../helpers.js';

/**
 * The autodiff energy gradient differentiates the per-sample energy with
 * dy = ones (no Sum and its backward), takes a single connection's energy from
 * the same pass, and reshapes only where a synapse flattened the layer; these
 * tests pin the values, the kernel count and the ownership rules that go with it.
 */
describe('EnergyGraph.energyGradient: fewer kernels, same values, caller-owned results', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  const model = (autodiff: boolean): EnergyModel => {
    const mem = memorySynapse({ memories: 7, size: 12, beta: 1, seed: 3 });
    return new EnergyModel().addLayer('v', { shape: [12], lagrangian: lagrangians.identity() }).addSynapse('mem', autodiff ? autodiffOnly(mem) : mem, ['v']);
  };

  it('autodiff and closed form agree on dE/dg and the energy, with no Sum kernel and no same-shape Reshape in the autodiff pass', async () => {
    const a = model(true);
    const c = model(false);
    c.graph.synapses.get('mem')!.variables['patterns']!.assign(a.graph.synapses.get('mem')!.variables['patterns']!);
    const v = tf.randomNormal([5, 12], 0, 1, 'float32', 4);
    const before = tf.memory().numTensors;
    const profile = await tf.profile(() => {
      const r = a.energyGradient({ v });
      tf.dispose([...Object.values(r.dEdg), ...Object.values(r.synapseEnergy)]);
    });
    expect(tf.memory().numTensors).to.equal(before);
    const names = profile.kernels.map((k) => k.name);
    expect(names, names.join(' ')).to.not.include('Sum');
    expect(names, names.join(' ')).to.not.include('Reshape');
    const got = a.energyGradient({ v });
    const want = c.energyGradient({ v });
    const diff = (p: tf.Tensor, q: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(tf.sub(p, q))).dataSync()[0]!);
    expect(diff(got.dEdg['v']!, want.dEdg['v']!)).to.be.lessThan(1e-5);
    expect(diff(got.synapseEnergy['mem']!, want.synapseEnergy['mem']!)).to.be.lessThan(1e-5);
    tf.dispose([v, ...Object.values(got.dEdg), ...Object.values(got.synapseEnergy), ...Object.values(want.dEdg), ...Object.values(want.synapseEnergy)]);
    a.dispose();
    c.dispose();
  });

  it('a synapse whose energy is not one value per sample gets a coded shape error and leaks nothing', () => {
    const bad = defineSynapse({ kind: 'test/scalar-energy', arity: 1, energy: ([g]) => tf.sum(g!) as unknown as tf.Tensor1D });
    const ok = defineSynapse({ kind: 'test/quadratic', arity: 1, energy: ([g]) => tf.sum(tf.square(g!), 1) as tf.Tensor1D });
    // With a well-formed connection beside it, and alone (nothing else on the tape's path).
    for (const withOk of [true, false]) {
      const m = new EnergyModel().addLayer('v', { shape: [3], lagrangian: lagrangians.identity() });
      if (withOk) m.addSynapse('ok', ok, ['v']);
      m.addSynapse('bad', bad, ['v']);
      const v = tf.ones([2, 3]);
      const before = tf.memory().numTensors;
      let caught: unknown;
      try {
        m.energyGradient({ v });
      } catch (e) {
        caught = e;
      }
      expect(isEngramError(caught), String(caught)).to.equal(true);
      expect((caught as { code: string }).code).to.equal('ENGRAM_ERR_SHAPE_MISMATCH');
      expect(String((caught as Error).message)).to.match(/bad/);
      expect(tf.memory().numTensors, `with ok: ${withOk}`).to.equal(before);
      v.dispose();
    }
    bad.dispose();
    ok.dispose();
  });

  it('a closed form that hands back its input (dE/dg = g) still gives the caller a tensor of its own', () => {
    const self = defineSynapse({
      kind: 'test/half-square',
      arity: 1,
      energy: ([g]) => tf.mul(0.5, tf.sum(tf.square(g!), 1)) as tf.Tensor1D,
      energyAndGradient: ([g]) => ({ energy: tf.mul(0.5, tf.sum(tf.square(g!), 1)) as tf.Tensor1D, gradients: [g!] }),
    });
    const m = new EnergyModel().addLayer('v', { shape: [3], lagrangian: lagrangians.identity() }).addSynapse('s', self, ['v']);
    const v = tf.tensor2d([[1, 2, 3]]);
    const g = m.graph.activations({ v });
    const r = m.graph.energyGradient({ v }, g, { legendre: false });
    expect(r.dEdg['v']).to.not.equal(v);
    expect(r.dEdg['v']).to.not.equal(g['v']);
    tf.dispose([...Object.values(r.dEdg), ...Object.values(r.synapseEnergy), ...Object.values(g)]);
    expect(Array.from(v.dataSync())).to.deep.equal([1, 2, 3]);
    v.dispose();
    m.dispose();
  });

  it('flattenBatch hands back a [batch, features] tensor itself and reshapes anything else', () => {
    const x2 = tf.zeros([2, 5]);
    const x3 = tf.zeros([2, 5, 3]);
    expect(flattenBatch(x2)).to.equal(x2);
    const f = flattenBatch(x3);
    expect(f.shape).to.deep.equal([2, 15]);
    tf.dispose([x2, x3, f]);
  });
});
