import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { lastValueFrom, toArray } from 'rxjs';
import { ErrorCodes, initBackend } from '@engram/core';
import { ExactDenoiser, SAMPLERS, ScoreModel, checkSigmas, edmSigmas, geometricSigmas, vpAlphaBars, vpSigmas } from '../src/index.js';
import { codeOf, errorOf, expectNoLeaks, rejectionOf } from './helpers.js';

describe('noise schedules', () => {
  it('EDM levels follow Karras et al. (endpoints, monotone, rho curvature, final 0)', () => {
    const s = edmSigmas({ levels: 18 });
    expect(s.length).to.equal(19);
    expect(s[0]).to.be.closeTo(80, 1e-9);
    expect(s[17]).to.be.closeTo(0.002, 1e-12);
    expect(s[18]).to.equal(0);
    for (let i = 1; i < 18; i++) expect(s[i]!).to.be.below(s[i - 1]!);
    // Midpoint in rho-space: sigma_mid^(1/7) is the average of the endpoints' 1/7 powers.
    expect(edmSigmas({ levels: 3, sigmaMin: 1, sigmaMax: 2 ** 7, rho: 7 })[1]).to.be.closeTo(1.5 ** 7, 1e-9);
    expect(geometricSigmas({ levels: 3, sigmaMin: 1, sigmaMax: 100 })).to.deep.equal([100, 10, 1, 0]);
  });

  it('VP (DDPM linear betas) maps to VE levels sigma = sqrt((1 - abar)/abar)', () => {
    const abar = vpAlphaBars({ trainSteps: 1000 });
    expect(abar[0]).to.be.closeTo(1 - 1e-4, 1e-12);
    expect(abar[999]!).to.be.within(3e-5, 5e-5); // the DDPM schedule's abar_T ~ 4.0e-5
    const s = vpSigmas({ levels: 10 });
    expect(s.length).to.equal(11);
    expect(s[0]).to.be.closeTo(Math.sqrt((1 - abar[999]!) / abar[999]!), 1e-9);
    expect(s[9]).to.be.closeTo(Math.sqrt((1 - abar[0]!) / abar[0]!), 1e-12);
    expect(s[10]).to.equal(0);
  });

  it('rejects bad schedules with coded errors', () => {
    expect(codeOf(() => edmSigmas({ levels: 0 }))).to.equal(ErrorCodes.INVALID_CONFIG);
    expect(codeOf(() => edmSigmas({ sigmaMin: -1 }))).to.equal(ErrorCodes.INVALID_CONFIG);
    expect(codeOf(() => edmSigmas({ steps: 4 } as never))).to.equal(ErrorCodes.INVALID_CONFIG);
    expect(codeOf(() => checkSigmas([1, 2, 0]))).to.equal(ErrorCodes.INVALID_CONFIG);
    expect(codeOf(() => checkSigmas([1]))).to.equal(ErrorCodes.INVALID_CONFIG);
    expect(codeOf(() => checkSigmas([1, NaN]))).to.equal(ErrorCodes.INVALID_CONFIG);
    expect(codeOf(() => vpSigmas({ levels: 2000, trainSteps: 1000 }))).to.equal(ErrorCodes.INVALID_ARGUMENT);
  });
});

