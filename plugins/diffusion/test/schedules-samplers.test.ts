import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';
import { EngramError, initBackend } from '@engram/core';
import { ExactDenoiser, SAMPLERS, checkSigmas, edmSigmas, geometricSigmas, sample, sampleStream, vpAlphaBars, vpSigmas, type Denoiser } from '../src/index.js';

describe('noise schedules', () => {
  it('EDM levels follow Karras et al. (endpoints, monotone, rho curvature, final 0)', () => {
    const s = edmSigmas({ steps: 18 });
    expect(s.length).to.equal(19);
    expect(s[0]).to.be.closeTo(80, 1e-9);
    expect(s[17]).to.be.closeTo(0.002, 1e-12);
    expect(s[18]).to.equal(0);
    for (let i = 1; i < 18; i++) expect(s[i]!).to.be.below(s[i - 1]!);
    // Midpoint in rho-space: sigma_mid^(1/7) is the average of the endpoints' 1/7 powers.
    const mid = edmSigmas({ steps: 3, sigmaMin: 1, sigmaMax: 2 ** 7, rho: 7 });
    expect(mid[1]).to.be.closeTo(1.5 ** 7, 1e-9);
    const g = geometricSigmas({ steps: 3, sigmaMin: 1, sigmaMax: 100 });
    expect(Array.from(g)).to.deep.equal([100, 10, 1, 0]);
  });

  it('VP (DDPM linear betas) maps to VE levels sigma = sqrt((1 - abar)/abar)', () => {
    const abar = vpAlphaBars({ trainSteps: 1000 });
    expect(abar[0]).to.be.closeTo(1 - 1e-4, 1e-12);
    // Known value of the DDPM schedule: abar_T ~ 4.0e-5.
    expect(abar[999]!).to.be.within(3e-5, 5e-5);
    const s = vpSigmas({ steps: 10 });
    expect(s.length).to.equal(11);
    expect(s[0]).to.be.closeTo(Math.sqrt((1 - abar[999]!) / abar[999]!), 1e-9);
    expect(s[9]).to.be.closeTo(Math.sqrt((1 - abar[0]!) / abar[0]!), 1e-12);
    expect(s[10]).to.equal(0);
  });

  it('rejects bad schedules', () => {
    expect(() => edmSigmas({ steps: 0 })).to.throw(EngramError);
    expect(() => edmSigmas({ sigmaMin: -1 })).to.throw(EngramError);
    expect(() => checkSigmas([1, 2, 0])).to.throw(EngramError, /decreasing/);
    expect(() => checkSigmas([1])).to.throw(EngramError);
    expect(() => checkSigmas([1, NaN])).to.throw(EngramError);
    expect(() => vpSigmas({ steps: 2000, trainSteps: 1000 })).to.throw(EngramError);
  });
});

