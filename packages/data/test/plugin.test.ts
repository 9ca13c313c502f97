import { expect } from 'chai';
import { createEngram, isEngramError, ErrorCodes } from '@engram/core';
import dataPlugin, { type FashionMnistSet, type Patterns } from '../src/index.js';

describe('@engram/data as a plugin', () => {
  it('contributes its data sets by id, loadable through an Engram', async () => {
    const engram = await createEngram({ plugins: [dataPlugin] });
    expect(engram.ids('dataset')).to.deep.equal(['data/fashion-mnist', 'data/binary-patterns', 'data/gaussian-patterns']);
    const set = await engram.dataset<FashionMnistSet>('data/fashion-mnist', { split: 'test', source: 'subset', limit: 20 });
    expect(set.count).to.equal(20);
    expect(set.images.length).to.equal(20 * 784);
    const p = await engram.dataset<Patterns>('data/binary-patterns', { count: 4, dim: 50, seed: 3, bias: 0.5 });
    expect(p.shape).to.deep.equal([4, 50]);
    const again = await engram.dataset<Patterns>('data/binary-patterns', { count: 4, dim: 50, seed: 3, bias: 0.5 });
    expect(Array.from(again.data)).to.deep.equal(Array.from(p.data));
    expect(Array.from(p.data).every((v) => v === 1 || v === -1)).to.equal(true);
  });

  it('rejects bad options with coded errors', async () => {
    const engram = await createEngram({ plugins: [dataPlugin] });
    const err = await engram.dataset('data/fashion-mnist', { split: 'validation' }).catch((e: unknown) => e);
    expect(isEngramError(err, ErrorCodes.INVALID_ARGUMENT), String(err)).to.equal(true);
    const err2 = await engram.dataset('data/binary-patterns', { count: -1 }).catch((e: unknown) => e);
    expect(String(err2)).to.match(/'count' must be a positive integer, got -1/);
  });
});
