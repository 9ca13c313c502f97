import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/backend.js';
import { EnergyModel } from '../../src/model/energy-model.js';
import { lagrangians } from '../../src/lagrangians/index.js';
import { denseSynapse } from '../../src/synapses/dense.js';
import { biasSynapse } from '../../src/synapses/bias.js';
import { memorySynapse } from '../../src/synapses/memory.js';
import type { Hypersynapse } from '../../src/synapses/hypersynapse.js';
import { gradGradCheckArgs } from '../../src/numerics/gradcheck.js';
import { autodiffOnly } from '../helpers.js';

/**
 * Every built-in synapse's closed-form dE/dg equals autodiff of its energy, at
 * first order (the values) and at second order (the gradient of <v, dE/dg> with
 * respect to the activations and the weights), on wasm and cpu; the closed form
 * passes its own finite-difference second-order check.
 */
const makers: Record<string, () => { syn: Hypersynapse; shapes: number[][] }> = {
  dense: () => ({ syn: denseSynapse({ inSize: 5, outSize: 3, std: 0.5, seed: 1 }), shapes: [[5], [3]] }),
  bias: () => ({ syn: biasSynapse({ size: 6, bias: tf.randomNormal([6], 0, 0.5, 'float32', 2) }), shapes: [[2, 3]] }),
  'memory lse': () => ({ syn: memorySynapse({ memories: 4, size: 6, beta: 2, seed: 3 }), shapes: [[6]] }),
  'memory rectified-power': () => ({ syn: memorySynapse({ memories: 4, size: 6, separation: 'rectified-power', n: 3, seed: 4 }), shapes: [[6]] }),
  'memory power': () => ({ syn: memorySynapse({ memories: 4, size: 6, separation: 'power', n: 3, seed: 5 }), shapes: [[6]] }),
  'memory exp': () => ({ syn: memorySynapse({ memories: 4, size: 6, separation: 'exp', beta: 0.7, seed: 6 }), shapes: [[6]] }),
};

function autodiffGrads(syn: Hypersynapse, acts: tf.Tensor[]): tf.Tensor[] {
  return tf.grads((...a: tf.Tensor[]) => tf.sum(syn.energy(a)) as tf.Scalar)(acts);
}

