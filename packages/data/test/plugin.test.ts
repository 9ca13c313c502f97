import { expect } from 'chai';
import { createEngram, isEngramError, ErrorCodes } from '@engram/core';
import dataPlugin from '../src/node/index.js';
import { dataPlugin as browserPlugin, FASHION_MNIST_DEFAULT_URL } from '../src/index.js';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FASHION_MNIST_SUBSET_DIR } from '../src/node/index.js';

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

describe('@engram/data in the browser (over HTTP)', () => {
  it("the main entry's plugin fetches the subset from a URL and decodes it with DecompressionStream", async () => {
    const server = createServer((req, res) => {
      const name = (req.url ?? '').split('/').pop()!;
      if (!(req.url ?? '').startsWith('/data/')) {
        res.statusCode = 404;
        res.end();
        return;
      }
      try {
        res.end(readFileSync(join(FASHION_MNIST_SUBSET_DIR, name)));
      } catch {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const engram = await createEngram({ plugins: [browserPlugin] });
      const set = await engram.dataset('data/fashion-mnist', { split: 'test', limit: 12, url: `http://127.0.0.1:${port}/data/` });
      expect(set.count).to.equal(12);
      expect(set.shape).to.deep.equal([28, 28]);
      const node = await (await createEngram({ plugins: [dataPlugin] })).dataset('data/fashion-mnist', { split: 'test', source: 'subset', limit: 12 });
      expect(Array.from(set.data)).to.deep.equal(Array.from(node.data));
      expect(Array.from(set.labels!)).to.deep.equal(Array.from(node.labels!));
      const missing = await engram.dataset('data/fashion-mnist', { split: 'test', url: `http://127.0.0.1:${port}/nothing-here/x/` }).catch((e: unknown) => e);
      expect(isEngramError(missing, ErrorCodes.DATA_NOT_FOUND), String(missing)).to.equal(true);
      expect(FASHION_MNIST_DEFAULT_URL).to.equal('data/fashion-mnist-subset/');
    } finally {
      server.close();
    }
  });
});
