import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { lastValueFrom, take, toArray } from 'rxjs';
import { ErrorCodes, initBackend } from '@engram/core';
import { createRng } from '@engram/data';
import { loadFashionMnistSubset } from '@engram/data/node';
import { HIDDEN, IMAGE, ImageEnergyTransformer, patchGeometry, patchify, randomHiddenPatches, TOKENS, unpatchify } from '../src/index.js';
import { codeOf, errorOf, maxDiff, streamError, tick } from './helpers.js';

const tiny = { size: 16, heads: 2, headSize: 8, memories: 32, maxSteps: 3 };

describe('energy-transformer/image', () => {
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
    expect(codeOf(() => patchGeometry(28, 5))).to.equal(ErrorCodes.INVALID_ARGUMENT);
  });

  it('random hidden patches hide round(ratio N) distinct patches per sample, reproducibly', () => {
    const rng = createRng(1);
    const m = randomHiddenPatches(3, 49, 0.5, () => rng.uniform());
    for (let b = 0; b < 3; b++) expect(m.subarray(b * 49, (b + 1) * 49).reduce((s, v) => s + v, 0)).to.equal(25);
    const rng2 = createRng(1);
    expect(Array.from(randomHiddenPatches(3, 49, 0.5, () => rng2.uniform()))).to.deep.equal(Array.from(m));
    expect(codeOf(() => randomHiddenPatches(1, 4, 1, () => 0))).to.equal(ErrorCodes.INVALID_ARGUMENT);
  });

  it('training through the unrolled descent lowers the hidden-patch loss; completions keep the visible pixels', () => {
    const set = loadFashionMnistSubset({ split: 'train', limit: 32 });
    const images = tf.tensor2d(set.images, [32, 784]);
    const rng = createRng(3);
    const hidden = tf.tensor2d(randomHiddenPatches(32, 49, 0.5, () => rng.uniform()), [32, 49]);
    const model = new ImageEnergyTransformer({ block: tiny, seed: 1 });
    const opt = tf.train.adam(1e-2);
    const vars = Object.values(model.variables());
    const before = tf.tidy(() => model.loss(images, hidden).dataSync()[0]!);
    for (let i = 0; i < 12; i++) opt.minimize(() => model.loss(images, hidden), false, vars);
    const after = tf.tidy(() => model.loss(images, hidden).dataSync()[0]!);
    expect(after).to.be.lessThan(0.6 * before);
    const two = images.slice([0, 0], [2, 784]);
    const h2 = hidden.slice([0, 0], [2, 49]);
    const done = model.complete(two, h2);
    const visible = tf.tidy(() => tf.max(tf.abs(tf.mul(tf.sub(1, tf.expandDims(h2, 2)), tf.sub(patchify(done, model.geometry), patchify(two, model.geometry))))).dataSync()[0]!);
    expect(visible).to.equal(0);
    // ... and fill the hidden ones with the decoder's prediction.
    const pred = model.predict(patchify(two, model.geometry), h2);
    const inHidden = tf.tidy(() => tf.max(tf.abs(tf.mul(tf.expandDims(h2, 2), tf.sub(patchify(done, model.geometry), pred)))).dataSync()[0]!);
    expect(inHidden).to.be.lessThan(1e-5);
    tf.dispose([images, hidden, two, h2, done, pred]);
    opt.dispose();
    model.dispose();
  });

  it('streams the completion forming across the steps in its image layer, the hidden mask held', async () => {
    const model = new ImageEnergyTransformer({ block: tiny });
    const img = tf.randomUniform([1, 784], 0, 1, 'float32', 2);
    const hidden = tf.tensor2d([Array.from({ length: 49 }, (_, i) => (i % 2 ? 1 : 0))]);
    const before = tf.memory().numTensors;
    const evs = await lastValueFrom(model.run({ initial: { [IMAGE]: img, [HIDDEN]: hidden }, snapshot: [IMAGE, HIDDEN] }).pipe(toArray()));
    expect(evs).to.have.length(4);
    expect(Object.keys(evs[0]!.energyTree!)).to.deep.equal(['tokens', 'attention', 'hopfield']);
    const frames = evs.map((e) => e.states![IMAGE]!.data);
    expect(frames.every((f) => f.length === 784)).to.equal(true);
    expect(Array.from(evs[3]!.states![HIDDEN]!.data)).to.deep.equal(Array.from(hidden.dataSync()));
    // Visible pixels never change; hidden ones do, and the last frame is `complete`.
    const geo = model.geometry;
    const patch = (f: Float32Array, k: number): number[] => tf.tidy(() => Array.from(patchify(tf.tensor2d(f, [1, 784]), geo).slice([0, k, 0], [1, 1, 16]).dataSync()));
    const patch0 = (f: Float32Array): number[] => patch(f, 0);
    const patch1 = (f: Float32Array): number[] => patch(f, 1);
    expect(patch0(frames[3]!)).to.deep.equal(patch0(Float32Array.from(img.dataSync())));
    expect(patch1(frames[3]!)).to.not.deep.equal(patch1(frames[0]!));
    const done = model.complete(img, hidden);
    expect(tf.tidy(() => maxDiff(done, tf.tensor2d(frames[3]!, [1, 784])))).to.be.lessThan(1e-5);
    done.dispose();
    expect(tf.memory().numTensors, 'after run and complete').to.equal(before);
    tf.dispose([img, hidden]);
    model.dispose();
  });

  it('streams leak no tensors when they complete, are cancelled or fail', async () => {
    const model = new ImageEnergyTransformer({ block: tiny });
    const img = tf.randomUniform([2, 784], 0, 1, 'float32', 2);
    const hidden = tf.tidy(() => tf.cast(tf.greater(tf.randomUniform([2, 49], 0, 1, 'float32', 3), 0.5), 'float32'));
    const bad = tf.fill([2, 49], 0.5);
    const before = tf.memory().numTensors;
    await lastValueFrom(model.run({ initial: { image: img, hidden }, snapshot: true }).pipe(toArray()));
    await lastValueFrom(model.run({ initial: { image: img, hidden }, maxSteps: 50 }).pipe(take(2), toArray()));
    const sub = model.run({ initial: { image: img, hidden }, maxSteps: 1000 }).subscribe();
    await tick(20);
    sub.unsubscribe();
    await tick(20);
    expect(tf.memory().numTensors, 'complete and cancel').to.equal(before);
    await streamError(model.run({ initial: { image: img, hidden: bad } }));
    await streamError(model.run({ initial: { hidden } }));
    await streamError(model.run({ initial: { image: img, hidden }, maxSteps: -1 }));
    expect(tf.memory().numTensors, 'errors').to.equal(before);
    tf.dispose([img, hidden, bad]);
    model.dispose();
  });

  it('bad input is a coded error (notifications for run), a bad config names the key', async () => {
    const model = new ImageEnergyTransformer({ block: tiny });
    const img = tf.randomUniform([1, 784], 0, 1, 'float32', 2);
    expect((await streamError(model.run({ initial: { hidden: tf.zeros([1, 49]) } }))).message).to.match(/initial\.image/);
    expect((await streamError(model.run({ initial: { image: img, hidden: tf.fill([1, 49], 2) } }))).message).to.match(/hidden/);
    expect((await streamError(model.run({ initial: { image: tf.zeros([1, 783]) } }))).code).to.equal(ErrorCodes.SHAPE_MISMATCH);
    expect((await streamError(model.run({ initial: { imag: img } as never }))).message).to.match(/did you mean 'image'/);
    expect((await streamError(model.run({ initial: img }))).code).to.equal(ErrorCodes.INVALID_ARGUMENT);
    expect(codeOf(() => model.complete(img, tf.zeros([1, 48])))).to.equal(ErrorCodes.SHAPE_MISMATCH);
    const patch = errorOf(() => new ImageEnergyTransformer({ patchSize: 5 }));
    expect(patch.code).to.equal(ErrorCodes.INVALID_CONFIG);
    expect(patch.message).to.match(/'patchSize'/).and.match(/divisor of imageSize 28/);
    expect(errorOf(() => new ImageEnergyTransformer({ block: { ...tiny, heds: 2 } as never })).message).to.match(/block/).and.match(/did you mean 'heads'/);
    const state = model.initialState({ image: img });
    expect(Object.keys(state)).to.deep.equal([IMAGE, HIDDEN, TOKENS]);
    expect(state[TOKENS]!.shape).to.deep.equal([1, 50, 16]);
    // Nothing hidden: the image layer is the image.
    expect(maxDiff(state[IMAGE]!, img)).to.equal(0);
    tf.dispose([img, ...Object.values(state)]);
    model.dispose();
  });
});
