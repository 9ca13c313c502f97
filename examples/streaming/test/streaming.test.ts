import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@engram/core';
import { streamEnergy } from '../src/index.js';

describe('example (c): print the energy every k steps and cancel early', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('prints every k-th step with a non-increasing energy, stops after n lines, frees everything', async () => {
    const before = tf.memory().numTensors;
    const lines: string[] = [];
    const steps = await streamEnergy({ every: 7, lines: 4, log: (l) => lines.push(l) });
    expect(steps.map((s) => s.step)).to.deep.equal([0, 7, 14, 21]);
    expect(lines).to.have.length(4);
    expect(lines[1]).to.match(/^step\s+7\s+t=0\.70\s+energy -?\d+\.\d{4}\s+\|dx\| /);
    for (let i = 1; i < steps.length; i++) expect(steps[i]!.energy!).to.be.at.most(steps[i - 1]!.energy! + 1e-4);
    expect(steps.at(-1)!.done).to.equal(false); // cancelled, not finished: maxSteps is 10,000
    expect(tf.memory().numTensors).to.equal(before);
  });

  it('also cancels on an energy plateau', async () => {
    const steps = await streamEnergy({ every: 20, lines: 1000, until: 1e-3, log: () => {} });
    expect(steps.length).to.be.lessThan(1000);
    const n = steps.length;
    expect(Math.abs(steps[n - 1]!.energy! - steps[n - 2]!.energy!)).to.be.lessThan(1e-3);
  });
});
