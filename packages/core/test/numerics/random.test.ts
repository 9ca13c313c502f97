import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/backend.js';
import { randomNormal, tfSeed } from '../../src/numerics/random.js';
import { initVariable } from '../../src/numerics/parameters.js';
import { EnergyModel } from '../../src/model/energy-model.js';
import { lagrangians } from '../../src/lagrangians/index.js';
import { separation } from '../../src/synapses/separation.js';

describe('seeded randomness and small numerical rules', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('seed 0 is a seed: randomNormal, initVariable and generated states repeat exactly', () => {
    // tfjs' own randomNormal draws fresh numbers for seed 0 (it treats 0 as "no seed").
    expect(Array.from(randomNormal([5], 0, 1, 0).dataSync())).to.deep.equal(Array.from(randomNormal([5], 0, 1, 0).dataSync()));
    expect(Array.from(randomNormal([5], 0, 1, 0).dataSync())).to.not.deep.equal(Array.from(randomNormal([5], 0, 1, 1).dataSync()));
    const a = initVariable('w', [3, 2], { std: 1, seed: 0 });
    const b = initVariable('w', [3, 2], { std: 1, seed: 0 });
    expect(Array.from(a.dataSync())).to.deep.equal(Array.from(b.dataSync()));
    const m = new EnergyModel().addLayer('x', { shape: [4], lagrangian: lagrangians.identity() });
    const s1 = m.initialState(2, { std: 1, seed: 0 });
    const s2 = m.initialState(2, { std: 1, seed: 0 });
    expect(Array.from(s1['x']!.dataSync())).to.deep.equal(Array.from(s2['x']!.dataSync()));
    expect([tfSeed(0), tfSeed(5), tfSeed(-3)]).to.deep.equal([1, 6, -3]);
    tf.dispose([a, b, ...Object.values(s1), ...Object.values(s2)]);
    m.dispose();
  });

  it("rectified-power with n = 1 pulls with the step function (F = relu, F' = [h > 0])", () => {
    const F = separation({ kind: 'rectified-power', n: 1 });
    const h = tf.tensor2d([[-1, 0.5, 2]]);
    expect(Array.from(F.weights(h).dataSync())).to.deep.equal([0, 1, 1]);
    const both = F.energyAndWeights(h);
    expect(Array.from(both.weights.dataSync())).to.deep.equal([0, 1, 1]);
    expect(both.energy.dataSync()[0]).to.be.closeTo(-2.5, 1e-6);
    tf.dispose([h, both.energy, both.weights]);
  });
});
