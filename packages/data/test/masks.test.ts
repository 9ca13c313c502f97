import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { ErrorCodes, initBackend } from '@engram/core';
import { applyMask, invertMask, occlusionMask, type HostArray } from '../src/index.js';
import { loadFashionMnistSubset } from '../src/node/index.js';
import { expectCode } from './helpers.js';

/** Mask as rows of a 2-D picture, for readable expectations. */
function grid(mask: HostArray): string[] {
  const [h, w] = mask.shape as [number, number];
  return Array.from({ length: h }, (_, r) => Array.from(mask.data.subarray(r * w, (r + 1) * w)).join(''));
}

const sum = (xs: ArrayLike<number>): number => Array.from(xs).reduce((a, b) => a + b, 0);

describe('occlusion masks', () => {
  it('half masks hide the named side (1 = visible, 0 = occluded)', () => {
    expect(grid(occlusionMask([2, 4], 'left-half'))).to.deep.equal(['0011', '0011']);
    expect(grid(occlusionMask([2, 4], 'right-half'))).to.deep.equal(['1100', '1100']);
    expect(grid(occlusionMask([4, 2], 'top-half'))).to.deep.equal(['00', '00', '11', '11']);
    expect(grid(occlusionMask([4, 2], 'bottom-half'))).to.deep.equal(['11', '11', '00', '00']);
    expect(grid(occlusionMask([3, 4], 'bottom-half', 1 / 3))).to.deep.equal(['1111', '1111', '0000']);
    expect(grid(occlusionMask([2, 4], 'left-half', 0.25))).to.deep.equal(['0111', '0111']);
    expect(Array.from(occlusionMask([5], 'right-half', 0.4).data)).to.deep.equal([1, 1, 1, 0, 0]);
    expect(Array.from(occlusionMask([5], 'top-half', 0.4).data)).to.deep.equal([0, 0, 1, 1, 1]);
  });

  it('a 28x28 bottom half hides rows 14..27 exactly', () => {
    const m = occlusionMask([28, 28], 'bottom-half');
    expect(sum(m.data)).to.equal(14 * 28);
    expect(m.data[13 * 28 + 5]).to.equal(1);
    expect(m.data[14 * 28 + 5]).to.equal(0);
  });

  it('channels of a pixel share its value', () => {
    const m = occlusionMask([2, 2, 3], 'right-half');
    expect(Array.from(m.data)).to.deep.equal([1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0]);
    const r = occlusionMask([10, 10, 2], 'random', 0.3, 4);
    for (let p = 0; p < 100; p++) expect(r.data[2 * p]).to.equal(r.data[2 * p + 1]);
  });

  it('random masks hide exactly round(fraction * pixels), seeded', () => {
    const a = occlusionMask([28, 28], 'random', 0.25, 1);
    expect(784 - sum(a.data)).to.equal(196);
    expect(occlusionMask([28, 28], 'random', 0.25, 1).data).to.deep.equal(a.data);
    expect(occlusionMask([28, 28], 'random', 0.25, 2).data).to.not.deep.equal(a.data);
    // Spread over the image, not a block: both halves lose pixels.
    expect(sum(a.data.subarray(0, 392))).to.be.below(392);
    expect(sum(a.data.subarray(392))).to.be.below(392);
    expect(sum(occlusionMask([7], 'random', 0).data)).to.equal(7);
    expect(sum(occlusionMask([7], 'random', 1).data)).to.equal(0);
  });

  it('invertMask selects the occluded region', () => {
    const m = occlusionMask([2, 4], 'left-half');
    expect(grid(invertMask(m))).to.deep.equal(['1100', '1100']);
  });

  it('rejects bad shapes, kinds and fractions', () => {
    expectCode(() => occlusionMask([], 'left-half'), ErrorCodes.INVALID_ARGUMENT, 'shape');
    expectCode(() => occlusionMask([1, 2, 3, 4], 'left-half'), ErrorCodes.INVALID_ARGUMENT, 'shape');
    expectCode(() => occlusionMask([2, 0], 'left-half'), ErrorCodes.INVALID_ARGUMENT, 'shape[1]');
    expectCode(() => occlusionMask([2, 2], 'center' as 'left-half'), ErrorCodes.INVALID_ARGUMENT, 'kind');
    expectCode(() => occlusionMask([2, 2], 'random', 1.5), ErrorCodes.INVALID_ARGUMENT, 'fraction');
  });
});

