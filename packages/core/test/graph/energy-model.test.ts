import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/backend.js';
import { EnergyModel } from '../../src/model/energy-model.js';
import { lagrangians } from '../../src/lagrangians/index.js';
import { denseSynapse } from '../../src/synapses/dense.js';
import { isEngramError, ErrorCodes } from '../../src/errors/index.js';
import { gradCheckArgs } from '../../src/numerics/gradcheck.js';
import { randomGraph } from '../helpers.js';

describe('EnergyModel', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('total energy is the sum of the tree, and dE/dg = x + dE_syn/dg matches autodiff', () => {
    const model = randomGraph(3);
    const state = model.initialState(4, { std: 1, seed: 5 });
    const { total, terms } = model.energy(state);
    const sum = tf.addN(Object.values(terms!));
    expect(tf.max(tf.abs(tf.sub(sum, total))).dataSync()[0]).to.be.lessThan(1e-4);
    const layers = model.layers.map((l) => l.name);
    const g = model.activations(state);
    // E as a function of the activations with x held fixed: sum <x,g> - L(x) + E_syn(g).
    const { dEdg } = model.energyGradient(state, g);
    const f = (...gs: tf.Tensor[]): tf.Scalar =>
      tf.tidy(() => {
        const byName: Record<string, tf.Tensor> = {};
        layers.forEach((n, i) => (byName[n] = gs[i]!));
        let e: tf.Tensor = tf.scalar(0);
        for (const n of layers) e = tf.add(e, tf.sum(tf.mul(state[n]!, byName[n]!)));
        for (const c of model.connections) e = tf.add(e, tf.sum(c.synapse.energy(c.layers.map((n) => byName[n]!))));
        return e as tf.Scalar;
      });
    const auto = tf.grads(f)(layers.map((n) => g[n]!));
    layers.forEach((n, i) => {
      expect(tf.max(tf.abs(tf.sub(auto[i]!, dEdg[n]!))).dataSync()[0]).to.be.lessThan(1e-4);
    });
    const check = gradCheckArgs(f, layers.map((n) => g[n]!), { tolerance: 1e-2 });
    expect(check.ok, check.summary).to.equal(true);
    tf.dispose([total, sum, ...Object.values(terms!), ...Object.values(state), ...Object.values(g), ...Object.values(dEdg), ...auto]);
    model.dispose();
  });

  it('energyGradient with legendre: false is dE_syn/dg alone (x left out; zeros for a layer no synapse touches), no tensor left', () => {
    const model = randomGraph(3);
    model.addLayer('alone', { shape: [2], lagrangian: lagrangians.identity() });
    const state = { ...model.initialState(4, { std: 1, seed: 6 }) };
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const g = model.activations(state);
      const full = model.energyGradient(state, g);
      const syn = model.energyGradient(state, g, { legendre: false });
      for (const l of model.layers) {
        const expected = tf.sub(full.dEdg[l.name]!, state[l.name]!);
        expect(syn.dEdg[l.name]!.shape, l.name).to.deep.equal(state[l.name]!.shape);
        expect(tf.max(tf.abs(tf.sub(expected, syn.dEdg[l.name]!))).dataSync()[0], l.name).to.be.lessThan(1e-5);
      }
      expect(tf.max(tf.abs(syn.dEdg['alone']!)).dataSync()[0]).to.equal(0);
      for (const k of Object.keys(full.synapseEnergy)) expect(tf.max(tf.abs(tf.sub(full.synapseEnergy[k]!, syn.synapseEnergy[k]!))).dataSync()[0], k).to.equal(0);
    });
    expect(tf.memory().numTensors).to.equal(before);
    tf.dispose(Object.values(state));
    model.dispose();
  });

  it('rejects wrong shapes, unknown layers, duplicate names and wrong arity with coded errors', () => {
    const model = new EnergyModel().addLayer('v', { shape: [4], lagrangian: lagrangians.sigmoid() });
    model.addLayer('h', { shape: [3], lagrangian: lagrangians.relu() });
    const bad = denseSynapse({ inSize: 5, outSize: 3 });
    expect(() => model.addSynapse('w', bad, ['v', 'h'])).to.throw().that.satisfies((e: unknown) => isEngramError(e, ErrorCodes.SHAPE_MISMATCH));
    bad.dispose();
    const ok = denseSynapse({ inSize: 4, outSize: 3 });
    expect(() => model.addSynapse('w', ok, ['v'])).to.throw(/list of 2 layer/);
    expect(() => model.addSynapse('w', ok, ['v', 'nope'])).to.throw(/unknown layer 'nope'.*v, h/);
    model.addSynapse('w', ok, ['v', 'h']);
    expect(() => model.addLayer('w', { shape: [2], lagrangian: lagrangians.relu() })).to.throw().that.satisfies((e: unknown) =>
      isEngramError(e, ErrorCodes.DUPLICATE_ID),
    );
    const wrong = { v: tf.zeros([2, 5]), h: tf.zeros([2, 3]) };
    expect(() => model.energy(wrong)).to.throw(/state.v has shape \[2, 5\] but \[batch, 4\]/);
    const mixed = { v: tf.zeros([2, 4]), h: tf.zeros([3, 3]) };
    expect(() => model.energy(mixed)).to.throw(/batch/);
    expect(() => model.energy({ v: tf.zeros([2, 4]) })).to.throw(/state.h must be/);
    tf.dispose([...Object.values(wrong), ...Object.values(mixed)]);
    model.dispose();
    expect(() => model.energy({})).to.throw().that.satisfies((e: unknown) => isEngramError(e, ErrorCodes.DISPOSED));
  });

  it('does not leak tensors in energy, gradient and descent steps', () => {
    const model = randomGraph(11);
    const state = model.initialState(2, { std: 0.5 });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) {
      const e = model.energy(state);
      tf.dispose([e.total, ...Object.values(e.terms!)]);
      const { next, energy } = model.descentStep(state, 0.1);
      tf.dispose([...Object.values(next), energy!.total, ...Object.values(energy!.terms!)]);
    }
    expect(tf.memory().numTensors).to.equal(before);
    tf.dispose(Object.values(state));
    model.dispose();
  });
});
