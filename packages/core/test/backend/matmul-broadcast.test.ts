import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { initBackend, type BackendOptions } from '../../src/backend/backend.js';
import { broadcastRepair } from '../../src/backend/matmul-broadcast.js';
import { modIndexingIsRight } from '../../src/backend/internal/batch-indices.js';
import { gradCheckArgs, gradGradCheckArgs } from '../../src/numerics/gradcheck.js';
import { compare, reference } from './matmul-reference.js';

/**
 * tfjs 4.22 gets batch-broadcast products wrong on every backend (flattened
 * p mod batch indexing; the cpu kernel even allocates too few matrices) and
 * its MatMul gradient never sums broadcast batch dims (a shape error even for
 * [3,4,5] x [5,6]). engram's fix is tested here, on every route, at sizes
 * below and above every threshold, against a host reference.
 */
const ROUTES: Array<[string, BackendOptions]> = [
  ['cpu', { backend: 'cpu' }],
  ['wasm, stock kernels', { backend: 'wasm', fastPath: false, native: false }],
  ['wasm, fast path', { backend: 'wasm', native: false }],
  ['wasm, default (native when present)', { backend: 'wasm' }],
];

/** [a batch, b batch]: broadcast inside ([2,1] x [1,3]), across ranks, and the cases tfjs' indexing gets right. */
const BATCHES: Array<[number[], number[]]> = [
  [[2, 1], [1, 3]],
  [[3, 1], [3]],
  [[5], [3, 5]],
  [[1, 4], [2, 1]],
  [[2, 3], []],
  [[], [2, 3]],
  [[4], [4]],
  [[2, 1, 3], [1, 2, 1]],
];

describe('batch-broadcast matMul, forward and gradient, on every route', function () {
  after(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('knows when flattened mod indexing is right', () => {
    expect(modIndexingIsRight([3], [2, 3])).to.equal(true);
    expect(modIndexingIsRight([1, 3], [2, 3])).to.equal(true);
    expect(modIndexingIsRight([], [2, 3])).to.equal(true);
    expect(modIndexingIsRight([2, 1], [2, 3])).to.equal(false);
    expect(modIndexingIsRight([3, 1], [3, 3])).to.equal(false);
    expect(broadcastRepair([2, 1, 4, 5], [1, 3, 5, 6])).to.deep.equal({ outer: [2, 3], a: true, b: false });
    expect(broadcastRepair([2, 1, 4, 5], [3, 1, 5, 6])).to.equal(undefined);
    expect(broadcastRepair([1, 4, 4, 5], [2, 1, 5, 6])).to.deep.equal({ outer: [2, 4], a: false, b: true });
    expect(broadcastRepair([4, 5], [5, 6])).to.deep.equal({ outer: [], a: false, b: false });
  });

  for (const [route, options] of ROUTES) {
    it(`${route}: products match the host reference (small and large slices, all transposes)`, async () => {
      await initBackend(options);
      let seed = 0;
      for (const [aBatch, bBatch] of BATCHES) {
        for (const [m, k, n] of [[2, 3, 2], [24, 20, 40]] as const) {
          for (const ta of [false, true]) {
            for (const tb of [false, true]) {
              const as = [...aBatch, ...(ta ? [k, m] : [m, k])];
              const bs = [...bBatch, ...(tb ? [n, k] : [k, n])];
              const a = tf.randomNormal(as, 0, 1, 'float32', seed++);
              const b = tf.randomNormal(bs, 0, 1, 'float32', seed++);
              const got = tf.matMul(a, b, ta, tb);
              compare(got, reference(a.dataSync() as Float32Array, as, b.dataSync() as Float32Array, bs, ta, tb), `${route}: ${JSON.stringify(as)} x ${JSON.stringify(bs)} ${ta} ${tb}`);
              tf.dispose([a, b, got]);
            }
          }
        }
      }
    });

    it(`${route}: gradients have the operands' shapes and pass first- and second-order finite differences`, async () => {
      await initBackend(options);
      const cases: Array<[number[], number[], boolean, boolean]> = [
        [[3, 4, 5], [5, 6], false, false],
        [[5, 4], [3, 5, 6], true, false],
        [[2, 1, 4, 3], [1, 3, 5, 3], false, true],
        [[3, 1, 4, 5], [3, 5, 6], false, false],
      ];
      for (const [as, bs, ta, tb] of cases) {
        const a = tf.randomNormal(as, 0, 1, 'float32', 1);
        const b = tf.randomNormal(bs, 0, 1, 'float32', 2);
        const outShape = tf.tidy(() => tf.matMul(a, b, ta, tb).shape);
        const c = tf.randomNormal(outShape, 0, 1, 'float32', 3);
        const f = (x: tf.Tensor, y: tf.Tensor): tf.Scalar => tf.sum(tf.mul(tf.tanh(tf.mul(tf.matMul(x, y, ta, tb), 0.3)), c));
        const g = tf.grads(f)([a, b]);
        expect(g.map((t) => t.shape), `${route}: ${JSON.stringify(as)} x ${JSON.stringify(bs)}`).to.deep.equal([as, bs]);
        const g1 = gradCheckArgs(f, [a, b], { seed: 1, tolerance: 1e-2 });
        expect(g1.ok, `${route} first order ${JSON.stringify(as)} ${JSON.stringify(bs)}: ${g1.summary}`).to.equal(true);
        const g2 = gradGradCheckArgs(f, [a, b], { seed: 2, eps: 3e-2, tolerance: 1e-2 });
        expect(g2.ok, `${route} second order ${JSON.stringify(as)} ${JSON.stringify(bs)}: ${g2.summary}`).to.equal(true);
        tf.dispose([a, b, c, ...g]);
      }
    });
  }

  it('frees the tiled copies (no tensor or backend buffer left) on cpu and wasm', async () => {
    for (const options of [{ backend: 'cpu' }, { backend: 'wasm', native: false }] as BackendOptions[]) {
      await initBackend(options);
      const backend = tf.backend() as tf.KernelBackend & { numDataIds(): number };
      const a = tf.randomNormal([2, 1, 6, 5], 0, 1, 'float32', 1);
      const b = tf.randomNormal([1, 3, 5, 4], 0, 1, 'float32', 2);
      tf.matMul(a, b).dispose();
      const ids = backend.numDataIds();
      const tensors = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) tf.matMul(a, b).dispose();
      expect(backend.numDataIds(), options.backend).to.equal(ids);
      expect(tf.memory().numTensors, options.backend).to.equal(tensors);
      tf.dispose([a, b]);
    }
  });
});
