import { expect } from 'chai';
import { createEngram, isEngramError, ErrorCodes } from '@engram/core';
import dataPlugin from '../src/index.js';

describe('@engram/data as a plugin', () => {
  it('contributes its data sets by id, each an ArrayDataset', async () => {
    const engram = await createEngram({ plugins: [dataPlugin] });
    expect(engram.ids('dataset')).to.deep.equal(['data/fashion-mnist', 'data/binary-patterns', 'data/gaussian-patterns']);
    const set = await engram.dataset('data/fashion-mnist', { split: 'test', source: 'subset', limit: 20 });
    expect(set.count).to.equal(20);
    expect(set.shape).to.deep.equal([28, 28]);
    expect(set.data.length).to.equal(20 * 784);
    expect(set.labels!.length).to.equal(20);
    expect(set.classes).to.equal(10);
    const p = await engram.dataset('data/binary-patterns', { count: 4, size: 50, seed: 3, bias: 0.5 });
    expect(p.shape).to.deep.equal([50]);
    const again = await engram.dataset('data/binary-patterns', { count: 4, size: 50, seed: 3, bias: 0.5 });
    expect(Array.from(again.data)).to.deep.equal(Array.from(p.data));
    expect(Array.from(p.data).every((v) => v === 1 || v === -1)).to.equal(true);
  });

  it('rejects bad options with coded errors naming the key', async () => {
    const engram = await createEngram({ plugins: [dataPlugin] });
    const err = await engram.dataset('data/fashion-mnist', { split: 'validation' }).catch((e: unknown) => e);
    expect(isEngramError(err, ErrorCodes.INVALID_CONFIG), String(err)).to.equal(true);
    expect(String(err)).to.match(/'split' of data\/fashion-mnist must be one of 'train', 'test', got 'validation'/);
    const err2 = await engram.dataset('data/binary-patterns', { count: -1 }).catch((e: unknown) => e);
    expect(String(err2)).to.match(/'count' of data\/binary-patterns must be a number > 0, got -1/);
    const err3 = await engram.dataset('data/gaussian-patterns', { dim: 3 }).catch((e: unknown) => e);
    expect(String(err3)).to.match(/unknown key 'dim'/);
  });
});
