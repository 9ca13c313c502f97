import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/backend.js';
import { separation, type SeparationSpec } from '../../src/synapses/separation.js';

/**
 * The factored weights (F' = factor * weights, the constant left for after the
 * product with the patterns) are the weights: for every kind, with and without
 * a shift, on wasm and cpu, and with the energy of the same pass.
 */
const specs: Record<string, SeparationSpec> = {
  lse: { kind: 'lse', beta: 2 },
  'lse beta 1': { kind: 'lse' },
  exp: { kind: 'exp', beta: 0.7 },
  'power n 3': { kind: 'power', n: 3 },
  'power n 1': { kind: 'power', n: 1 },
  'rectified-power n 2': { kind: 'rectified-power', n: 2 },
  'rectified-power n 2.5': { kind: 'rectified-power', n: 2.5 },
  'rectified-power n 1': { kind: 'rectified-power', n: 1 },
};
const expectedFactor: Record<string, number> = { lse: 1, 'lse beta 1': 1, exp: 0.7, 'power n 3': 3, 'power n 1': 1, 'rectified-power n 2': 2, 'rectified-power n 2.5': 2.5, 'rectified-power n 1': 1 };

const maxDiff = (a: tf.Tensor, b: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`separation: factored weights (${backend})`, () => {
    before(async () => {
      await initBackend({ backend });
    });
    for (const [name, spec] of Object.entries(specs)) {
      it(`${name}: factor * weights = weights(h), energy as energy(h), no tensor left`, () => {
        const F = separation(spec);
        const h = tf.randomNormal([3, 5], 0, 1.5, 'float32', 7) as tf.Tensor2D;
        const before = tf.memory().numTensors;
        for (const shift of [0, 0.4]) {
          tf.tidy(() => {
            const plain = F.energyAndWeights(h, shift);
            const f = F.factoredWeights(h, shift);
            const both = F.energyAndFactoredWeights(h, shift);
            expect(f.factor).to.equal(expectedFactor[name]);
            expect(both.factor).to.equal(f.factor);
            const tol = 1e-5 * (1 + tf.max(tf.abs(plain.weights)).dataSync()[0]!);
            expect(maxDiff(tf.mul(f.weights, f.factor), F.weights(h, shift)), 'factoredWeights').to.be.lessThan(tol);
            expect(maxDiff(tf.mul(both.weights, both.factor), plain.weights), 'energyAndFactoredWeights').to.be.lessThan(tol);
            expect(maxDiff(both.energy, F.energy(h, shift)), 'energy').to.be.lessThan(1e-5 * (1 + tf.max(tf.abs(plain.energy)).dataSync()[0]!));
          });
        }
        expect(tf.memory().numTensors).to.equal(before);
        h.dispose();
      });
    }
  });
}
