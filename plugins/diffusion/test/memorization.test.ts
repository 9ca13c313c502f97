import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCodes, createEngram, initBackend, parseConfig, type CommandIO } from '@engram/core';
import { main } from '../examples/run-experiment.js';
import diffusion, { ExactDenoiser, attractorRestarts, classifySamples, keptPerBlock, memorizationSweepOn, scoreSpectrum, sweepSchema, sweepTable, type Denoiser } from '../src/node/index.js';
import { codeOf, rejectionOf } from './helpers.js';

describe('memorization measures', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('classifySamples: copies are memorized, shared non-training points spurious, scattered points generalized', () => {
    const d = 16;
    const train = new Float32Array(4 * d).map((_, i) => Math.sin(i * 0.9) * 0.8);
    const samples = new Float32Array(6 * d);
    samples.set(train.subarray(0, d), 0); // copy of image 0
    samples.set(train.subarray(2 * d, 3 * d).map((v) => v + 0.01), d); // near-copy of image 2
    const mix = train.subarray(0, d).map((v, j) => 0.5 * (v + train[d + j]!)); // a mixture, twice
    samples.set(mix, 2 * d);
    samples.set(mix.map((v) => v + 0.001), 3 * d);
    samples.set(new Float32Array(d).map((_, j) => Math.cos(j * 2.1)), 4 * d); // unrelated
    samples.set(new Float32Array(d).map((_, j) => -Math.cos(j * 1.3)), 5 * d);
    const c = classifySamples({ samples, count: 6, train, trainCount: 4, size: d });
    expect(c.classes).to.deep.equal(['memorized', 'memorized', 'spurious', 'spurious', 'generalized', 'generalized']);
    expect(c.fractions.memorized).to.be.closeTo(1 / 3, 1e-12);
    // With restarts that come back to the unrelated samples, those become spurious attractors.
    const c2 = classifySamples({ samples, count: 6, train, trainCount: 4, size: d, restarts: Float32Array.from(samples), repeats: 1 });
    expect(c2.classes[4]).to.equal('spurious');
    expect(codeOf(() => classifySamples({ samples, count: 7, train, trainCount: 4, size: d }))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    expect(codeOf(() => classifySamples({ samples, count: 6, train, trainCount: 4, size: d }, { ratio: 2 }))).to.equal(ErrorCodes.INVALID_CONFIG);
  });

  it('the basin test: restarts of the exact AM from its samples return to the same memory', async () => {
    const xi = tf.randomUniform([5, 12], -1, 1, 'float32', 6);
    const am = ExactDenoiser.fromPatterns(xi);
    const train = Float32Array.from(xi.dataSync());
    await attractorRestarts(am, train, 5, { sigmaRestart: 0.2, repeats: 1, seed: 9 }); // fills the graph cache
    const before = tf.memory().numTensors;
    const back = await attractorRestarts(am, train, 5, { sigmaRestart: 0.2, repeats: 2, seed: 1 });
    expect(tf.memory().numTensors).to.equal(before);
    const c = classifySamples({ samples: train, count: 5, train, trainCount: 5, size: 12, restarts: back, repeats: 2 });
    for (const r of c.restartRms) expect(r).to.be.below(1e-4);
    expect((await rejectionOf(attractorRestarts(am, train, 4))).code).to.equal(ErrorCodes.INVALID_ARGUMENT);
    expect((await rejectionOf(attractorRestarts(am, train, 5, { repeats: 0 }))).code).to.equal(ErrorCodes.INVALID_CONFIG);
    xi.dispose();
    am.dispose();
  });

  it('scoreSpectrum finds the tangent blocks of an ideal linear-manifold denoiser, and 0 dimensions for a memorizing AM', () => {
    const size = 32;
    const v = new Float32Array(size);
    v.fill(1, 0, 4);
    v.fill(0.1, 4, 8);
    const sigma = 0.05;
    // Posterior mean of N(0, diag(v)): D_j(x) = v_j / (v_j + sigma^2) x_j.
    const ideal: Denoiser = { size, denoise: (x, s) => tf.tidy(() => tf.mul(x, tf.tensor1d(v.map((vj) => vj / (vj + s ** 2))))) as tf.Tensor2D };
    const spec = scoreSpectrum(ideal, new Float32Array(size), { sigma, samples: 512, seed: 2 });
    expect(spec.dimension).to.equal(8);
    const [hi, lo] = keptPerBlock(spec.keptPerAxis, [
      [0, 4],
      [4, 4],
    ]);
    expect(hi).to.be.closeTo(4, 0.05);
    expect(lo).to.be.closeTo(4, 0.05);
    // Normal directions: sigma^2 Var(score) ~ 1 (their mean; single values spread like a Wishart spectrum).
    expect(spec.values.subarray(0, 24).reduce((a, b) => a + b, 0) / 24).to.be.closeTo(1, 0.1);
    expect(spec.values[24]!).to.be.below(0.01);
    const pts = tf.randomNormal([3, size], 0, 1, 'float32', 3);
    const am = ExactDenoiser.fromPatterns(pts);
    expect(scoreSpectrum(am, Float32Array.from(pts.dataSync().subarray(0, size)), { sigma, seed: 1 }).dimension).to.equal(0);
    expect(codeOf(() => scoreSpectrum(am, new Float32Array(3)))).to.equal(ErrorCodes.SHAPE_MISMATCH);
    expect(codeOf(() => scoreSpectrum(am, new Float32Array(size), { samples: 1 }))).to.equal(ErrorCodes.INVALID_CONFIG);
    pts.dispose();
    am.dispose();
  });

  it('a K whose sampler diverged is reported as such in the table, not dropped', () => {
    const point = { k: 2, loss: 0.07, trainSeconds: 1, preview: [], medianRatio: NaN, medianNearestTrainRms: NaN, medianNearestSampleRms: NaN, medianRestartRms: NaN };
    const table = sweepTable({
      side: 14,
      settings: sweepSchema.parse({}),
      points: [
        { ...point, memorized: NaN, spurious: NaN, generalized: NaN, diverged: 'dynamics diverged at step 15' },
        { ...point, k: 8, memorized: 0.5, spurious: 0.25, generalized: 0.25 },
      ],
    });
    expect(table).to.match(/2 \(diverged\)/).and.to.match(/\n8 +0\.500/);
  });

  it('the sweep on images in memory (the browser-safe entry) refuses too few images before training', async () => {
    const images = { data: new Float32Array(3 * 4), count: 3, side: 2, size: 4 };
    const err = await memorizationSweepOn(images, { ks: [2, 8] }).then(() => undefined, (e: unknown) => e);
    expect(codeOf(() => { throw err; })).to.equal(ErrorCodes.INVALID_ARGUMENT);
    expect((err as Error).message).to.match(/max\(ks\) = 8/);
  });

  it('the commands run end to end in a reduced configuration, print their table and write their plots and JSON', async function () {
    this.timeout(120_000);
    const dir = mkdtempSync(join(tmpdir(), 'engram-diffusion-cmd-'));
    try {
      const engram = await createEngram({ plugins: [diffusion] });
      const lines: string[] = [];
      const io: CommandIO = { stdout: (t) => lines.push(t), stderr: () => undefined, isTTY: false, cwd: dir };
      const sweep = engram.get('command', 'diffusion/diffusion-sweep');
      // The CLI hands commands their options parsed by the command's schema, list flags as comma-separated strings.
      const options = parseConfig(sweep.options, { ks: '2,6', steps: 20, samples: 6, hiddenSize: '32', source: 'subset', out: 'sweep' }, 'diffusion-sweep');
      expect(await sweep.run({ options: options as never, positionals: [] }, io, engram)).to.equal(0);
      expect(lines.join('')).to.match(/on the wasm backend/).and.to.match(/memorized/);
      const res = JSON.parse(readFileSync(join(dir, 'sweep', 'results.json'), 'utf8')) as { points: { k: number; memorized: number; spurious: number; generalized: number }[] };
      expect(res.points.map((p) => p.k)).to.deep.equal([2, 6]);
      for (const p of res.points) expect(p.memorized + p.spurious + p.generalized).to.be.closeTo(1, 1e-9);
      expect(readFileSync(join(dir, 'sweep', 'fractions.svg'), 'utf8')).to.match(/<svg/);
      expect(existsSync(join(dir, 'sweep', 'samples-K6.png'))).to.equal(true);
      // The manifold command through the example script.
      expect(await main('diffusion-manifold', { ns: [4, 8], steps: 20, points: 2, perturbations: 256, hiddenSize: [32], out: 'man' }, io)).to.equal(0);
      const man = JSON.parse(readFileSync(join(dir, 'man', 'results.json'), 'utf8')) as { points: { n: number; exactHigh: number }[] };
      expect(man.points.map((p) => p.n)).to.deep.equal([4, 8]);
      expect(readFileSync(join(dir, 'man', 'kept-dims.svg'), 'utf8')).to.match(/<svg/);
      // Bad options are rejected by the schema before the command runs.
      expect(codeOf(() => parseConfig(sweep.options, { kss: '2' }, 'diffusion-sweep'))).to.equal(ErrorCodes.INVALID_CONFIG);
      expect(codeOf(() => parseConfig(sweep.options, { ks: '2,x' }, 'diffusion-sweep'))).to.equal(ErrorCodes.INVALID_CONFIG);
      for (const c of engram.commands().filter((c) => c.plugin === 'diffusion')) {
        for (const [key, schema] of Object.entries(c.options.shape)) expect((schema as { description?: string }).description, `${c.name} --${key}`).to.be.a('string');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
