import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { ErrorCodes, initBackend } from '@engram/core';
import { adjustedRandIndex, inertiaOf, loadShippedDataset, silhouetteSamples, silhouetteScore, standardize } from '../src/node/index.js';
import { expectCode, randomRows } from './helpers.js';

/**
 * Silhouette and ARI against scikit-learn's values (test/fixtures, made by
 * scripts/sklearn-reference.py with scikit-learn 1.2.1 on the shipped data).
 */
interface Reference {
  datasets: Record<string, { k: number; standardizedFirstRow: number[]; silhouetteOfClasses: number; kmeansLabels: number[]; kmeansSilhouette: number; kmeansAri: number }>;
  ari: { a: number[]; b: number[]; ari: number }[];
}
const ref = JSON.parse(readFileSync(new URL('./fixtures/sklearn-reference.json', import.meta.url), 'utf8')) as Reference;

describe('metrics against scikit-learn', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  for (const id of ['zoo', 'ecoli', 'libras']) {
    it(`${id}: standardisation, Silhouette of the classes and of k-means' labels, ARI (1e-9)`, () => {
      const r = ref.datasets[id]!;
      const t = loadShippedDataset(id);
      const x = standardize(t);
      r.standardizedFirstRow.forEach((v, j) => expect(x.data[j]).to.be.closeTo(v, 1e-9));
      expect(silhouetteScore(x, t.labels)).to.be.closeTo(r.silhouetteOfClasses, 1e-9);
      expect(silhouetteScore(x, r.kmeansLabels)).to.be.closeTo(r.kmeansSilhouette, 1e-9);
      expect(adjustedRandIndex(t.labels, r.kmeansLabels)).to.be.closeTo(r.kmeansAri, 1e-9);
    });
  }

  it('the float32 block path of the Silhouette agrees with the float64 one', () => {
    const t = loadShippedDataset('ecoli');
    const x = standardize(t);
    const exact = silhouetteScore(x, t.labels);
    const blocks = silhouetteScore(x, t.labels, { hostLimit: 0, blockRows: 50 });
    expect(blocks).to.be.closeTo(exact, 1e-4);
  });

  it('ARI on hand-made labelings (identical up to renaming, degenerate, negative)', () => {
    for (const { a, b, ari } of ref.ari) expect(adjustedRandIndex(a, b), `${a} vs ${b}`).to.be.closeTo(ari, 1e-12);
  });

  it('a singleton cluster scores 0; fewer than 2 clusters or a label per sample is an error', () => {
    const x = { n: 4, d: 1, data: Float64Array.from([0, 0.1, 5, 9]) };
    const s = silhouetteSamples(x, [0, 0, 1, 2]);
    expect(s[2]).to.equal(0);
    expect(s[3]).to.equal(0);
    expectCode(() => silhouetteScore(x, [0, 0, 0, 0]), ErrorCodes.INVALID_ARGUMENT);
    expectCode(() => silhouetteScore(x, [0, 1, 2, 3]), ErrorCodes.INVALID_ARGUMENT);
    expectCode(() => silhouetteScore(x, [0, 1]), ErrorCodes.SHAPE_MISMATCH);
    expectCode(() => silhouetteScore(x, [0, 1, -1, 1]), ErrorCodes.INVALID_ARGUMENT);
    expectCode(() => adjustedRandIndex([0, 1], [0]), ErrorCodes.SHAPE_MISMATCH);
  });

  it('inertia is the sum of squared distances to the assigned centres', () => {
    const rows = randomRows(10, 3, 5);
    const x = { n: 10, d: 3, data: Float64Array.from(rows.flat()) };
    const centers = { n: 2, d: 3, data: Float64Array.from([0, 0, 0, 1, 1, 1]) };
    const labels = rows.map((_, i) => i % 2);
    const want = rows.reduce((s, r, i) => s + r.reduce((a, v) => a + (v - (i % 2)) ** 2, 0), 0);
    expect(inertiaOf(x, labels, centers)).to.be.closeTo(want, 1e-9);
  });
});
