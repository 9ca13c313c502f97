import { existsSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { ErrorCodes, initBackend, isEngramError } from '@engram/core';
import { loadFashionMnistSubset } from '@engram/data/node';
import { imageCompletion } from '../src/index.js';
import { main } from '../examples/fashion-completion.js';

describe('Fashion-MNIST completion (committed subset)', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('modern and DrDAM complete half-occluded images: right image retrieved, hidden-pixel MSE falls', async () => {
    const set = loadFashionMnistSubset({ split: 'train' });
    const before = tf.memory().numTensors;
    const { rows, frames } = await imageCompletion({
      images: set.images,
      memories: [20, 100],
      queries: 20,
      drdam: { features: 8000, maxSteps: 15 },
      frames: 2,
      framesPerRun: 4,
    });
    expect(tf.memory().numTensors).to.equal(before);
    expect(rows.map((r) => `${r.model}:${r.memories}`)).to.deep.equal(['modern:20', 'drdam:20', 'modern:100', 'drdam:100']);
    const row = (m: string, k: number) => rows.find((r) => r.model === m && r.memories === k)!;
    const acc = (m: string, k: number) => row(m, k).accuracy;
    // Modern: the hidden half is filled in well; DrDAM (random-feature noise at Y = 8000): clearly better than the query.
    for (const k of [20, 100]) expect(row('modern', k).mse).to.be.lessThan(row('modern', k).mseBefore * 0.25);
    expect(row('drdam', 20).mse).to.be.lessThan(row('drdam', 20).mseBefore * 0.6);
    expect(acc('modern', 20)).to.be.at.least(0.8);
    expect(acc('modern', 100)).to.be.at.least(0.6);
    expect(acc('drdam', 20)).to.be.at.least(0.6);
    expect(frames[0]!.strips).to.have.length(2);
    expect(frames[0]!.strips[0]).to.have.length(5); // original + 4 frames
  });

  it('rejects bad options with coded errors', async () => {
    const bad = async (f: () => Promise<unknown>) => {
      try {
        await f();
      } catch (e) {
        return isEngramError(e) ? e.code : 'other';
      }
      return 'none';
    };
    const images = new Float32Array(784 * 3);
    expect(await bad(() => imageCompletion({ images, memories: [4] }))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    expect(await bad(() => imageCompletion({ images: new Float32Array(100), memories: [1] }))).to.equal(ErrorCodes.SHAPE_MISMATCH);
    expect(await bad(() => imageCompletion({ images, memories: [] }))).to.equal(ErrorCodes.INVALID_CONFIG);
    expect(await bad(() => imageCompletion({ images, memories: [1], counts: [1] } as never))).to.equal(ErrorCodes.INVALID_CONFIG);
    expect(await bad(() => imageCompletion({ images, memories: [1], drdam: { features: 0 } }))).to.equal(ErrorCodes.INVALID_CONFIG);
  });

  it('the example script runs in a reduced configuration and writes the PNG grids, plots and results', async () => {
    const out = mkdtempSync(join(tmpdir(), 'hopfield-completion-'));
    try {
      const summary = await main(['--subset', '--memories', '10,30', '--queries', '6', '--features', '2000', '--steps', '6', '--out', out], () => {});
      expect(summary.source).to.equal('subset');
      expect(summary.rows).to.have.length(4);
      const png = summary.files.find((f) => f.endsWith('.png'))!;
      expect(existsSync(png)).to.equal(true);
      expect([...readFileSync(png).subarray(0, 4)]).to.deep.equal([0x89, 0x50, 0x4e, 0x47]);
      expect(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')).rows).to.have.length(4);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