describe('applyMask', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('host arrays: per-sample mask over a batch, occluded entries set to fill (NaN-safe)', () => {
    const mask = occlusionMask([2, 2], 'left-half');
    const x = { data: Float32Array.from([1, 2, 3, 4, 5, NaN, 7, 8]), shape: [2, 4] };
    // mask = [0, 1, 0, 1] per 4-entry sample; the NaN at index 5 is visible, so it stays.
    expect(Array.from(applyMask(x, mask).data)).to.deep.equal([0, 2, 0, 4, 0, NaN, 0, 8]);
    expect(Array.from(applyMask(x, mask, -1).data)).to.deep.equal([-1, 2, -1, 4, -1, NaN, -1, 8]);
    const hiddenNaN = { data: Float32Array.from([NaN, 2, NaN, 4]), shape: [4] };
    expect(Array.from(applyMask(hiddenNaN, mask, 9).data)).to.deep.equal([9, 2, 9, 4]);
    // shape kept, input untouched
    expect(applyMask(x, mask).shape).to.deep.equal([2, 4]);
    expect(x.data[0]).to.equal(1);
  });

  it('applies a [28, 28] mask to real images, flat [n, 784] and as tensors [n, 28, 28, 1], identically', async () => {
    const set = loadFashionMnistSubset({ split: 'test', limit: 8 });
    const mask = occlusionMask([28, 28], 'bottom-half');
    const host = applyMask({ data: set.images, shape: set.shape }, mask, 0.5);
    for (let n = 0; n < 8; n++) {
      for (let p = 0; p < 784; p++) {
        const expected = p < 14 * 28 ? set.images[n * 784 + p]! : 0.5;
        if (host.data[n * 784 + p] !== expected) throw new Error(`image ${n} pixel ${p}: ${host.data[n * 784 + p]} != ${expected}`);
      }
    }
    const before = tf.memory().numTensors;
    const x = tf.tensor(set.images, [8, 28, 28, 1]);
    const y = applyMask(x, mask, 0.5);
    expect(y.shape).to.deep.equal([8, 28, 28, 1]);
    expect(Array.from(await y.data())).to.deep.equal(Array.from(host.data));
    const maskTensor = tf.tensor(mask.data, [28, 28]);
    const z = applyMask(x, maskTensor, 0.5);
    expect(Array.from(await z.data())).to.deep.equal(Array.from(host.data));
    // NaN (missing) entries under the occluded part do not leak through.
    const nanInput = tf.tensor([[NaN, 1, NaN, 2]]);
    const w = applyMask(nanInput, { data: Float32Array.from([0, 1, 0, 1]), shape: [4] }, 3);
    expect(Array.from(await w.data())).to.deep.equal([3, 1, 3, 2]);
    tf.dispose([x, y, maskTensor, z, nanInput, w]);
    expect(tf.memory().numTensors).to.equal(before);
  });

  it('rejects a mask that does not fit the trailing dims', () => {
    const mask = occlusionMask([28, 28], 'left-half');
    expectCode(() => applyMask({ data: new Float32Array(2 * 780), shape: [2, 780] }, mask), ErrorCodes.SHAPE_MISMATCH, '784');
    const before = tf.memory().numTensors;
    const x = tf.zeros([2, 27, 29]);
    expectCode(() => applyMask(x, mask), ErrorCodes.SHAPE_MISMATCH);
    x.dispose();
    expect(tf.memory().numTensors).to.equal(before);
  });
});