describe('samplers on the core dynamics engine', () => {
  let model: ExactDenoiser;
  before(async () => {
    await initBackend({ backend: 'wasm' });
    const xi = tf.randomUniform([6, 10], -1, 1, 'float32', 2);
    model = new ExactDenoiser({ patterns: xi });
    xi.dispose();
  });
  after(() => model.dispose());

  it('every sampler is cancellable without leaking tensors (take, unsubscribe mid-run, many runs)', async () => {
    const before = tf.memory().numTensors;
    for (const sampler of SAMPLERS) {
      for (let r = 0; r < 5; r++) {
        const got = await lastValueFrom(sampleStream(model, { sampler, count: 4, seed: r, eta: sampler === 'ddim' ? 0.5 : 0 }).pipe(take(3 + r), toArray()));
        expect(got.length).to.equal(3 + r);
      }
      const sub = sampleStream(model, { sampler, count: 4, sigmas: edmSigmas({ steps: 200 }) }).subscribe();
      await new Promise((r) => setTimeout(r, 5));
      sub.unsubscribe();
      await new Promise((r) => setTimeout(r, 5));
      // Unsubscribed before the start.
      sampleStream(model, { sampler, count: 2 }).subscribe().unsubscribe();
      await new Promise((r) => setTimeout(r, 1));
      const full = await sample(model, { sampler, count: 3, seed: 1 });
      full.dispose();
      expect(tf.memory().numTensors, sampler).to.equal(before);
    }
  });

  it('DDIM with eta = 0 (computed in VP coordinates) equals Euler on the probability-flow ODE', async () => {
    const init = tf.randomNormal([5, 10], 0, 80, 'float32', 8);
    const a = await sample(model, { sampler: 'ddim', initial: init, sigmas: edmSigmas({ steps: 12 }) });
    const b = await sample(model, { sampler: 'euler', initial: init, sigmas: edmSigmas({ steps: 12 }) });
    expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!).to.be.below(1e-3);
    tf.dispose([init, a, b]);
  });

  it('the ODE solvers converge: Heun (2nd order) is far closer than Euler to a fine-step reference', async () => {
    const levels = (n: number) => Array.from({ length: n + 1 }, (_, i) => 3 * (0.2 / 3) ** (i / n)); // 3 -> 0.2, no final 0
    const init = tf.randomNormal([8, 10], 0, 3, 'float32', 21);
    const ref = await sample(model, { sampler: 'heun', initial: init, sigmas: levels(600) });
    const errOf = async (sampler: 'euler' | 'heun') => {
      const x = await sample(model, { sampler, initial: init, sigmas: levels(8) });
      const e = tf.max(tf.abs(tf.sub(x, ref))).dataSync()[0]!;
      x.dispose();
      return e;
    };
    const eEuler = await errOf('euler');
    const eHeun = await errOf('heun');
    expect(eEuler).to.be.above(1e-3); // the test has something to measure
    expect(eHeun).to.be.below(eEuler / 4);
    tf.dispose([init, ref]);
  });

  it('the SDE sampler is seeded (same seed, same samples) and stochastic (other seed, other path)', async () => {
    const a = await sample(model, { sampler: 'sde', count: 4, seed: 3, sigmas: edmSigmas({ steps: 10, sigmaMax: 5 }) });
    const b = await sample(model, { sampler: 'sde', count: 4, seed: 3, sigmas: edmSigmas({ steps: 10, sigmaMax: 5 }) });
    const c = await sample(model, { sampler: 'sde', count: 4, seed: 4, sigmas: edmSigmas({ steps: 10, sigmaMax: 5 }) });
    expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).to.equal(0);
    expect(tf.max(tf.abs(tf.sub(a, c))).dataSync()[0]!).to.be.above(0);
    tf.dispose([a, b, c]);
  });

  it('reports a DynamicsStep per noise level, with states on request; rejects bad input', async () => {
    const steps = await lastValueFrom(sampleStream(model, { count: 2, snapshot: true, sigmas: [3, 1, 0] }).pipe(toArray()));
    expect(steps.map((s) => s.step)).to.deep.equal([0, 1, 2]);
    expect(steps[2]!.done).to.equal(true);
    expect(steps[0]!.states!['x']!.shape).to.deep.equal([2, 10]);
    const first = await firstValueFrom(sampleStream(model, { count: 2, energy: false }));
    expect(first.energy).to.equal(null);
    expect(() => sampleStream(model, { sampler: 'bogus' as 'heun' })).to.throw(EngramError);
    expect(() => sampleStream(model, { initial: [[1, 2]] })).to.throw(EngramError, /initial/);
    expect(() => sampleStream(model, { eta: 2, sampler: 'ddim' })).to.throw(EngramError);
    expect(() => sampleStream(model, { count: 0 })).to.throw(EngramError);
    const bad: Denoiser = { dim: 10, denoise: (x) => tf.mul(x, NaN) as tf.Tensor2D };
    let err: unknown;
    await lastValueFrom(sampleStream(bad, { count: 2 })).catch((e: unknown) => (err = e));
    expect((err as EngramError).code).to.equal('ENGRAM_ERR_DIVERGED');
  });
});
