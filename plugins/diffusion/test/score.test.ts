import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, take, toArray } from 'rxjs';
import { ErrorCodes, createEngram, deserializeModel, gradCheckVariables, initBackend, serializeModel, trainModel } from '@engram/core';
import { dataPlugin } from '@engram/data/node';
import diffusion, { ExactDenoiser, ScoreModel, edmPreconditioning, loadCheckpoint, trainDenoiser } from '../src/node/index.js';
import { codeOf, errorOf } from './helpers.js';

const tinyData = (count: number, size: number) => ({ data: new Float32Array(count * size).map((_, i) => Math.sin(i * 1.7)), count });

describe('diffusion/score: EDM-preconditioned MLP denoiser', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  for (const parametrization of ['edm', 'x0'] as const) {
    it(`a tiny model (${parametrization}) trains (loss falls, no leaks), samples finite values, and beats the untrained denoiser`, async () => {
      const [K, D] = [4, 8];
      const data = tinyData(K, D);
      const model = new ScoreModel({ size: D, hiddenSize: [32], embedSize: 8, seed: 3, parametrization });
      const y = tf.tensor2d(data.data, [K, D]);
      const noisy = tf.add(y, tf.randomNormal([K, D], 0, 0.3, 'float32', 5)) as tf.Tensor2D;
      const errOf = () => tf.tidy(() => tf.mean(tf.square(tf.sub(model.denoise(noisy, 0.3), y))).dataSync()[0]!);
      const before = errOf();
      const t0 = tf.memory().numTensors;
      const settings = { epochs: 6, batchesPerEpoch: 25, batchSize: 32, lr: 3e-3, seed: 1 };
      const events = await lastValueFrom(trainDenoiser(model, { data, settings }).pipe(toArray()));
      expect(tf.memory().numTensors).to.equal(t0);
      const epochs = events.filter((e) => e.type === 'epoch');
      expect(epochs.length).to.equal(6);
      expect(epochs[5]!.loss).to.be.below(epochs[0]!.loss);
      expect(model.trainedEpochs).to.equal(6);
      expect(errOf()).to.be.below(before / 2);
      const s = await model.sample({ count: 5, levels: 8, sigmaMax: 10 });
      for (const v of s.dataSync()) expect(Number.isFinite(v)).to.equal(true);
      tf.dispose([s, y, noisy]);
      model.dispose();
    });
  }

  it('the loss gradient matches finite differences (wasm and cpu)', async () => {
    for (const backend of ['wasm', 'cpu'] as const) {
      await initBackend({ backend });
      for (const parametrization of ['edm', 'x0'] as const) {
        const model = new ScoreModel({ size: 5, hiddenSize: [6], embedSize: 4, seed: 2, parametrization });
        const y = tf.randomNormal([3, 5], 0, 0.5, 'float32', 1) as tf.Tensor2D;
        const sigma = tf.tensor1d([0.2, 1, 3]);
        const noise = tf.randomNormal([3, 5], 0, 1, 'float32', 2) as tf.Tensor2D;
        // Move the output layer off its small init so every weight's derivative is well above round-off.
        for (const v of Object.values(model.variables())) tf.tidy(() => v.assign(tf.add(v, tf.randomNormal(v.shape, 0, 0.3, 'float32', 9))));
        const r = gradCheckVariables(() => model.loss(y, sigma, noise), model.variables(), { eps: 1e-2, tolerance: 2e-2 });
        expect(r.ok, `${backend} ${parametrization}: max relative error ${r.maxRelError}`).to.equal(true);
        tf.dispose([y, sigma, noise]);
        model.dispose();
      }
    }
    await initBackend({ backend: 'wasm' });
  });

  it('trains one quick epoch through its training face on the default Fashion-MNIST data (through the data plugin)', async function () {
    this.timeout(60_000);
    for (const plugins of [[diffusion, dataPlugin]]) {
      const engram = await createEngram({ plugins });
      const model = await engram.createModel('diffusion/score', { size: 16, hiddenSize: [16], embedSize: 4 });
      const start = tf.memory().numTensors;
      const events = await lastValueFrom(trainModel(model, { engram, settings: { limit: 16, batchSize: 8, epochs: 1 } }).pipe(toArray()));
      expect(events.filter((e) => e.type === 'batch')).to.have.length(2);
      expect(Number.isFinite(events[events.length - 1]!.loss)).to.equal(true);
      expect(model.trainedEpochs).to.equal(1);
      expect(tf.memory().numTensors, 'training freed its data and optimizer').to.equal(start);
      const bad = await errorOf(trainModel(model, { engram, settings: { limit: 16, batchsize: 8 } }));
      expect(bad.code).to.equal(ErrorCodes.INVALID_CONFIG);
      expect(bad.message).to.match(/did you mean 'batchSize'/);
      const wrongSize = await engram.createModel('diffusion/score', { size: 15, hiddenSize: 4, embedSize: 2 });
      expect((await errorOf(trainModel(wrongSize, { engram, settings: { limit: 4 } }))).code).to.equal(ErrorCodes.INVALID_ARGUMENT);
      wrongSize.dispose();
      model.dispose();
    }
  });

  it('constructing and disposing a model leaves no tensors behind; after dispose every use is ENGRAM_ERR_DISPOSED', async () => {
    const before = tf.memory().numTensors;
    const m = new ScoreModel({ size: 16, hiddenSize: [32, 32] });
    m.dispose();
    expect(tf.memory().numTensors).to.equal(before);
    const x = tf.zeros([1, 16]) as tf.Tensor2D;
    expect(codeOf(() => m.denoise(x, 1))).to.equal(ErrorCodes.DISPOSED);
    expect(codeOf(() => m.variables())).to.equal(ErrorCodes.DISPOSED);
    expect((await errorOf(trainDenoiser(m, { data: tinyData(1, 16) }))).code).to.equal(ErrorCodes.DISPOSED);
    x.dispose();
  });

  it('training is deterministic for a seed, seed 0 included', async () => {
    const weightsAfter = async (seed: number) => {
      const m = new ScoreModel({ size: 6, hiddenSize: [8], embedSize: 4, seed });
      await lastValueFrom(trainDenoiser(m, { data: tinyData(3, 6), settings: { batchesPerEpoch: 3, batchSize: 4, seed } }));
      const w = Array.from(m.variables()['W0']!.dataSync());
      m.dispose();
      return w;
    };
    expect(await weightsAfter(0)).to.deep.equal(await weightsAfter(0));
    expect(await weightsAfter(0)).to.not.deep.equal(await weightsAfter(1));
  });

  it('training is cancellable: unsubscribing mid-epoch frees its tensors', async () => {
    const model = new ScoreModel({ size: 6, hiddenSize: [8], embedSize: 4 });
    const before = tf.memory().numTensors;
    const seen = await lastValueFrom(trainDenoiser(model, { data: tinyData(2, 6), settings: { epochs: 50, batchesPerEpoch: 20, batchSize: 4 } }).pipe(take(7), toArray()));
    expect(seen).to.have.length(7);
    await new Promise((r) => setTimeout(r, 20));
    expect(tf.memory().numTensors).to.equal(before);
    model.dispose();
  });

  it('EDM coefficients: host formula = tensor version; D(x, sigma) = c_skip x + c_out F(c_in x, c_noise)', () => {
    const m = new ScoreModel({ size: 3, hiddenSize: 4, embedSize: 2, sigmaData: 0.5, seed: 1 });
    const c = edmPreconditioning(0.7, 0.5);
    expect(c.cSkip).to.be.closeTo(0.25 / (0.49 + 0.25), 1e-12);
    expect(c.cOut).to.be.closeTo((0.7 * 0.5) / Math.sqrt(0.74), 1e-12);
    tf.tidy(() => {
      const t = m.coefficients(tf.tensor1d([0.7]));
      expect(t.cSkip.dataSync()[0]).to.be.closeTo(c.cSkip, 1e-6);
      expect(t.cOut.dataSync()[0]).to.be.closeTo(c.cOut, 1e-6);
      expect(t.cIn.dataSync()[0]).to.be.closeTo(c.cIn, 1e-6);
      expect(t.cNoise.dataSync()[0]).to.be.closeTo(c.cNoise, 1e-6);
      const x = tf.tensor2d([[0.1, -0.2, 0.3]]);
      const d = m.denoise(x, 0.7).dataSync();
      const f = m.network(tf.mul(x, c.cIn) as tf.Tensor2D, tf.tensor1d([c.cNoise])).dataSync();
      [0.1, -0.2, 0.3].forEach((xv, i) => expect(d[i]!).to.be.closeTo(c.cSkip * xv + c.cOut * f[i]!, 1e-5));
    });
    m.dispose();
  });

  it('checkpoints through saveModel and resumes from loadModel at the saved epoch, with the optimizer state', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'engram-diffusion-'));
    try {
      const engram = await createEngram({ plugins: [diffusion] });
      const data = tinyData(3, 6);
      const base = { batchesPerEpoch: 5, batchSize: 8, seed: 2 };
      const config = { size: 6, hiddenSize: [16], embedSize: 4 };
      const weightsOf = (m: ScoreModel) => Object.values(m.variables()).map((t) => Float32Array.from(t.dataSync()));
      const maxDiff = (a: Float32Array[], b: Float32Array[]) => Math.max(...a.map((w, i) => Math.max(...w.map((v, j) => Math.abs(v - b[i]![j]!)))));
      const straight = new ScoreModel(config); // the uninterrupted run a resumed one should reproduce
      await lastValueFrom(trainDenoiser(straight, { data, settings: { ...base, epochs: 4 } }));
      const model = new ScoreModel(config);
      const ckpt = join(dir, 'ckpt');
      await lastValueFrom(trainDenoiser(model, { data, settings: { ...base, epochs: 2 }, checkpoint: { path: ckpt, engram } }));
      const optSpec = () => JSON.parse(readFileSync(`${ckpt}.optimizer.json`, 'utf8')) as { className: string; iterations: number };
      expect(optSpec()).to.include({ className: 'Adam', iterations: 10 });
      const resumed = await loadCheckpoint(engram, join(dir, 'ckpt.json'));
      const before = tf.memory().numTensors;
      expect(resumed.trainedEpochs).to.equal(2);
      const x = tf.randomNormal([2, 6], 0, 1, 'float32', 1) as tf.Tensor2D;
      const [a, b] = [model.denoise(x, 0.5), resumed.denoise(x, 0.5)];
      expect(tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0])).to.equal(0);
      tf.dispose([x, a, b]);
      const lines: string[] = [];
      const resume = { data, settings: { ...base, epochs: 4 }, resume: join(dir, 'ckpt.json'), log: (l: string) => lines.push(l), checkpoint: { path: ckpt } };
      const events = await lastValueFrom(trainDenoiser(resumed, resume).pipe(toArray()));
      expect(events.filter((e) => e.type === 'epoch').map((e) => e.epoch)).to.deep.equal([2, 3]);
      expect(resumed.trainedEpochs).to.equal(4);
      expect(lines.join('\n')).to.match(/resumed the optimizer state of .*ckpt\.json \(step 10\)/);
      expect(optSpec().iterations).to.equal(20);
      expect(maxDiff(weightsOf(resumed), weightsOf(straight))).to.be.at.most(1e-6);
      expect((await lastValueFrom(trainDenoiser(resumed, { data, settings: { ...base, epochs: 4 } }).pipe(toArray()))).length, 'nothing left to train').to.equal(0);
      expect(tf.memory().numTensors).to.equal(before);
      resumed.dispose();
      // A checkpoint without an optimizer state still resumes, with fresh moments, said in the log; it then drifts.
      await lastValueFrom(trainDenoiser(new ScoreModel(config), { data, settings: { ...base, epochs: 2 }, checkpoint: { path: join(dir, 'old') } }));
      const stateFile = (JSON.parse(readFileSync(join(dir, 'old.optimizer.json'), 'utf8')) as { weights: { file: string } }).weights.file;
      rmSync(join(dir, 'old.optimizer.json'));
      rmSync(join(dir, stateFile));
      const old = await loadCheckpoint(engram, join(dir, 'old.json'));
      lines.length = 0;
      await lastValueFrom(trainDenoiser(old, { ...resume, resume: join(dir, 'old.json'), checkpoint: undefined }));
      expect(lines.join('\n')).to.match(/has no optimizer state .*the optimizer moments start from zero/);
      expect(old.trainedEpochs).to.equal(4);
      expect(maxDiff(weightsOf(old), weightsOf(straight))).to.be.greaterThan(1e-4);
      old.dispose();
      model.dispose();
      straight.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('spec + weights round-trip for diffusion/score and diffusion/exact through a fresh engram; typed createModel', async () => {
    const engram = await createEngram({ plugins: [diffusion] });
    const score = await engram.createModel('diffusion/score', { size: 10, hiddenSize: [12, 12], embedSize: 4, seed: 9, parametrization: 'x0' });
    const exact = await engram.createModel('diffusion/exact', { memories: 5, size: 10 });
    exact.setWeights({ patterns: tf.tidy(() => tf.randomNormal([5, 10], 0, 1, 'float32', 4)) });
    const x = tf.randomNormal([3, 10], 0, 1, 'float32', 7) as tf.Tensor2D;
    for (const m of [score, exact]) {
      const art = serializeModel(m, { engram });
      expect(art.spec.kind).to.equal(m.kind);
      const back = await deserializeModel<ScoreModel | ExactDenoiser>(await createEngram({ plugins: [diffusion] }), art);
      const [a, b] = [m.denoise(x, 0.4), back.denoise(x, 0.4)];
      expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).to.equal(0);
      tf.dispose([a, b]);
      back.dispose();
    }
    expect(score.getConfig()).to.deep.equal({ size: 10, hiddenSize: [12, 12], embedSize: 4, sigmaData: 0.5, parametrization: 'x0', seed: 9, trainedEpochs: 0 });
    const defaults = await engram.createModel('diffusion/score', { size: 4 });
    expect(defaults.hiddenSize).to.deep.equal([256, 256]);
    tf.dispose([x]);
    for (const m of [score, exact, defaults]) m.dispose();
  });

  it('rejects bad configs and training input with coded errors naming the key', async () => {
    const engram = await createEngram({ plugins: [diffusion] });
    const cases: [string, object, RegExp][] = [
      ['diffusion/score', { size: 4, hiddenSzie: [4] }, /unknown key 'hiddenSzie'.*did you mean 'hiddenSize'/],
      ['diffusion/score', { size: 0 }, /'size'/],
      ['diffusion/score', { size: 4, hiddenSize: [] }, /'hiddenSize'/],
      ['diffusion/score', { size: 4, embedSize: 3 }, /'embedSize'.*even/],
      ['diffusion/score', { size: 4, parametrization: 'eps' }, /'parametrization'/],
      ['diffusion/score', { size: '4' }, /'size'/],
      ['diffusion/exact', { memories: 2, size: 3, betta: 1 }, /unknown key 'betta'/],
      ['diffusion/exact', { memories: 0, size: 3 }, /'memories'/],
    ];
    for (const [id, config, message] of cases) {
      const err = await engram.createModel(id, config).then(
        () => expect.fail(`${id} ${JSON.stringify(config)} should be rejected`),
        (e: unknown) => e as { code: string; message: string },
      );
      expect(err.code).to.equal(ErrorCodes.INVALID_CONFIG);
      expect(err.message).to.match(message).and.to.include(id);
    }
    expect(codeOf(() => new ExactDenoiser({ memories: 1, size: 2 }, { patterns: [[1, NaN]] }))).to.equal(ErrorCodes.NON_FINITE);
    expect(codeOf(() => new ExactDenoiser({ memories: 2, size: 2 }, { patterns: [[1, 2]] }))).to.equal(ErrorCodes.SHAPE_MISMATCH);
    const m = new ScoreModel({ size: 4, hiddenSize: [8], embedSize: 4 });
    const wrong = tf.zeros([2, 5]) as tf.Tensor2D;
    expect(codeOf(() => m.denoise(wrong, 1))).to.equal(ErrorCodes.SHAPE_MISMATCH);
    expect(codeOf(() => m.denoise(tf.zeros([2, 4]) as tf.Tensor2D, -1))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    expect((await errorOf(trainDenoiser(m, { data: { data: new Float32Array(7), count: 2 } }))).code).to.equal(ErrorCodes.INVALID_ARGUMENT);
    expect((await errorOf(trainDenoiser(m, { data: { data: new Float32Array([NaN, 0, 0, 0]), count: 1 } }))).code).to.equal(ErrorCodes.NON_FINITE);
    expect((await errorOf(trainDenoiser(m, { data: tinyData(1, 4), settings: { lr: -1 } }))).code).to.equal(ErrorCodes.INVALID_CONFIG);
    expect(codeOf(() => m.setWeights({ W0: tf.zeros([1, 1]) }))).to.equal(ErrorCodes.WEIGHTS_MISMATCH);
    wrong.dispose();
    m.dispose();
  });
});
