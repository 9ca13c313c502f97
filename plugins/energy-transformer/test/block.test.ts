import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { lastValueFrom, take, toArray } from 'rxjs';
import { EngramError, initBackend } from '@engram/core';
import { EnergyTransformerBlock } from '../src/block.js';
import type { EtBlockOptions } from '../src/config.js';
import { directionalCheck, relError } from './helpers.js';

const small = (o: Partial<EtBlockOptions> = {}): EnergyTransformerBlock =>
  new EnergyTransformerBlock({ tokenDim: 16, heads: 2, headDim: 8, memories: 24, attentionInitStd: 0.3, hopfieldInitStd: 0.3, seed: 3, ...o });

describe('et/block energy and gradients', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  for (const hopfield of ['relu', 'softmax'] as const) {
    for (const excludeDiagonal of [false, true]) {
      const label = `${hopfield}, ${excludeDiagonal ? 'without' : 'with'} the diagonal`;

      it(`energy never rises over 100 steps at alpha = 0.1 (${label})`, async () => {
        const block = small({ hopfield, excludeDiagonal, hopfieldBeta: 2 });
        const x = tf.randomNormal([3, 7, 16], 0, 1, 'float32', 11);
        const events = await lastValueFrom(block.run(x, { steps: 100, alpha: 0.1 }).pipe(toArray()));
        expect(events).to.have.length(101);
        const e = events.map((ev) => ev.energy!);
        // The dynamics must actually move: a broken gradient that returns 0 would pass trivially.
        expect(e[100]! - e[0]!).to.be.lessThan(-0.05 * Math.abs(e[0]!));
        for (let k = 1; k < e.length; k++) expect(e[k]!, `step ${k}`).to.be.at.most(e[k - 1]! + 1e-6 * Math.abs(e[k - 1]!));
        // The tree names the three terms, and total = attention + hopfield.
        const tree = events[5]!.energyTree;
        expect(Object.keys(tree).sort()).to.deep.equal(['attention', 'hopfield', 'layernorm']);
        expect(tree['attention']! + tree['hopfield']!).to.be.closeTo(events[5]!.energy!, 1e-3 * Math.abs(events[5]!.energy!));
        x.dispose();
        block.dispose();
      });

      it(`closed-form dE/dg equals autodiff of the energy (${label})`, () => {
        const block = small({ hopfield, excludeDiagonal, hopfieldBeta: 0.7 });
        const x = tf.randomNormal([2, 6, 16], 0, 1, 'float32', 5);
        const a = block.energyGradient(x, { gradient: 'autodiff' });
        const c = block.energyGradient(x, { gradient: 'closed-form' });
        expect(relError(c, a)).to.be.lessThan(1e-3);
        expect(tf.norm(a).dataSync()[0]).to.be.greaterThan(1e-2);
        tf.dispose([x, a, c]);
        block.dispose();
      });
    }
  }

  it('closed form equals autodiff with a sparse (graph) attention mask', () => {
    const block = small({ excludeDiagonal: false });
    const N = 6;
    const A = tf.tidy(() => tf.greater(tf.randomUniform([N, N], 0, 1, 'float32', 9), 0.6).toFloat().add(tf.eye(N)).minimum(1));
    const x = tf.randomNormal([1, N, 16], 0, 1, 'float32', 4);
    const a = block.energyGradient(x, { gradient: 'autodiff', attentionMask: A });
    const c = block.energyGradient(x, { gradient: 'closed-form', attentionMask: A });
    const full = block.energyGradient(x);
    expect(relError(c, a)).to.be.lessThan(1e-3);
    expect(relError(full, a)).to.be.greaterThan(1e-2); // the mask matters
    tf.dispose([A, x, a, c, full]);
    block.dispose();
  });

  it('dE/dx of the energy matches finite differences', () => {
    const block = small({ hopfield: 'softmax' });
    const x = tf.variable(tf.randomNormal([1, 5, 16], 0, 1, 'float32', 2));
    const r = directionalCheck(() => tf.sum(block.energy(x).total) as tf.Scalar, [x], { eps: 1e-2, directions: 3 });
    expect(r.worst, JSON.stringify(r.pairs)).to.be.lessThan(1e-2);
    x.dispose();
    block.dispose();
  });

  for (const gradient of ['closed-form', 'autodiff'] as const) {
    it(`training gradient through the unrolled descent matches finite differences (${gradient})`, () => {
      const block = small({ hopfield: 'softmax', excludeDiagonal: true, steps: 4, gradient });
      const x = tf.randomNormal([2, 5, 16], 0, 1, 'float32', 8);
      const target = tf.randomNormal([2, 5, 16], 0, 1, 'float32', 9);
      const loss = (): tf.Scalar =>
        tf.tidy(() => {
          const out = block.evolve(x);
          return tf.mean(tf.square(tf.sub(block.activation(out), target))) as tf.Scalar;
        });
      const r = directionalCheck(loss, block.variables(), { eps: 3e-3, directions: 3, seed: 1 });
      expect(r.worst, JSON.stringify(r.pairs)).to.be.lessThan(2e-2);
      tf.dispose([x, target]);
      block.dispose();
    });
  }

  it('cancelled runs leak no tensors', async () => {
    const block = small();
    const x = tf.randomNormal([2, 5, 16], 0, 1, 'float32', 1);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 30; i++) {
      await lastValueFrom(block.run(x, { steps: 50 }).pipe(take(1 + (i % 5)), toArray()));
    }
    await lastValueFrom(block.run(x, { steps: 10, attentionMask: tf.ones([5, 5]) as tf.Tensor2D, snapshot: true }).pipe(toArray()));
    const sub = block.run(x, { steps: 1000 }).subscribe();
    await new Promise((r) => setTimeout(r, 20));
    sub.unsubscribe();
    await new Promise((r) => setTimeout(r, 20));
    expect(tf.memory().numTensors).to.be.at.most(before + 1); // + the ones() mask made above
    x.dispose();
    block.dispose();
  });

  it('rejects bad configuration and input with EngramError', () => {
    expect(() => new EnergyTransformerBlock({ tokenDim: 0 })).to.throw(EngramError);
    expect(() => new EnergyTransformerBlock({ tokenDim: 8, hopfield: 'tanh' as 'relu' })).to.throw(EngramError, /hopfield/);
    expect(() => new EnergyTransformerBlock({ tokenDim: 8, alpha: -1 })).to.throw(EngramError, /alpha/);
    expect(() => new EnergyTransformerBlock({ tokenDim: 8, bogus: 1 } as never)).to.throw(EngramError, /bogus/);
    const block = small({ excludeDiagonal: true });
    expect(() => block.energyGradient(tf.zeros([2, 5, 15]))).to.throw(EngramError, /shape/);
    expect(() => block.energyGradient(tf.zeros([1, 1, 16]))).to.throw(EngramError, /at least 2/);
    expect(() => block.energyGradient(tf.zeros([1, 3, 16]), { attentionMask: tf.zeros([3, 3]) })).to.throw(EngramError, /allowed key/);
    expect(() => block.energyGradient(tf.zeros([1, 3, 16]), { attentionMask: tf.ones([4, 4]) })).to.throw(EngramError, /shape/);
    block.dispose();
  });
});
