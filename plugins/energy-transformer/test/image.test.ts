import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { lastValueFrom, toArray } from 'rxjs';
import { createEngram, deserializeModel, EngramError, initBackend, serializeModel, type CommandIO } from '@engram/core';
import { createRng, loadFashionMnistSubset } from '@engram/data';
import et, { etTrainCommand, ImageEnergyTransformer, patchGeometry, patchify, randomPatchMasks, unpatchify } from '../src/index.js';

const tiny = { tokenDim: 16, heads: 2, headDim: 8, memories: 32, steps: 3 };

function captureIO(cwd: string): CommandIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), isTTY: false, cwd };
}

describe('et/image', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('patchify / unpatchify are inverse and follow row-major patch order', () => {
    const geo = patchGeometry(28, 4);
    const img = tf.range(0, 2 * 784).reshape([2, 784]);
    const p = patchify(img, geo);
    expect(p.shape).to.deep.equal([2, 49, 16]);
    // patch 1 (row 0, column 1) starts at pixel (0, 4); its second row at pixel (1, 4)
    const d = p.dataSync();
    expect(d[16]).to.equal(4);
    expect(d[16 + 4]).to.equal(28 + 4);
    expect(Array.from(unpatchify(p, geo).dataSync())).to.deep.equal(Array.from(img.dataSync()));
    tf.dispose([img, p]);
    expect(() => patchGeometry(28, 5)).to.throw(EngramError);
  });

  it('random masks hide round(ratio N) distinct patches per sample, reproducibly', () => {
    const rng = createRng(1);
    const m = randomPatchMasks(3, 49, 0.5, () => rng.uniform());
    for (let b = 0; b < 3; b++) expect(m.subarray(b * 49, (b + 1) * 49).reduce((s, v) => s + v, 0)).to.equal(25);
    const rng2 = createRng(1);
    expect(Array.from(randomPatchMasks(3, 49, 0.5, () => rng2.uniform()))).to.deep.equal(Array.from(m));
  });

  it('training through the unrolled descent lowers the masked-patch loss', () => {
    const set = loadFashionMnistSubset({ split: 'train', limit: 32 });
    const images = tf.tensor2d(set.images, [32, 784]);
    const rng = createRng(3);
    const mask = tf.tensor2d(randomPatchMasks(32, 49, 0.5, () => rng.uniform()), [32, 49]);
    const model = new ImageEnergyTransformer({ block: tiny, seed: 1 });
    const opt = tf.train.adam(1e-2);
    const before = tf.tidy(() => model.loss(images, mask).dataSync()[0]!);
    for (let i = 0; i < 12; i++) opt.minimize(() => model.loss(images, mask), false, model.variables());
    const after = tf.tidy(() => model.loss(images, mask).dataSync()[0]!);
    expect(after).to.be.lessThan(0.6 * before);
    // completions keep the visible patches exactly
    const done = model.complete(images.slice([0, 0], [2, 784]), mask.slice([0, 0], [2, 49]));
    const vis = tf.tidy(() => {
      const m3 = tf.expandDims(mask.slice([0, 0], [2, 49]), 2);
      const geo = model.geometry;
      return tf.max(tf.abs(tf.mul(tf.sub(1, m3), tf.sub(patchify(done, geo), patchify(images.slice([0, 0], [2, 784]), geo))))).dataSync()[0]!;
    });
    expect(vis).to.be.lessThan(1e-6);
    tf.dispose([images, mask, done]);
    opt.dispose();
    model.dispose();
  });

  it('streams a completion across the T steps, decoding snapshots, without leaks', async () => {
    const model = new ImageEnergyTransformer({ block: tiny });
    const img = tf.randomUniform([1, 784], 0, 1, 'float32', 2);
    const mask = tf.tensor2d([Array.from({ length: 49 }, (_, i) => (i % 2 ? 1 : 0))]);
    const n0 = tf.memory().numTensors;
    const evs = await lastValueFrom(model.run(img, mask, { snapshot: true }).pipe(toArray()));
    expect(evs).to.have.length(4);
    expect(evs.every((e) => e.images && e.images.length === 784)).to.equal(true);
    expect(tf.memory().numTensors).to.equal(n0);
    tf.dispose([img, mask]);
    model.dispose();
  });

  it('spec and weights round-trip through the core serialization', async () => {
    const model = new ImageEnergyTransformer({ block: { ...tiny, hopfield: 'softmax' }, seed: 4 });
    const engram = await createEngram({ plugins: [et] });
    const copy = await deserializeModel(engram, serializeModel(model, { engram })) as ImageEnergyTransformer;
    expect(copy).to.be.instanceOf(ImageEnergyTransformer);
    const img = tf.randomUniform([2, 784], 0, 1, 'float32', 5);
    const mask = tf.tidy(() => tf.greater(tf.randomUniform([2, 49], 0, 1, 'float32', 6), 0.5).toFloat());
    const a = model.complete(img, mask);
    const b = copy.complete(img, mask);
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!)).to.equal(0);
    const block = await engram.createModel('et/block', { tokenDim: 8, heads: 2 });
    const blockCopy = await deserializeModel(engram, serializeModel(block, { engram }));
    expect(blockCopy.getConfig()).to.deep.equal(block.getConfig());
    let failed: unknown = null;
    await engram.createModel('et/image', { patchSize: 5 }).catch((e: unknown) => (failed = e));
    expect(String(failed)).to.match(/patchSize/);
    tf.dispose([img, mask, a, b]);
    [model, copy, block, blockCopy].forEach((m) => m.dispose());
  });

  it('et-train trains, checkpoints, resumes (with the Adam state) and writes PNGs (reduced scale)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'et-train-'));
    try {
      const engram = await createEngram({ plugins: [et] });
      const small = ['--source', 'subset', '--train', '64', '--test', '32', '--batch', '16', '--dim', '16', '--heads', '2', '--memories', '32', '--steps', '2', '--transformer-layers', '1'];
      const common = [...small, '--out', 'run'];
      const io = captureIO(dir);
      expect(await etTrainCommand([...common, '--epochs', '1'], io, engram), io.err.join('')).to.equal(0);
      expect(io.out.join('')).to.match(/energy transformer\s+\d\.\d+/).and.match(/mean training patch\s+\d\.\d+/).and.match(/transformer encoder\s+\d\.\d+/);
      expect(io.err.join('')).to.match(/\[#+\] 4\/4 loss/);
      for (const f of ['completions.png', 'completion-steps.png', 'results.json', 'checkpoint/et.json', 'checkpoint/et.weights.bin', 'checkpoint/et.optimizer.json', 'checkpoint/et.optimizer.bin']) {
        expect((await stat(join(dir, 'run', f))).size, f).to.be.greaterThan(0);
      }
      const optSpec = async () => JSON.parse(await readFile(join(dir, 'run', 'checkpoint', 'et.optimizer.json'), 'utf8')) as { className: string; iterations: number };
      expect(await optSpec()).to.include({ className: 'Adam', iterations: 4 });
      const io2 = captureIO(dir);
      const code = await etTrainCommand([...common, '--epochs', '2', '--resume', 'run/checkpoint/et.json', '--no-transformer'], io2, engram);
      expect(code, io2.err.join('')).to.equal(0);
      // the resumed run trained only the second epoch, continuing the saved Adam state
      expect(io2.err.join('')).to.match(/et epoch 2\/2/).and.not.match(/et epoch 1\/2/);
      expect(io2.err.join('')).to.match(/resumed the Adam state of .*et\.json \(step 4\)/);
      expect(JSON.parse(await readFile(join(dir, 'run', 'checkpoint', 'et.progress.json'), 'utf8')).epoch).to.equal(2);
      expect((await optSpec()).iterations).to.equal(8);
      // ... and so ends where an uninterrupted two-epoch run ends.
      const io3 = captureIO(dir);
      expect(await etTrainCommand([...small, '--out', 'straight', '--epochs', '2', '--no-transformer'], io3, engram), io3.err.join('')).to.equal(0);
      const mse = async (d: string) => (JSON.parse(await readFile(join(dir, d, 'results.json'), 'utf8')) as { etMse: number }).etMse;
      expect(Math.abs((await mse('run')) - (await mse('straight')))).to.be.at.most(1e-6);
      // A checkpoint written before optimizer states were saved still resumes, with fresh moments (logged).
      await rm(join(dir, 'run', 'checkpoint', 'et.optimizer.json'));
      await rm(join(dir, 'run', 'checkpoint', 'et.optimizer.bin'));
      const io4 = captureIO(dir);
      expect(await etTrainCommand([...common, '--epochs', '3', '--resume', 'run/checkpoint/et.json', '--no-transformer'], io4, engram), io4.err.join('')).to.equal(0);
      expect(io4.err.join('')).to.match(/has no optimizer state .*the Adam moments start from zero/).and.match(/et epoch 3\/3/);
      expect((await optSpec()).iterations).to.equal(4);
      const bad = captureIO(dir);
      expect(await etTrainCommand(['--bogus'], bad, engram)).to.equal(2);
      expect(bad.err.join('')).to.match(/--bogus/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
