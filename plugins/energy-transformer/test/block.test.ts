import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { lastValueFrom, take, toArray } from 'rxjs';
import { createEngram, deserializeModel, descentSystem, ErrorCodes, gradCheckVariables, initBackend, integrate, serializeModel, type SeparationSpec } from '@engram/core';
import et, { EnergyTransformerBlock, type BlockOptions } from '../src/index.js';
import { codeOf, errorOf, maxDiff, relError, streamError, tick } from './helpers.js';
import { referenceOf } from './reference/convert.js';
import { disposeFused, prepareFused, referenceDEdg, referenceEnergy, referenceEvolve, referenceLayerNorm, referenceLogMask } from './reference/et-reference.js';

const small = (o: Partial<BlockOptions> = {}): EnergyTransformerBlock =>
  new EnergyTransformerBlock({ tokens: 7, size: 16, heads: 2, headSize: 8, memories: 24, attentionStd: 0.3, hopfieldStd: 0.3, seed: 3, ...o });

const forms: [string, SeparationSpec][] = [
  ['relu', { kind: 'rectified-power', n: 2 }],
  ['softmax', { kind: 'lse', beta: 0.7 }],
];

describe('energy-transformer/block', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  describe('the composition equals the previous hand-written block', () => {
    for (const [form, separation] of forms) {
      for (const excludeDiagonal of [false, true]) {
        const label = `${form}, ${excludeDiagonal ? 'without' : 'with'} the diagonal`;
        it(`energy terms, dE/dg and 12 descent steps to 1e-5 relative (${label})`, () => {
          const block = small({ separation, excludeDiagonal });
          const ref = referenceOf(block);
          const x = tf.randomNormal([3, 7, 16], 0, 1, 'float32', 11);
          const logMask = referenceLogMask(7, undefined, excludeDiagonal);
          const g = referenceLayerNorm(x, ref.weights.gamma, ref.weights.delta, ref.config.eps);
          const want = referenceEnergy(g, ref.weights, logMask, ref.config);
          const got = block.energy(x);
          expect(relError(got.terms!['attention']!, want.attention), 'attention').to.be.lessThan(1e-5);
          expect(relError(got.terms!['hopfield']!, want.hopfield), 'hopfield').to.be.lessThan(1e-5);
          expect(relError(got.total, tf.add(want.attention, want.hopfield)), 'total = attention + hopfield').to.be.lessThan(1e-5);
          const fused = prepareFused(ref.weights, logMask);
          const wantGrad = referenceDEdg(g, fused, ref.config);
          // The graph's dE/dg holds the Legendre part x too (core's convention); the synapses' part is the ET's.
          const { dEdg, synapseEnergy } = block.graph.energyGradient({ tokens: x });
          const gotGrad = tf.sub(dEdg['tokens']!, x);
          expect(relError(gotGrad, wantGrad), 'dE/dg').to.be.lessThan(1e-5);
          expect(tf.norm(wantGrad).dataSync()[0]).to.be.greaterThan(1e-2);
          const wantEvolve = referenceEvolve(x, ref.weights, ref.config, 12, 0.1, logMask);
          const gotEvolve = block.evolve(x);
          expect(relError(gotEvolve, wantEvolve), '12 steps').to.be.lessThan(1e-5);
          expect(relError(gotEvolve, x), 'the descent moves').to.be.greaterThan(1e-2);
          disposeFused(fused);
          tf.dispose([x, g, want.attention, want.hopfield, got.total, ...Object.values(got.terms!), wantGrad, ...Object.values(dEdg), ...Object.values(synapseEnergy), gotGrad, wantEvolve, gotEvolve]);
          logMask?.dispose();
          ref.dispose();
          block.dispose();
        });
      }
    }

    it('with allowed attention pairs (a graph mask), per sample or shared', () => {
      const block = small({ excludeDiagonal: true });
      const ref = referenceOf(block);
      const N = 7;
      const A = tf.tidy(() => tf.minimum(tf.add(tf.cast(tf.greater(tf.randomUniform([2, N, N], 0, 1, 'float32', 9), 0.6), 'float32'), tf.add(tf.eye(N), tf.eye(N, N, undefined, 'float32').reverse(1))), 1));
      const x = tf.randomNormal([2, N, 16], 0, 1, 'float32', 4);
      const logMask = referenceLogMask(N, A, true);
      const want = referenceEvolve(x, ref.weights, ref.config, 3, 0.1, logMask);
      const got = block.evolve(x, { allowed: A, steps: 3 });
      const full = block.evolve(x, { steps: 3 });
      expect(relError(got, want)).to.be.lessThan(1e-5);
      expect(relError(full, want), 'the mask matters').to.be.greaterThan(1e-3);
      const e = block.energy(x, { allowed: A });
      const g = referenceLayerNorm(x, ref.weights.gamma, ref.weights.delta, ref.config.eps);
      const we = referenceEnergy(g, ref.weights, logMask, ref.config);
      expect(relError(e.terms!['attention']!, we.attention)).to.be.lessThan(1e-5);
      tf.dispose([A, x, want, got, full, e.total, ...Object.values(e.terms!), g, we.attention, we.hopfield]);
      logMask?.dispose();
      ref.dispose();
      block.dispose();
    });
  });

  for (const [form, separation] of forms) {
    for (const excludeDiagonal of [false, true]) {
      it(`energy never rises over 100 steps at dt = 0.1 and the tree names its terms (${form}, diagonal ${excludeDiagonal ? 'excluded' : 'kept'})`, async () => {
        const block = small({ separation, excludeDiagonal });
        const x = tf.randomNormal([3, 7, 16], 0, 1, 'float32', 11);
        const events = await lastValueFrom(block.run({ initial: x, maxSteps: 100 }).pipe(toArray()));
        expect(events).to.have.length(101);
        const e = events.map((ev) => ev.energy!);
        expect(e[100]! - e[0]!).to.be.lessThan(-0.05 * Math.abs(e[0]!));
        for (let k = 1; k < e.length; k++) expect(e[k]!, `step ${k}`).to.be.at.most(e[k - 1]! + 1e-6 * Math.abs(e[k - 1]!));
        const tree = events[5]!.energyTree!;
        expect(Object.keys(tree)).to.deep.equal(['tokens', 'attention', 'hopfield']);
        expect(tree['attention']! + tree['hopfield']!).to.be.closeTo(events[5]!.energy!, 1e-4 * Math.abs(events[5]!.energy!));
        x.dispose();
        block.dispose();
      });
    }
  }

  it("leak: true is core's descentSystem on the block's graph, and its total includes the layer term", async () => {
    const block = small({ leak: true });
    const x = tf.randomNormal([2, 7, 16], 0, 1, 'float32', 5);
    const got = block.evolve(x, { steps: 5 });
    const want = integrate(descentSystem(block.graph), { tokens: x }, { steps: 5, dt: 0.1 });
    expect(maxDiff(got, want['tokens']!)).to.equal(0);
    const e = block.energy(x);
    expect(tf.tidy(() => maxDiff(e.total, tf.addN(Object.values(e.terms!))))).to.be.lessThan(1e-4);
    // The ET update (no leak) moves differently.
    const noLeak = small();
    const other = noLeak.evolve(x, { steps: 5 });
    expect(relError(other, got)).to.be.greaterThan(1e-2);
    tf.dispose([x, got, want['tokens']!, e.total, ...Object.values(e.terms!), other]);
    block.dispose();
    noLeak.dispose();
  });

  it('the training gradient through the unrolled descent matches finite differences', () => {
    const block = small({ separation: { kind: 'lse', beta: 1 }, excludeDiagonal: true, tokens: 5 });
    const x = tf.randomNormal([2, 5, 16], 0, 1, 'float32', 8);
    const target = tf.randomNormal([2, 5, 16], 0, 1, 'float32', 9);
    // A sum (not a mean) of the final activations against a fixed direction: derivatives well above float32 noise.
    const loss = (): tf.Scalar => tf.tidy(() => tf.sum(tf.mul(block.activation(block.evolve(x, { steps: 4 })), target)) as tf.Scalar);
    const r = gradCheckVariables(loss, block.variables(), { eps: 1e-2, coordinates: 4, directions: 2, seed: 1, tolerance: 2e-2 });
    expect(r.ok, r.summary).to.equal(true);
    tf.dispose([x, target]);
    block.dispose();
  });

  it('weights are in the paper layout and round-trip through a saved file', async () => {
    const engram = await createEngram({ plugins: [et] });
    const block = await engram.createModel('energy-transformer/block', { tokens: 5, size: 8, heads: 2, memories: 12, separation: { kind: 'lse', beta: 2 }, seed: 2 });
    const shapes = Object.fromEntries(Object.entries(block.variables()).map(([k, v]) => [k, v.shape]));
    expect(shapes).to.deep.equal({ 'tokens/gamma': [], 'tokens/delta': [8], 'attention/keys': [2, 4, 8], 'attention/queries': [2, 4, 8], 'hopfield/patterns': [12, 8] });
    const artifacts = serializeModel(block, { engram });
    expect(artifacts.spec.weights.entries.map((e) => [e.name, e.shape])).to.deep.equal(Object.entries(shapes));
    const copy = await deserializeModel<EnergyTransformerBlock>(engram, artifacts);
    expect(copy.getConfig()).to.deep.equal(block.getConfig());
    const x = tf.randomNormal([2, 5, 8], 0, 1, 'float32', 1);
    const a = block.evolve(x);
    const b = copy.evolve(x);
    expect(maxDiff(a, b)).to.equal(0);
    tf.dispose([x, a, b]);
    block.dispose();
    copy.dispose();
  });

  it('rejects bad configs with coded errors naming the key and the kind', () => {
    const typo = errorOf(() => new EnergyTransformerBlock({ tokens: 4, size: 8, memorys: 4 } as BlockOptions));
    expect(typo.code).to.equal(ErrorCodes.INVALID_CONFIG);
    expect(typo.message).to.match(/memorys/).and.match(/did you mean 'memories'/).and.match(/energy-transformer\/block/);
    const type = errorOf(() => new EnergyTransformerBlock({ tokens: 4, size: 8, dt: 'fast' } as unknown as BlockOptions));
    expect(type.code).to.equal(ErrorCodes.INVALID_CONFIG);
    expect(type.message).to.match(/'dt'/);
    const range = errorOf(() => new EnergyTransformerBlock({ tokens: 4, size: 8, heads: 0 }));
    expect(range.code).to.equal(ErrorCodes.INVALID_CONFIG);
    expect(range.message).to.match(/'heads'/);
    expect(codeOf(() => new EnergyTransformerBlock({ tokens: 4, size: 1 }))).to.equal(ErrorCodes.INVALID_CONFIG);
    expect(codeOf(() => new EnergyTransformerBlock({ tokens: 1, size: 4, excludeDiagonal: true }))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    expect(codeOf(() => new EnergyTransformerBlock({ tokens: 4, size: 4, separation: { kind: 'power', n: 2.5 } }))).to.equal(ErrorCodes.INVALID_CONFIG);
  });

  it('bad run input is an error notification with a coded EngramError', async () => {
    const block = small({ excludeDiagonal: true });
    const x = tf.randomNormal([2, 7, 16], 0, 1, 'float32', 1);
    expect((await streamError(block.run({ initial: tf.zeros([2, 7, 15]) }))).code).to.equal(ErrorCodes.SHAPE_MISMATCH);
    expect((await streamError(block.run({ initial: x, alowed: tf.ones([7, 7]) } as never))).message).to.match(/did you mean 'allowed'/);
    expect((await streamError(block.run({ initial: x, allowed: tf.eye(7) }))).message).to.match(/at least one allowed key/);
    expect((await streamError(block.run({ initial: x, allowed: tf.fill([7, 7], 0.5) }))).code).to.equal(ErrorCodes.INVALID_ARGUMENT);
    expect((await streamError(block.run({ initial: x, allowed: tf.ones([3, 7, 7]) }))).code).to.equal(ErrorCodes.SHAPE_MISMATCH);
    expect((await streamError(block.run({ initial: x, allowed: tf.ones([6, 6]) }))).code).to.equal(ErrorCodes.SHAPE_MISMATCH);
    expect((await streamError(block.run({ initial: tf.fill([1, 7, 16], NaN) }))).code).to.equal(ErrorCodes.NON_FINITE);
    expect((await streamError(block.run({ initial: x, dt: -1 }))).code).to.equal(ErrorCodes.INVALID_CONFIG);
    expect(codeOf(() => block.evolve(tf.zeros([2, 6, 16])))).to.equal(ErrorCodes.SHAPE_MISMATCH);
    block.dispose();
    expect((await streamError(block.run({ initial: x }))).code).to.equal(ErrorCodes.DISPOSED);
    expect(codeOf(() => block.evolve(x))).to.equal(ErrorCodes.DISPOSED);
    expect(codeOf(() => block.energy(x))).to.equal(ErrorCodes.DISPOSED);
    expect(codeOf(() => block.initialState(2))).to.equal(ErrorCodes.DISPOSED);
    x.dispose();
  });

  it('streams leak no tensors when they complete, are cancelled or fail', async () => {
    const block = small();
    const x = tf.randomNormal([2, 7, 16], 0, 1, 'float32', 1);
    const allowed = tf.ones([7, 7]);
    const none = tf.zeros([7, 7]);
    const before = tf.memory().numTensors;
    await lastValueFrom(block.run({ initial: x, maxSteps: 5, allowed, snapshot: true }).pipe(toArray()));
    expect(tf.memory().numTensors, 'after complete').to.equal(before);
    for (let i = 0; i < 5; i++) await lastValueFrom(block.run({ initial: x, maxSteps: 50, allowed }).pipe(take(1 + i), toArray()));
    const sub = block.run({ initial: x, maxSteps: 1000 }).subscribe();
    await tick(20);
    sub.unsubscribe();
    await tick(20);
    expect(tf.memory().numTensors, 'after cancel').to.equal(before);
    await streamError(block.run({ initial: x, allowed: none }));
    await streamError(block.run({ initial: x, maxSteps: 3, dt: 1e38 }));
    expect(tf.memory().numTensors, 'after errors').to.equal(before);
    tf.dispose([x, allowed, none]);
    block.dispose();
  });
});
