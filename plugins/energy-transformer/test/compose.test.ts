import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { lastValueFrom, toArray } from 'rxjs';
import {
  createEngram,
  denseSynapse,
  deserializeModel,
  EnergyModel,
  gradCheckVariables,
  initBackend,
  lagrangians,
  memorySynapse,
  serializeModel,
  type Hypersynapse,
} from '@engram/core';
import et, { attentionSynapse, hopfieldSynapse } from '../src/index.js';
import { maxDiff } from './helpers.js';

/** The same synapse without its closed form (shares its variables): the graph then uses autodiff for it. */
function autodiffOnly(syn: Hypersynapse): Hypersynapse {
  return { kind: syn.kind, config: syn.config, arity: syn.arity, variables: syn.variables, energy: (a) => syn.energy(a), dispose: () => syn.dispose() };
}

/** A user's own core graph: a token layer on core layernorm with the ET attention, core's memory synapse and a dense readout to a label layer. */
function userModel(closed = true): EnergyModel {
  const wrap = (s: Hypersynapse): Hypersynapse => (closed ? s : autodiffOnly(s));
  return new EnergyModel()
    .addLayer('tokens', { shape: [6, 8], lagrangian: lagrangians.layernorm({ size: 8, trainable: true }) })
    .addLayer('label', { shape: [3], lagrangian: lagrangians.softmax() })
    .addSynapse('attention', wrap(attentionSynapse({ size: 8, heads: 2, std: 0.3, seed: 1 })), ['tokens'])
    .addSynapse('hopfield', wrap(hopfieldSynapse({ size: 8, memories: 10, std: 0.3, seed: 2 })), ['tokens'])
    .addSynapse('memory', memorySynapse({ memories: 5, size: 48, beta: 0.5, seed: 3 }), ['tokens'])
    .addSynapse('readout', denseSynapse({ inSize: 48, outSize: 3, std: 0.2, seed: 4 }), ['tokens', 'label']);
}

describe('the ET synapses in a user-built core EnergyModel', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('descends with the other synapses: the energy tree names every term and the total never rises', async () => {
    const model = userModel();
    const initial = { tokens: tf.randomNormal([2, 6, 8], 0, 1, 'float32', 5), label: tf.zeros([2, 3]) };
    const events = await lastValueFrom(model.run({ initial, maxSteps: 60, dt: 0.1 }).pipe(toArray()));
    expect(Object.keys(events[0]!.energyTree!)).to.deep.equal(['tokens', 'label', 'attention', 'hopfield', 'memory', 'readout']);
    const e = events.map((ev) => ev.energy!);
    expect(e[60]!).to.be.lessThan(e[0]! - 1e-3);
    for (let k = 1; k < e.length; k++) expect(e[k]!, `step ${k}`).to.be.at.most(e[k - 1]! + 1e-5 * Math.abs(e[k - 1]!));
    tf.dispose(Object.values(initial));
    model.dispose();
  });

  it('the closed forms give the same dE/dg and descent as autodiff of the same energies', () => {
    const a = userModel(true);
    const b = userModel(false);
    const x = { tokens: tf.randomNormal([2, 6, 8], 0, 1, 'float32', 6), label: tf.randomNormal([2, 3], 0, 1, 'float32', 7) };
    const ga = a.energyGradient(x);
    const gb = b.energyGradient(x);
    for (const k of ['tokens', 'label']) expect(maxDiff(ga.dEdg[k]!, gb.dEdg[k]!), k).to.be.lessThan(1e-5);
    const fa = a.integrate(x, { steps: 8, dt: 0.1 });
    const fb = b.integrate(x, { steps: 8, dt: 0.1 });
    for (const k of ['tokens', 'label']) expect(maxDiff(fa[k]!, fb[k]!), k).to.be.lessThan(1e-5);
    tf.dispose([...Object.values(x), ...Object.values(ga.dEdg), ...Object.values(gb.dEdg), ...Object.values(ga.synapseEnergy), ...Object.values(gb.synapseEnergy), ...Object.values(fa), ...Object.values(fb)]);
    a.dispose();
    b.dispose();
  });

  it('trains through the unrolled descent (gradients of the ET weights match finite differences)', () => {
    const model = userModel();
    const x = tf.randomNormal([2, 6, 8], 0, 1, 'float32', 8);
    const target = tf.tensor2d([[1, 0, 0], [0, 0, 1]]);
    const loss = (): tf.Scalar =>
      tf.tidy(() => {
        const out = model.integrate({ tokens: x, label: tf.zeros([2, 3]) }, { steps: 3, dt: 0.2, clamp: { tokens: true } });
        return tf.sum(tf.mul(tf.log(tf.add(tf.softmax(out['label']!), 1e-6)), tf.neg(target))) as tf.Scalar;
      });
    const v = model.variables();
    const r = gradCheckVariables(loss, { keys: v['attention/keys']!, patterns: v['hopfield/patterns']!, W: v['readout/W']! }, { eps: 1e-2, coordinates: 4, directions: 2, tolerance: 2e-2, seed: 3 });
    expect(r.ok, r.summary).to.equal(true);
    tf.dispose([x, target]);
    model.dispose();
  });

  it('saves and loads as a core/graph (the ET synapse kinds rebuilt from the registry) and shares weights when connected twice', async () => {
    const engram = await createEngram({ plugins: [et] });
    const model = userModel().addLayer('more', { shape: [6, 8], lagrangian: lagrangians.layernorm({ size: 8 }) }).connect('attention', ['more']);
    expect(Object.keys(model.variables()).filter((k) => k.startsWith('attention/'))).to.deep.equal(['attention/keys', 'attention/queries']);
    const copy = await deserializeModel<EnergyModel>(engram, serializeModel(model, { engram }));
    const state = { tokens: tf.randomNormal([1, 6, 8], 0, 1, 'float32', 9), label: tf.zeros([1, 3]), more: tf.randomNormal([1, 6, 8], 0, 1, 'float32', 10) };
    const ea = model.energy(state);
    const eb = copy.energy(state);
    expect(Object.keys(eb.terms!)).to.deep.equal(['tokens', 'label', 'more', 'attention', 'hopfield', 'memory', 'readout', 'attention#2']);
    expect(maxDiff(ea.total, eb.total)).to.equal(0);
    tf.dispose([...Object.values(state), ea.total, eb.total, ...Object.values(ea.terms!), ...Object.values(eb.terms!)]);
    model.dispose();
    copy.dispose();
  });
});
