import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { createEngram, EnergyGraph, ErrorCodes, gradCheckArgs, gradGradCheckArgs, initBackend, lagrangians, type Hypersynapse } from '@engram/core';
import et, { attentionSynapse, hopfieldSynapse } from '../src/index.js';
import { errorOf, maxDiff } from './helpers.js';

/**
 * The plugin's synapse kinds: their closed-form dE/dg equals autodiff of their
 * energy at first and second order, and their energies pass finite-difference
 * gradient checks at first and second order, on wasm and cpu.
 */
const makers: Record<string, () => Hypersynapse> = {
  attention: () => attentionSynapse({ size: 6, heads: 2, headSize: 3, std: 0.4, seed: 1 }),
  'attention, diagonal excluded': () => attentionSynapse({ size: 6, heads: 2, headSize: 3, beta: 0.8, excludeDiagonal: true, std: 0.4, seed: 2 }),
  // The closed form puts beta and the sign on the weights or on the token-sized tensors, whichever is
  // smaller: these two sizes take the other branches (see `tokens` below).
  'attention, 8 tokens (sign and beta on the weights)': () => attentionSynapse({ size: 6, heads: 2, headSize: 3, beta: 0.6, std: 0.4, seed: 8 }),
  'attention, 2 tokens, one head (beta on the logits)': () => attentionSynapse({ size: 6, heads: 1, headSize: 6, beta: 1.3, std: 0.4, seed: 9 }),
  'hopfield relu (rectified-power n = 2)': () => hopfieldSynapse({ size: 6, memories: 7, std: 0.4, seed: 3 }),
  'hopfield rectified-power n = 3': () => hopfieldSynapse({ size: 6, memories: 7, separation: { kind: 'rectified-power', n: 3 }, std: 0.4, seed: 4 }),
  'hopfield softmax (lse)': () => hopfieldSynapse({ size: 6, memories: 7, separation: { kind: 'lse', beta: 0.7 }, std: 0.4, seed: 5 }),
  'hopfield power n = 2': () => hopfieldSynapse({ size: 6, memories: 7, separation: { kind: 'power', n: 2 }, std: 0.4, seed: 6 }),
  'hopfield exp': () => hopfieldSynapse({ size: 6, memories: 7, separation: { kind: 'exp', beta: 0.5 }, std: 0.4, seed: 7 }),
};

/** Tokens per sample of the test activations [2, tokens, 6] (4 unless named here). */
const tokens: Record<string, number> = { 'attention, 8 tokens (sign and beta on the weights)': 8, 'attention, 2 tokens, one head (beta on the logits)': 2 };

const scale = (a: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(a)).dataSync()[0]!) || 1;

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`energy-transformer synapses (${backend})`, () => {
    before(async () => {
      await initBackend({ backend });
    });
    after(async () => {
      await initBackend({ backend: 'wasm' });
    });

    for (const [name, make] of Object.entries(makers)) {
      it(`${name}: closed form = autodiff (first and second order) and finite differences`, () => {
        const syn = make();
        const g = tf.randomNormal([2, tokens[name] ?? 4, 6], 0, 1, 'float32', 11);
        const before = tf.memory().numTensors;
        const closed = syn.energyAndGradient!([g]);
        const e = syn.energy([g]);
        expect(maxDiff(closed.energy, e) / scale(e), 'energy').to.be.lessThan(1e-5);
        const auto = tf.grad((x: tf.Tensor) => tf.sum(syn.energy([x])) as tf.Scalar)(g);
        expect(closed.gradients[0]!.shape).to.deep.equal(g.shape);
        expect(maxDiff(closed.gradients[0]!, auto) / scale(auto), 'dE/dg').to.be.lessThan(1e-5);
        expect(scale(auto)).to.be.greaterThan(1e-3); // a gradient that is identically 0 would pass trivially
        // Second order, through the weights: d<v, dE/dg>/dW by the closed form equals it by autodiff.
        const v = tf.randomNormal(g.shape, 0, 1, 'float32', 12);
        const weights = Object.values(syn.variables);
        const hvp = (dEdg: () => tf.Tensor): tf.Tensor[] => {
          const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(dEdg(), v)) as tf.Scalar, weights);
          value.dispose();
          return weights.map((w) => grads[w.name]!);
        };
        const viaClosed = hvp(() => syn.energyAndGradient!([g]).gradients[0]!);
        const viaAuto = hvp(() => tf.grad((x: tf.Tensor) => tf.sum(syn.energy([x])) as tf.Scalar)(g));
        viaClosed.forEach((c, i) => expect(maxDiff(c, viaAuto[i]!) / scale(viaAuto[i]!), `d<v, dE/dg>/dW_${i}`).to.be.lessThan(1e-4));
        // ... and through the activations: the closed form's own derivative against finite differences.
        const closedGrad = (x: tf.Tensor): tf.Scalar => tf.sum(tf.mul(syn.energyAndGradient!([x]).gradients[0]!, v)) as tf.Scalar;
        const fd2 = gradCheckArgs(closedGrad, [g], { seed: 3, tolerance: 2e-2 });
        expect(fd2.ok, `closed form, second order: ${fd2.summary}`).to.equal(true);
        const fd1 = gradCheckArgs((x) => tf.sum(syn.energy([x])) as tf.Scalar, [g], { seed: 1, tolerance: 1e-2 });
        expect(fd1.ok, `first order: ${fd1.summary}`).to.equal(true);
        const fdd = gradGradCheckArgs((x) => tf.sum(syn.energy([x])) as tf.Scalar, [g], { seed: 2, tolerance: 2e-2 });
        expect(fdd.ok, `second order: ${fdd.summary}`).to.equal(true);
        tf.dispose([closed.energy, ...closed.gradients, e, auto, v, ...viaClosed, ...viaAuto]);
        expect(tf.memory().numTensors, 'tensors left').to.equal(before);
        g.dispose();
        syn.dispose();
      });
    }
  });
}

