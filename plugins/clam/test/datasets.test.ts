import { expect } from 'chai';
import { createEngram, ErrorCodes, type Engram } from '@engram/core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  clamPlugin,
  dataDirectory,
  fitStandardization,
  gaussianBlobs,
  loadShippedDataset,
  loadShippedDatasetFromUrl,
  parseLabelledTable,
  shippedDatasetFromText,
  SHIPPED_DATASETS,
  standardize,
} from '../src/node/index.js';
import { expectCode, expectRejectCode } from './helpers.js';

/** The shipped data sets load with the sizes and class counts of the paper, through the registry too. */
describe('data sets', () => {
  let engram: Engram;
  before(async () => {
    engram = await createEngram({ plugins: [clamPlugin] });
  });

  it('at least six of the paper\'s data sets are shipped, each with its n x d and k', () => {
    expect(SHIPPED_DATASETS.length).to.be.at.least(6);
    for (const info of SHIPPED_DATASETS) {
      const t = loadShippedDataset(info.id);
      expect([t.n, t.d, t.classNames.length], info.id).to.deep.equal([info.samples, info.features, info.k]);
      expect(Math.max(...t.labels)).to.equal(info.k - 1);
    }
  });

  it('standardised features have mean 0 and variance 1 (constant columns only centred)', () => {
    const x = standardize(loadShippedDataset('ecoli'));
    const s = fitStandardization(x);
    for (let j = 0; j < x.d; j++) {
      expect(s.mean[j]).to.be.closeTo(0, 1e-12);
      expect(s.scale[j]).to.be.closeTo(1, 1e-12);
    }
    const c = standardize({ n: 3, d: 2, data: Float64Array.from([1, 5, 2, 5, 3, 5]) });
    expect(Array.from(c.data).filter((_, i) => i % 2 === 1)).to.deep.equal([0, 0, 0]);
  });

  it("resolve through the registry as ArrayDatasets ('clam/zoo', 'clam/blobs')", async () => {
    const zoo = await engram.dataset('clam/zoo', { standardize: true });
    expect([zoo.count, zoo.shape[0], zoo.classes]).to.deep.equal([101, 16, 7]);
    const blobs = await engram.dataset('clam/blobs', { count: 30, size: 3, clusters: 2, seed: 1 });
    expect(blobs.data.length).to.equal(90);
    expect(Array.from(blobs.data)).to.deep.equal(Array.from(gaussianBlobs({ count: 30, size: 3, clusters: 2, seed: 1 }).data));
    await expectRejectCode(engram.dataset('clam/zoo', { standardise: true }), ErrorCodes.INVALID_CONFIG);
  });

  it('unknown ids and damaged files are coded errors', () => {
    expectCode(() => loadShippedDataset('iris'), ErrorCodes.UNKNOWN_KIND);
    expectCode(() => parseLabelledTable('1,2,a\n1,x,b\n', 'bad.csv'), ErrorCodes.CORRUPT_DATA);
    expectCode(() => parseLabelledTable('1,2,a\n1,b\n', 'bad.csv'), ErrorCodes.CORRUPT_DATA);
    expectCode(() => parseLabelledTable('\n', 'empty.csv'), ErrorCodes.CORRUPT_DATA);
  });

  it('parse from text and fetch from a URL (the browser-safe entry) to the same table as the file', async () => {
    const fromFile = loadShippedDataset('ecoli');
    const text = readFileSync(join(dataDirectory(), 'ecoli.data'), 'utf8');
    expect(shippedDatasetFromText('ecoli', text)).to.deep.equal({ ...fromFile, info: fromFile.info });
    const asked: string[] = [];
    const fetch = async (url: string) => {
      asked.push(url);
      const ok = url.endsWith('/ecoli.data');
      return { ok, status: ok ? 200 : 404, text: async () => (ok ? text : 'not found') };
    };
    const fetched = await loadShippedDatasetFromUrl('ecoli', { url: 'https://example.org/clam', fetch });
    expect(asked).to.deep.equal(['https://example.org/clam/ecoli.data']);
    expect(Array.from(fetched.labels)).to.deep.equal(Array.from(fromFile.labels));
    await expectRejectCode(loadShippedDatasetFromUrl('zoo', { url: 'https://example.org/clam/', fetch }), ErrorCodes.DATA_NOT_FOUND);
    await expectRejectCode(loadShippedDatasetFromUrl('iris', { url: 'x/', fetch }), ErrorCodes.UNKNOWN_KIND);
    await expectRejectCode(loadShippedDatasetFromUrl('zoo', { url: '', fetch }), ErrorCodes.INVALID_ARGUMENT);
    expectCode(() => shippedDatasetFromText('zoo', text), ErrorCodes.CORRUPT_DATA);
  });
});
