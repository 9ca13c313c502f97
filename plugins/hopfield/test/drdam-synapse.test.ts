import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import {
  createEngram,
  EnergyModel,
  ErrorCodes,
  gradCheck,
  gradCheckVariables,
  gradGradCheck,
  initBackend,
  integrate,
  descentSystem,
  lagrangians,
  type Hypersynapse,
} from '@engram/core';
import hopfield, { drdamSynapse, type DrdamSynapse } from '../src/index.js';
import { codeOf, expectClose } from './helpers.js';

const D = 6;

function memories(seed: number): tf.Tensor2D {
  return tf.tidy(() => tf.mul(tf.randomNormal([5, D], 0, 1, 'float32', seed), 0.5)) as tf.Tensor2D;
}

/** A synapse with 5 memories folded in (tf trigonometry). */
function filled(kernel: 'sincos' | 'cos' | 'positive', trainable = false): DrdamSynapse {
  const syn = drdamSynapse({ size: D, features: 400, beta: 1.5, kernel, seed: 3, trainable });
  const m = memories(1);
  syn.addMemories(m);
  m.dispose();
  return syn;
}

const closedGradient = (syn: Hypersynapse, x: tf.Tensor): tf.Tensor => {
  const { energy, gradients } = syn.energyAndGradient!([x]);
  energy.dispose();
  return gradients[0]!;
};

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`hopfield/drdam synapse (${backend})`, () => {
    before(async () => {
      await initBackend({ backend });
    });
    after(async () => {
      await initBackend({ backend: 'wasm' });
    });

    for (const kernel of ['sincos', 'cos', 'positive'] as const) {
      it(`${kernel}: finite-difference checks of the energy (first and second order) and of the closed-form dE/dg (its own derivative too)`, () => {
        const syn = filled(kernel);
        const x = tf.tidy(() => tf.add(memories(1).slice([0, 0], [3, D]), tf.randomNormal([3, D], 0, 0.2, 'float32', 8)));
        const energy = (g: tf.Tensor) => tf.sum(syn.energy([g])) as tf.Scalar;
        const first = gradCheck(energy, x, { eps: 1e-2, seed: 1 });
        expect(first.ok, first.summary).to.equal(true);
        const second = gradGradCheck(energy, x, { eps: 1e-2, seed: 2 });
        expect(second.ok, second.summary).to.equal(true);
        // The closed form equals autodiff, and differentiating it again (a Hessian-vector product) passes too.
        const auto = tf.grad(energy)(x);
        const closed = closedGradient(syn, x);
        expectClose(closed, auto, `${kernel} closed form vs autodiff`, 1e-4);
        const v = tf.randomNormal(x.shape, 0, 1, 'float32', 4);
        const hv = gradCheck((g) => tf.sum(tf.mul(closedGradient(syn, g), v)) as tf.Scalar, x, { eps: 1e-2, seed: 3 });
        expect(hv.ok, hv.summary).to.equal(true);
        tf.dispose([x, auto, closed, v]);
        syn.dispose();
      });
    }

    it('trains T through unrolled descent on a graph (gradient w.r.t. the memory vector checked by finite differences)', () => {
      const syn = filled('sincos', true);
      const graph = new EnergyModel().addLayer('x', { shape: [D], lagrangian: lagrangians.identity() }).addSynapse('memory', syn, ['x']);
      const x0 = tf.randomNormal([2, D], 0, 0.5, 'float32', 9);
      const target = memories(1).slice([0, 0], [2, D]);
      const loss = () =>
        tf.tidy(() => {
          const out = integrate(descentSystem(graph.graph, { energyTree: false }), { x: x0 }, { steps: 2, dt: 0.3 });
          return tf.mean(tf.square(tf.sub(out['x']!, target))) as tf.Scalar;
        });
      const r = gradCheckVariables(loss, { memoryVector: syn.variables['memoryVector']! }, { eps: 1e-2, seed: 5, coordinates: 8 });
      expect(r.ok, r.summary).to.equal(true);
      tf.dispose([x0, target]);
      graph.dispose();
    });
  });
}

describe('hopfield/drdam synapse in a core graph', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it("is contributed to the registry, checks its config, and composes with core's synapses (the graph's closed-form dE/dg equals autodiff)", async () => {
    const engram = await createEngram({ plugins: [hopfield] });
    expect(engram.ids('synapse')).to.include('hopfield/drdam');
    const syn = engram.synapse('hopfield/drdam', { size: D, features: 200, beta: 1, kernel: 'cos', seed: 1 }) as DrdamSynapse;
    const m = memories(2);
    syn.addMemories(m);
    const bias = engram.synapse('core/bias', { size: D });
    const g = new EnergyModel().addLayer('x', { shape: [D], lagrangian: lagrangians.identity() }).addSynapse('memory', syn, ['x']).addSynapse('bias', bias, ['x']);
    const x = tf.randomNormal([3, D], 0, 0.5, 'float32', 3);
    const { dEdg, synapseEnergy } = g.energyGradient({ x });
    const auto = tf.grad((v: tf.Tensor) => tf.sum(g.energy({ x: v }).total))(x);
    expectClose(dEdg['x']!, auto, 'graph dE/dg', 1e-4);
    expect(Object.keys(synapseEnergy)).to.deep.equal(['memory', 'bias']);
    expect(codeOf(() => engram.synapse('hopfield/drdam', { size: D, features: 10, betta: 1 }))).to.equal(ErrorCodes.INVALID_CONFIG);
    expect(codeOf(() => new EnergyModel().addLayer('y', { shape: [D + 1], lagrangian: lagrangians.identity() }).addSynapse('m', drdamSynapse({ size: D, features: 4 }), ['y']))).to.equal(ErrorCodes.SHAPE_MISMATCH);
    tf.dispose([m, x, auto, dEdg['x']!, ...Object.values(synapseEnergy)]);
    g.dispose();
  });
});