describe('energy-transformer synapse kinds in the registry', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('builds both kinds from their configs (defaults resolved in the config, weights in the paper layout)', async () => {
    const engram = await createEngram({ plugins: [et] });
    const att = engram.synapse('energy-transformer/attention', { size: 8, heads: 2 });
    expect(att.config).to.deep.equal({ size: 8, heads: 2, headSize: 4, beta: 0.5, excludeDiagonal: false, std: 0.002, seed: 0 });
    expect(att.variables['keys']!.shape).to.deep.equal([2, 4, 8]);
    expect(att.variables['queries']!.shape).to.deep.equal([2, 4, 8]);
    const hop = engram.synapse('energy-transformer/hopfield', { size: 8 });
    expect(hop.config).to.deep.equal({ size: 8, memories: 32, separation: { kind: 'rectified-power', n: 2, beta: 1 }, std: 0.02, seed: 0 });
    expect(hop.variables['patterns']!.shape).to.deep.equal([32, 8]);
    // The config rebuilds the same synapse.
    const again = engram.synapse('energy-transformer/hopfield', hop.config);
    expect(maxDiff(again.variables['patterns']!, hop.variables['patterns']!)).to.equal(0);
    [att, hop, again].forEach((s) => s.dispose());
  });

  it('rejects a typo, a wrong type, an out-of-range value and a bad layer with coded errors naming the key', async () => {
    const engram = await createEngram({ plugins: [et] });
    const typo = errorOf(() => engram.synapse('energy-transformer/attention', { size: 8, haeds: 2 }));
    expect(typo.code).to.equal(ErrorCodes.INVALID_CONFIG);
    expect(typo.message).to.match(/haeds/).and.match(/did you mean 'heads'/).and.match(/energy-transformer\/attention/);
    const type = errorOf(() => engram.synapse('energy-transformer/hopfield', { size: 'eight' }));
    expect(type.code).to.equal(ErrorCodes.INVALID_CONFIG);
    expect(type.message).to.match(/'size'/);
    const range = errorOf(() => engram.synapse('energy-transformer/attention', { size: 8, beta: -1 }));
    expect(range.code).to.equal(ErrorCodes.INVALID_CONFIG);
    expect(range.message).to.match(/'beta'/);
    const n = errorOf(() => hopfieldSynapse({ size: 4, separation: { kind: 'rectified-power', n: 1 } }));
    expect(n.code).to.equal(ErrorCodes.INVALID_CONFIG);
    expect(n.message).to.match(/separation key 'n'/);
    const sep = errorOf(() => hopfieldSynapse({ size: 4, separation: { kind: 'relu' as 'lse' } }));
    expect(sep.code).to.equal(ErrorCodes.INVALID_CONFIG);
    const att = attentionSynapse({ size: 8 });
    const graph = new EnergyGraph().addLayer('x', { shape: [8], lagrangian: lagrangians.identity() }).addLayer('t', { shape: [3, 5], lagrangian: lagrangians.layernorm() });
    expect(errorOf(() => graph.addSynapse('a', att, ['x'])).code).to.equal(ErrorCodes.SHAPE_MISMATCH);
    expect(errorOf(() => graph.addSynapse('a', att, ['t'])).code).to.equal(ErrorCodes.SHAPE_MISMATCH);
    const lone = attentionSynapse({ size: 5, excludeDiagonal: true });
    const one = new EnergyGraph().addLayer('t', { shape: [1, 5], lagrangian: lagrangians.layernorm() });
    expect(errorOf(() => one.addSynapse('a', lone, ['t'])).code).to.equal(ErrorCodes.INVALID_ARGUMENT);
    expect(errorOf(() => attentionSynapse({ size: 4, heads: 2, keys: tf.zeros([2, 2, 5]) })).code).to.equal(ErrorCodes.SHAPE_MISMATCH);
    [att, lone].forEach((s) => s.dispose());
    graph.dispose();
    one.dispose();
  });
});
