import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { EngramError, createEngram, deserializeModel, initBackend, serializeModel } from '@engram/core';
import diffusion, { ExactDenoiser, ScoreModel, edmPreconditioning, edmSigmas, loadCheckpoint, sample, trainDenoiser } from '../src/index.js';

describe('diffusion/score: EDM-preconditioned MLP denoiser', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  for (const parametrization of ['edm', 'x0'] as const)
  it(`a tiny model (${parametrization}) trains (loss falls, no leaks), samples finite values, and beats the untrained denoiser`, async () => {
    const K = 4;
    const D = 8;
    const data = new Float32Array(K * D).map((_, i) => Math.sin(i * 1.7));
    const model = new ScoreModel({ dim: D, hidden: [32], embedDim: 8, seed: 3, parametrization });
    const y = tf.tensor2d(data, [K, D]);
    const noisy = tf.add(y, tf.randomNormal([K, D], 0, 0.3, 'float32', 5)) as tf.Tensor2D;
    const errOf = () => tf.tidy(() => tf.mean(tf.square(tf.sub(model.denoise(noisy, 0.3), y))).dataSync()[0]!);
    const before = errOf();
    const t0 = tf.memory().numTensors;
    const events = await lastValueFrom(trainDenoiser(model, { data, count: K, epochs: 6, batchesPerEpoch: 25, batchSize: 32, learningRate: 3e-3, seed: 1 }).pipe(toArray()));
    expect(tf.memory().numTensors).to.equal(t0);
    const epochs = events.filter((e) => e.type === 'epoch');
    expect(epochs.length).to.equal(6);
    expect(epochs[5]!.loss).to.be.below(epochs[0]!.loss);
    expect(model.trainedEpochs).to.equal(6);
    expect(errOf()).to.be.below(before / 2);
    const s = await sample(model, { count: 5, sigmas: edmSigmas({ steps: 8, sigmaMax: 10 }) });
    for (const v of s.dataSync()) expect(Number.isFinite(v)).to.equal(true);
    tf.dispose([s, y, noisy]);
    model.dispose();
  });

  it('constructing and disposing a model leaves no tensors behind', () => {
    const before = tf.memory().numTensors;
    new ScoreModel({ dim: 16, hidden: [32, 32] }).dispose();
    expect(tf.memory().numTensors).to.equal(before);
  });

  it('training is cancellable: unsubscribing mid-epoch frees its tensors', async () => {
    const model = new ScoreModel({ dim: 6, hidden: [8], embedDim: 4 });
    const before = tf.memory().numTensors;
    const data = new Float32Array(12).map((_, i) => Math.sin(i));
    let n = 0;
    const sub = trainDenoiser(model, { data, count: 2, epochs: 50, batchesPerEpoch: 20, batchSize: 4 }).subscribe(() => {
      if (++n === 7) sub.unsubscribe();
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(n).to.equal(7);
    expect(tf.memory().numTensors).to.equal(before);
    model.dispose();
  });

  it('EDM coefficients: host formula = tensor version; D(x, sigma) = c_skip x + c_out F(c_in x, c_noise)', () => {
    const m = new ScoreModel({ dim: 3, hidden: [4], embedDim: 2, sigmaData: 0.5, seed: 1 });
    const c = edmPreconditioning(0.7, 0.5);
    expect(c.cSkip).to.be.closeTo(0.25 / (0.49 + 0.25), 1e-12);
    expect(c.cOut).to.be.closeTo((0.7 * 0.5) / Math.sqrt(0.74), 1e-12);
    const t = m.coefficients(tf.tensor1d([0.7]));
    expect(t.cSkip.dataSync()[0]).to.be.closeTo(c.cSkip, 1e-6);
    expect(t.cOut.dataSync()[0]).to.be.closeTo(c.cOut, 1e-6);
    expect(t.cIn.dataSync()[0]).to.be.closeTo(c.cIn, 1e-6);
    expect(t.cNoise.dataSync()[0]).to.be.closeTo(c.cNoise, 1e-6);
    const x = tf.tensor2d([[0.1, -0.2, 0.3]]);
    const d = m.denoise(x, 0.7).dataSync();
    const f = m.network(tf.mul(x, c.cIn) as tf.Tensor2D, tf.tensor1d([c.cNoise])).dataSync();
    [0.1, -0.2, 0.3].forEach((xv, i) => expect(d[i]!).to.be.closeTo(c.cSkip * xv + c.cOut * f[i]!, 1e-5));
    m.dispose();
  });

  it('checkpoints through saveModel and resumes from loadModel at the saved epoch, with the Adam state', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'engram-diffusion-'));
    try {
      const engram = await createEngram({ plugins: [diffusion] });
      const data = new Float32Array(3 * 6).map((_, i) => Math.cos(i));
      const opts = { data, count: 3, batchesPerEpoch: 5, batchSize: 8, seed: 2 };
      const config = { dim: 6, hidden: [16], embedDim: 4 };
      const weightsOf = (m: ScoreModel) => Object.values(m.getWeights()).map((t) => Float32Array.from(t.dataSync()));
      const maxDiff = (a: Float32Array[], b: Float32Array[]) => Math.max(...a.map((w, i) => Math.max(...w.map((v, j) => Math.abs(v - b[i]![j]!)))));
      // The uninterrupted run that a resumed one should reproduce.
      const straight = new ScoreModel(config);
      await lastValueFrom(trainDenoiser(straight, { ...opts, epochs: 4 }));
      const model = new ScoreModel(config);
      const ckpt = join(dir, 'ckpt');
      await lastValueFrom(trainDenoiser(model, { ...opts, epochs: 2, checkpoint: { path: ckpt, engram } }));
      const optSpec = () => JSON.parse(readFileSync(`${ckpt}.optimizer.json`, 'utf8')) as { className: string; iterations: number };
      expect(optSpec()).to.include({ className: 'Adam', iterations: 10 });
      const resumed = await loadCheckpoint(engram, join(dir, 'ckpt.json'));
      const before = tf.memory().numTensors;
      expect(resumed.trainedEpochs).to.equal(2);
      const x = tf.randomNormal([2, 6], 0, 1, 'float32', 1) as tf.Tensor2D;
      const a = model.denoise(x, 0.5);
      const b = resumed.denoise(x, 0.5);
      expect(tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0])).to.equal(0);
      tf.dispose([x, a, b]);
      const lines: string[] = [];
      const events = await lastValueFrom(
        trainDenoiser(resumed, { ...opts, epochs: 4, resume: join(dir, 'ckpt.json'), log: (l) => lines.push(l), checkpoint: { path: ckpt } }).pipe(toArray()),
      );
      expect(events.filter((e) => e.type === 'epoch').map((e) => e.epoch)).to.deep.equal([2, 3]);
      expect(resumed.trainedEpochs).to.equal(4);
      expect(lines.join('\n')).to.match(/resumed the Adam state of .*ckpt\.json \(step 10\)/);
      // The restored moments continue the run: the optimizer's step count went on from 10,
      // and the weights equal the uninterrupted run's.
      expect(optSpec().iterations).to.equal(20);
      expect(maxDiff(weightsOf(resumed), weightsOf(straight))).to.be.at.most(1e-6);
      // Already trained to 4: nothing left to do.
      expect((await lastValueFrom(trainDenoiser(resumed, { ...opts, epochs: 4 }).pipe(toArray()))).length).to.equal(0);
      expect(tf.memory().numTensors).to.equal(before); // the resumed run freed its optimizer and restored state
      resumed.dispose();
      // An older checkpoint (no optimizer state) still resumes, with fresh moments, said in the log;
      // it then drifts from the uninterrupted run, which shows the restored state matters.
      await lastValueFrom(trainDenoiser(new ScoreModel(config), { ...opts, epochs: 2, checkpoint: { path: join(dir, 'old') } }));
      rmSync(join(dir, 'old.optimizer.json'));
      rmSync(join(dir, 'old.optimizer.bin'));
      const old = await loadCheckpoint(engram, join(dir, 'old.json'));
      lines.length = 0;
      await lastValueFrom(trainDenoiser(old, { ...opts, epochs: 4, resume: join(dir, 'old.json'), log: (l) => lines.push(l) }));
      expect(lines.join('\n')).to.match(/has no optimizer state .*the Adam moments start from zero/);
      expect(old.trainedEpochs).to.equal(4);
      expect(maxDiff(weightsOf(old), weightsOf(straight))).to.be.greaterThan(1e-4);
      old.dispose();
      model.dispose();
      straight.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('spec + weights round-trip for diffusion/score and diffusion/exact through a fresh engram', async () => {
    const model = new ScoreModel({ dim: 10, hidden: [12, 12], embedDim: 4, seed: 9, parametrization: 'x0' });
    const pats = tf.randomNormal([5, 10], 0, 1, 'float32', 4);
    const exact = new ExactDenoiser({ patterns: pats });
    const x = tf.randomNormal([3, 10], 0, 1, 'float32', 7) as tf.Tensor2D;
    const engram = await createEngram({ plugins: [diffusion] });
    for (const m of [model, exact]) {
      const art = serializeModel(m, { engram });
      expect(art.spec.kind).to.equal(m.kind);
      const fresh = await createEngram({ plugins: [diffusion] });
      const back = await deserializeModel<ScoreModel | ExactDenoiser>(fresh, art);
      const a = m.denoise(x, 0.4);
      const b = back.denoise(x, 0.4);
      expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).to.equal(0);
      tf.dispose([a, b]);
      back.dispose();
    }
    const viaFactory = await engram.createModel<ScoreModel>('diffusion/score', { dim: 4 });
    expect(viaFactory.hidden).to.deep.equal([256, 256]);
    viaFactory.dispose();
    tf.dispose([x, pats]);
    model.dispose();
    exact.dispose();
  });

  it('rejects bad input with coded errors', async () => {
    expect(() => new ScoreModel({ dim: 0 })).to.throw(EngramError);
    expect(() => new ScoreModel({ dim: 4, hidden: [] })).to.throw(EngramError);
    expect(() => new ScoreModel({ dim: 4, embedDim: 3 })).to.throw(EngramError);
    expect(() => new ScoreModel({ dim: 4, parametrization: 'eps' as 'x0' })).to.throw(EngramError);
    expect(() => new ExactDenoiser({})).to.throw(EngramError);
    expect(() => new ExactDenoiser({ patterns: [[1, NaN]] })).to.throw(EngramError);
    const m = new ScoreModel({ dim: 4, hidden: [8], embedDim: 4 });
    const wrong = tf.zeros([2, 5]) as tf.Tensor2D;
    expect(() => m.denoise(wrong, 1)).to.throw(EngramError, /shape|\[/);
    expect(() => m.denoise(tf.zeros([2, 4]) as tf.Tensor2D, -1)).to.throw(EngramError);
    expect(() => trainDenoiser(m, { data: new Float32Array(7), count: 2 })).to.throw(EngramError);
    expect(() => trainDenoiser(m, { data: new Float32Array([NaN, 0, 0, 0]), count: 1 })).to.throw(EngramError);
    expect(() => m.setWeights({ W0: tf.zeros([1, 1]) })).to.throw(EngramError);
    wrong.dispose();
    m.dispose();
    expect(() => m.denoise(tf.zeros([1, 4]) as tf.Tensor2D, 1)).to.throw(EngramError, /disposed/);
  });
});