const maxDiff = (a: tf.Tensor, b: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
const scale = (a: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(a)).dataSync()[0]!) || 1;

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`closed-form synapse gradients (${backend})`, () => {
    before(async () => {
      await initBackend({ backend });
    });

    for (const [name, make] of Object.entries(makers)) {
      it(`${name}: energy and dE/dg equal autodiff, first and second order`, () => {
        const { syn, shapes } = make();
        const acts = shapes.map((s, i) => tf.randomNormal([3, ...s], 0, 1, 'float32', 20 + i));
        const before = tf.memory().numTensors;
        const closed = syn.energyAndGradient!(acts);
        const e = syn.energy(acts);
        expect(maxDiff(closed.energy, e) / scale(e)).to.be.lessThan(1e-5);
        const auto = autodiffGrads(syn, acts);
        closed.gradients.forEach((g, i) => {
          expect(g.shape).to.deep.equal(acts[i]!.shape);
          expect(maxDiff(g, auto[i]!) / scale(auto[i]!), `dE/dg_${i}`).to.be.lessThan(1e-5);
        });
        // Second order: d/d(acts, weights) <v, dE/dg> through the closed form equals the same through autodiff.
        const vs = acts.map((a, i) => tf.randomNormal(a.shape, 0, 1, 'float32', 40 + i));
        const weights = Object.values(syn.variables);
        const hvp = (f: () => tf.Scalar): tf.Tensor[] => {
          const { value, grads } = tf.variableGrads(f, weights);
          value.dispose();
          const gx = tf.grads((...a: tf.Tensor[]) => tf.tidy(() => {
            const out = syn.energyAndGradient!(a).gradients;
            return tf.addN(out.map((g, i) => tf.sum(tf.mul(g, vs[i]!)))) as tf.Scalar;
          }))(acts);
          return [...Object.values(grads), ...gx];
        };
        const viaClosed = hvp(() => tf.tidy(() => tf.addN(syn.energyAndGradient!(acts).gradients.map((g, i) => tf.sum(tf.mul(g, vs[i]!)))) as tf.Scalar));
        const viaAuto = hvp(() =>
          tf.tidy(() => tf.addN(autodiffGrads(syn, acts).map((g, i) => tf.sum(tf.mul(g, vs[i]!)))) as tf.Scalar),
        );
        // hvp's second half differentiates the closed form in both cases; compare the weight parts to autodiff's,
        // and the activation parts to a finite-difference check below.
        for (let i = 0; i < weights.length; i++) {
          expect(maxDiff(viaClosed[i]!, viaAuto[i]!) / scale(viaAuto[i]!), `d<v, dE/dg>/dW (${i})`).to.be.lessThan(1e-4);
        }
        if (name !== 'bias') {
          // (The bias energy is linear in g: its second derivative is identically zero, with nothing to check.)
          const fd = gradGradCheckArgs((...a) => tf.sum(syn.energy(a)) as tf.Scalar, acts, { seed: 7, tolerance: 1e-2 });
          expect(fd.ok, fd.summary).to.equal(true);
        }
        tf.dispose([closed.energy, ...closed.gradients, e, ...auto, ...vs, ...viaClosed, ...viaAuto]);
        expect(tf.memory().numTensors).to.equal(before);
        tf.dispose(acts);
        syn.dispose();
      });
    }

    it('a graph with closed-form synapses gives the same dE/dg and descent as the autodiff path', () => {
      const build = (closed: boolean): EnergyModel => {
        const wrap = (s: Hypersynapse): Hypersynapse => (closed ? s : autodiffOnly(s));
        return new EnergyModel()
          .addLayer('v', { shape: [6], lagrangian: lagrangians.tanh({ beta: 1 }) })
          .addLayer('h', { shape: [4], lagrangian: lagrangians.softmax() })
          .addSynapse('mem', wrap(memorySynapse({ memories: 5, size: 6, beta: 2, seed: 8 })), ['v'])
          .addSynapse('w', wrap(denseSynapse({ inSize: 6, outSize: 4, seed: 9 })), ['v', 'h'])
          .addSynapse('self', wrap(denseSynapse({ inSize: 4, outSize: 4, std: 0.3, seed: 10 })), ['h', 'h'])
          .addSynapse('b', wrap(biasSynapse({ size: 4, bias: [0.1, -0.2, 0.3, 0] })), ['h']);
      };
      const [a, b] = [build(true), build(false)];
      const x = { v: tf.randomNormal([2, 6], 0, 1, 'float32', 11), h: tf.randomNormal([2, 4], 0, 1, 'float32', 12) };
      const ga = a.energyGradient(x);
      const gb = b.energyGradient(x);
      for (const k of ['v', 'h']) expect(maxDiff(ga.dEdg[k]!, gb.dEdg[k]!), k).to.be.lessThan(1e-5);
      expect(Object.keys(ga.synapseEnergy)).to.deep.equal(['mem', 'w', 'self', 'b']);
      for (const k of Object.keys(gb.synapseEnergy)) expect(maxDiff(ga.synapseEnergy[k]!, gb.synapseEnergy[k]!), k).to.be.lessThan(1e-5);
      const fa = a.integrate(x, { steps: 10, dt: 0.1 });
      const fb = b.integrate(x, { steps: 10, dt: 0.1 });
      for (const k of ['v', 'h']) expect(maxDiff(fa[k]!, fb[k]!), k).to.be.lessThan(1e-5);
      tf.dispose([...Object.values(x), ...Object.values(ga.dEdg), ...Object.values(gb.dEdg), ...Object.values(ga.synapseEnergy), ...Object.values(gb.synapseEnergy), ...Object.values(fa), ...Object.values(fb)]);
      a.dispose();
      b.dispose();
    });
  });
}
