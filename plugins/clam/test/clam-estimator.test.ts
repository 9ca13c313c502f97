import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { lastValueFrom, take, toArray } from 'rxjs';
import { ErrorCodes, initBackend } from '@engram/core';
import { adjustedRandIndex, Clam, gaussianBlobs, readMatrix, silhouetteScore, standardize, type HostMatrix } from '../src/index.js';
import { expectCode, expectRejectCode, tensors, tick } from './helpers.js';

/** The scikit-learn-like estimator: fit / predict / fitPredict and friends, its errors, its stream, its leaks. */
function blobs(count: number, clusters: number, seed: number): { x: HostMatrix; truth: Int32Array } {
  const b = gaussianBlobs({ count, size: 2, clusters, seed, spread: 0.3 });
  return { x: standardize({ n: count, d: 2, data: Float64Array.from(b.data) }), truth: b.labels };
}

describe('Clam estimator', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('fitPredict recovers well-separated blobs; predict, prototypes, inertia and silhouette agree with each other', async () => {
    const { x, truth } = blobs(48, 3, 4);
    const clam = new Clam({ k: 3, beta: 2.4, lr: 0.1, epochs: 6, init: 'kmeans++' });
    const labels = await clam.fitPredict(x);
    expect(adjustedRandIndex(truth, labels)).to.be.greaterThan(0.9);
    expect(Array.from(clam.predict(x))).to.deep.equal(Array.from(labels));
    const protos = clam.prototypes();
    expect(protos).to.have.length(3);
    expect(protos[0]).to.have.length(2);
    let inertia = 0;
    for (let i = 0; i < x.n; i++) inertia += (x.data[2 * i]! - protos[labels[i]!]![0]!) ** 2 + (x.data[2 * i + 1]! - protos[labels[i]!]![1]!) ** 2;
    expect(clam.inertia()).to.be.closeTo(inertia, 1e-4 * inertia);
    expect(clam.silhouette()).to.be.closeTo(silhouetteScore(x, labels), 1e-12);
    expect(clam.history.length).to.equal(6);
    expect(clam.model.kind).to.equal('clam/clam');
    clam.dispose();
  });

  it('takes rows, tensors and flat arrays alike, and the same seed gives the same prototypes', async () => {
    const { x } = blobs(30, 2, 5);
    const rows = Array.from({ length: x.n }, (_, i) => [x.data[2 * i]!, x.data[2 * i + 1]!]);
    const fits = [];
    for (const input of [rows, { data: x.data, shape: [x.n, 2] as [number, number] }, tf.tensor2d(rows)]) {
      const c = new Clam({ k: 2, epochs: 2, seed: 3 });
      await c.fit(input);
      fits.push(c.prototypes());
      c.dispose();
      if (input instanceof tf.Tensor) input.dispose();
    }
    // Equal to float32 rounding: with the native path the first fit of a process can differ
    // from later ones in the last bit (kernels chosen per process state), never more.
    for (const f of fits.slice(1)) {
      f.forEach((row, i) => row.forEach((v, j) => expect(v).to.be.closeTo(fits[0]![i]![j]!, 1e-6)));
    }
  });

  it('bad input gives coded errors: k < 2, k > n, NaN rows, empty data, ragged rows, mismatched dims', async () => {
    expectCode(() => new Clam({ k: 1 }), ErrorCodes.INVALID_CONFIG);
    expectCode(() => new Clam({ k: 3, betta: 1 } as never), ErrorCodes.INVALID_CONFIG);
    const c = new Clam({ k: 3, epochs: 1 });
    await expectRejectCode(c.fit([[0, 1], [1, 0]]), ErrorCodes.INVALID_ARGUMENT); // k > n
    await expectRejectCode(c.fit([[0, 1], [NaN, 0], [1, 1], [2, 2]]), ErrorCodes.NON_FINITE);
    await expectRejectCode(c.fit([]), ErrorCodes.INVALID_ARGUMENT);
    await expectRejectCode(c.fit({ data: [], shape: [0, 3] }), ErrorCodes.INVALID_ARGUMENT);
    await expectRejectCode(c.fit([[0, 1], [1], [1, 1]]), ErrorCodes.SHAPE_MISMATCH);
    expectCode(() => c.predict([[0, 1]]), ErrorCodes.INVALID_ARGUMENT); // not fitted
    await c.fit([[0, 1], [1, 0], [1, 1], [5, 5]]);
    expectCode(() => c.predict([[0, 1, 2]]), ErrorCodes.SHAPE_MISMATCH);
    expectCode(() => c.predict([[0, Infinity]]), ErrorCodes.NON_FINITE);
    c.dispose();
    expectCode(() => c.prototypes(), ErrorCodes.DISPOSED);
    expect(() => readMatrix({ data: [1, 2, 3], shape: [2, 2] })).to.throw(/flat length/);
  });

  it('a fit cancelled mid-training leaks no tensors (and an errored one neither)', async () => {
    const { x } = blobs(64, 3, 6);
    const start = tensors();
    const c = new Clam({ k: 3, epochs: 50 });
    const events = await lastValueFrom(c.fit$(x).pipe(take(5), toArray()));
    expect(events).to.have.length(5);
    expect(events[0]!.lr).to.equal(0.01);
    await tick();
    c.dispose();
    expect(tensors(), 'after cancel + dispose').to.equal(start);
    const d = new Clam({ k: 3, epochs: 2 });
    await expectRejectCode(lastValueFrom(d.fit$([[0, NaN], [1, 1], [2, 2], [3, 3]])), ErrorCodes.NON_FINITE);
    d.dispose();
    expect(tensors(), 'after error').to.equal(start);
  });

  it('record keeps the prototypes of every epoch; keepBest ends on the lowest-loss epoch', async () => {
    const { x } = blobs(40, 2, 7);
    const c = new Clam({ k: 2, epochs: 4, record: true, lr: 0.2 });
    await c.fit(x);
    expect(c.trajectory).to.have.length(5);
    const bestEpoch = c.history.reduce((b, h, i, all) => (h.loss < all[b]!.loss ? i : b), 0);
    expect(Array.from(c.trajectory[bestEpoch + 1]!)).to.deep.equal(c.prototypes().flat().map(Math.fround));
    c.dispose();
  });
});