describe('sampling is the run of the denoisers', () => {
  let model: ExactDenoiser;
  before(async () => {
    await initBackend({ backend: 'wasm' });
    model = ExactDenoiser.fromPatterns(tf.tidy(() => tf.randomUniform([6, 10], -1, 1, 'float32', 2)));
  });
  after(() => model.dispose());

  for (const sampler of SAMPLERS) {
    it(`'${sampler}' leaks nothing after complete, cancel and error`, async () => {
      const initial = model.initialState(4, { seed: 1 });
      await expectNoLeaks((fail) => model.run({ initial, sampler, eta: sampler === 'ddim' ? 0.5 : 0, ...(fail ? { eta: 2 } : {}) }));
      initial['x']!.dispose();
    });
  }

  it('generated states and sampler noise are seeded, seed 0 included (tf.randomNormal alone treats 0 as unseeded)', async () => {
    const [a, b] = [model.initialState(3, { seed: 0 }), model.initialState(3, { seed: 0 })];
    expect(Array.from(a['x']!.dataSync())).to.deep.equal(Array.from(b['x']!.dataSync()));
    const [c, d] = [await model.sample({ count: 2, seed: 0, sampler: 'sde', levels: 4 }), await model.sample({ count: 2, seed: 0, sampler: 'sde', levels: 4 })];
    expect(Array.from(c.dataSync())).to.deep.equal(Array.from(d.dataSync()));
    tf.dispose([a['x']!, b['x']!, c, d]);
  });

  it('a run takes one step per level (fewer with maxSteps), emits states on request, and scores the final state', async () => {
    const initial = model.initialState(2, { seed: 3, std: 3 });
    const steps = await lastValueFrom(model.run({ initial, sigmas: [3, 1, 0], snapshot: true }).pipe(toArray()));
    expect(steps.map((s) => s.step)).to.deep.equal([0, 1, 2]);
    expect(steps[2]!.done).to.equal(true);
    expect(steps[0]!.states!['x']!.shape).to.deep.equal([2, 10]);
    expect(steps.every((s) => s.energies !== null)).to.equal(true);
    const short = await lastValueFrom(model.run({ initial, levels: 18, maxSteps: 3, energy: false }).pipe(toArray()));
    expect(short.map((s) => s.step)).to.deep.equal([0, 1, 2, 3]);
    expect(short[0]!.energy).to.equal(null);
    const long = await lastValueFrom(model.run({ initial, sigmas: [3, 1, 0], maxSteps: 50 }).pipe(toArray()));
    expect(long.length, 'maxSteps beyond the schedule stops at its end').to.equal(3);
    initial['x']!.dispose();
  });

  it('DDIM with eta = 0 (computed in VP coordinates) equals Euler on the probability-flow ODE', async () => {
    const initial = tf.randomNormal([5, 10], 0, 80, 'float32', 8);
    const a = await model.sample({ sampler: 'ddim', initial, levels: 12 });
    const b = await model.sample({ sampler: 'euler', initial, levels: 12 });
    expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!).to.be.below(1e-3);
    tf.dispose([initial, a, b]);
  });

  it('the ODE solvers converge: Heun (2nd order) is far closer than Euler to a fine-step reference', async () => {
    const levels = (n: number) => Array.from({ length: n + 1 }, (_, i) => 3 * (0.2 / 3) ** (i / n)); // 3 -> 0.2, no final 0
    const initial = tf.randomNormal([8, 10], 0, 3, 'float32', 21);
    const ref = await model.sample({ sampler: 'heun', initial, sigmas: levels(200) });
    const errOf = async (sampler: 'euler' | 'heun') => {
      const x = await model.sample({ sampler, initial, sigmas: levels(8) });
      const e = tf.max(tf.abs(tf.sub(x, ref))).dataSync()[0]!;
      x.dispose();
      return e;
    };
    const eEuler = await errOf('euler');
    const eHeun = await errOf('heun');
    expect(eEuler).to.be.above(1e-3); // the test has something to measure
    expect(eHeun).to.be.below(eEuler / 4);
    tf.dispose([initial, ref]);
  });

  it('the SDE sampler is seeded (same seed, same samples) and stochastic (other seed, other path)', async () => {
    const run = { sampler: 'sde' as const, count: 4, levels: 10, sigmaMax: 5 };
    const a = await model.sample({ ...run, seed: 3 });
    const b = await model.sample({ ...run, seed: 3 });
    const c = await model.sample({ ...run, seed: 4 });
    expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).to.equal(0);
    expect(tf.max(tf.abs(tf.sub(a, c))).dataSync()[0]!).to.be.above(0);
    tf.dispose([a, b, c]);
  });

  it('bad run options and inputs are error notifications with coded errors (subscribed with error only)', async () => {
    const initial = model.initialState(2);
    const typo = await errorOf(model.run({ initial, sampelr: 'heun' } as never));
    expect(typo.code).to.equal(ErrorCodes.INVALID_CONFIG);
    expect(typo.message).to.match(/did you mean 'sampler'/);
    expect((await errorOf(model.run({ initial, sampler: 'bogus' as 'heun' }))).code).to.equal(ErrorCodes.INVALID_CONFIG);
    expect((await errorOf(model.run({ initial, eta: 2 }))).code).to.equal(ErrorCodes.INVALID_CONFIG);
    expect((await errorOf(model.run({ initial, sigmas: [1, 2, 0] }))).code).to.equal(ErrorCodes.INVALID_CONFIG);
    expect((await errorOf(model.run({ initial, schedule: 'vp', rho: 3 }))).message).to.match(/rho/);
    expect((await errorOf(model.run({ initial: [[1, 2]] }))).code).to.equal(ErrorCodes.SHAPE_MISMATCH);
    expect((await errorOf(model.run({ initial: [new Array(10).fill(NaN)] }))).code).to.equal(ErrorCodes.NON_FINITE);
    expect((await errorOf(model.run({ initial, clamp: [[0.5]] }))).code).to.equal(ErrorCodes.INVALID_ARGUMENT);
    expect((await rejectionOf(model.sample({ count: 0 }))).code).to.equal(ErrorCodes.INVALID_CONFIG);
    initial['x']!.dispose();
  });

  it('a run that blows up ends with ENGRAM_ERR_DIVERGED; clip keeps it in range', async () => {
    const score = new ScoreModel({ size: 10, hiddenSize: [8], embedSize: 4 });
    for (const v of Object.values(score.variables())) v.assign(tf.fill(v.shape, 1e30));
    const initial = score.initialState(2);
    const start = tf.memory().numTensors;
    expect((await errorOf(score.run({ initial }))).code).to.equal(ErrorCodes.DIVERGED);
    expect(tf.memory().numTensors, 'a failed run frees its tensors').to.equal(start);
    // Clipping the denoised estimate to the data range (DDPM's clip_denoised) keeps that sampler finite.
    const clipped = await score.sample({ initial: initial['x']!, clip: [-1, 1] });
    expect(Array.from(clipped.dataSync()).every((v) => Number.isFinite(v) && Math.abs(v) <= 1 + 1e-6)).to.equal(true);
    expect((await errorOf(score.run({ initial, clip: [1, -1] }))).code).to.equal(ErrorCodes.INVALID_CONFIG);
    clipped.dispose();
    initial['x']!.dispose();
    score.dispose();
  });

  it('after dispose every use is ENGRAM_ERR_DISPOSED', async () => {
    const m = ExactDenoiser.fromPatterns([[1, 2]]);
    const initial = m.initialState(1);
    m.dispose();
    expect((await errorOf(m.run({ initial }))).code).to.equal(ErrorCodes.DISPOSED);
    expect((await rejectionOf(m.sample())).code).to.equal(ErrorCodes.DISPOSED);
    const x = tf.zeros([1, 2]) as tf.Tensor2D;
    expect(codeOf(() => m.denoise(x, 1))).to.equal(ErrorCodes.DISPOSED);
    expect(codeOf(() => m.energy(x))).to.equal(ErrorCodes.DISPOSED);
    expect(codeOf(() => m.initialState(2))).to.equal(ErrorCodes.DISPOSED);
    expect(codeOf(() => m.patterns)).to.equal(ErrorCodes.DISPOSED);
    tf.dispose([x, initial['x']!]);
  });
});
