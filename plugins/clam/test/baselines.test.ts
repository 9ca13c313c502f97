import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { ErrorCodes } from '@engram/core';
import { adjustedRandIndex, agglomerative, gaussianBlobs, kMeans, loadShippedDataset, silhouetteScore, softKMeans, standardize, type HostMatrix } from '../src/node/index.js';
import { expectCode } from './helpers.js';

/**
 * The baselines against known results: k-means++ / Lloyd (mljs' ml-kmeans)
 * reaches scikit-learn's best inertia over 200 restarts, our NN-chain
 * agglomerative clustering reproduces scikit-learn's AgglomerativeClustering
 * partitions, and soft k-means behaves as its two limits say.
 */
interface Reference {
  datasets: Record<string, { k: number; kmeansInertia: number; agglomerative: Record<string, { labels: number[]; silhouette: number }> }>;
}
const ref = JSON.parse(readFileSync(new URL('./fixtures/sklearn-reference.json', import.meta.url), 'utf8')) as Reference;

describe('baselines', () => {
  for (const id of ['zoo', 'ecoli']) {
    it(`${id}: k-means++ with 50 restarts reaches scikit-learn's best inertia (n_init = 200) within 0.5 %`, () => {
      const x = standardize(loadShippedDataset(id));
      const r = kMeans(x, ref.datasets[id]!.k, { restarts: 50, seed: 1 });
      expect(r.inertia).to.be.at.most(ref.datasets[id]!.kmeansInertia * 1.005);
      expect(r.inertias).to.have.length(50);
      expect(Math.min(...r.inertias)).to.equal(r.inertia);
    });
  }

  for (const id of ['zoo', 'ecoli', 'libras']) {
    it(`${id}: agglomerative ward, average and complete give scikit-learn's partitions`, () => {
      const x = standardize(loadShippedDataset(id));
      for (const linkage of ['ward', 'average', 'complete'] as const) {
        const want = ref.datasets[id]!.agglomerative[linkage]!;
        const got = agglomerative(x, ref.datasets[id]!.k, linkage);
        expect(adjustedRandIndex(want.labels, got), `${linkage} partition`).to.equal(1);
        expect(silhouetteScore(x, got)).to.be.closeTo(want.silhouette, 1e-9);
      }
    });
  }

  it('soft k-means: stiff, it is k-means on separated blobs; soft, every centre goes to the mean', () => {
    const b = gaussianBlobs({ count: 60, size: 2, clusters: 3, seed: 2, spread: 0.3 });
    const x: HostMatrix = { n: 60, d: 2, data: Float64Array.from(b.data) };
    const stiff = softKMeans(x, 3, { stiffness: 50, seed: 1 });
    expect(adjustedRandIndex(b.labels, stiff.labels)).to.equal(1);
    const soft = softKMeans(standardize(x), 3, { stiffness: 1e-3, seed: 1 });
    for (let i = 0; i < soft.centers.data.length; i++) expect(Math.abs(soft.centers.data[i]!)).to.be.lessThan(1e-2);
  });

  it('bad k and bad settings are coded errors', () => {
    const x: HostMatrix = { n: 3, d: 1, data: Float64Array.from([0, 1, 2]) };
    expectCode(() => kMeans(x, 1), ErrorCodes.INVALID_ARGUMENT);
    expectCode(() => kMeans(x, 4), ErrorCodes.INVALID_ARGUMENT);
    expectCode(() => agglomerative(x, 4), ErrorCodes.INVALID_ARGUMENT);
    expectCode(() => agglomerative(x, 2, 'median' as never), ErrorCodes.INVALID_ARGUMENT);
    expectCode(() => softKMeans(x, 2, { stiffness: -1 }), ErrorCodes.INVALID_ARGUMENT);
  });
});
