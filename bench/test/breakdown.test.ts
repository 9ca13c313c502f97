import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { initBackend } from '@engram/core';
import { breakdown, timeKernels } from '../src/breakdown.js';
import type { BenchCase } from '../src/harness.js';
import { breakdownTable } from '../src/report.js';

describe('bench breakdown (time inside and outside kernels)', function () {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('counts every kernel a run executes, splits the wall time, and restores the kernels it wrapped', async () => {
    const before = tf.getKernelsForBackend('wasm').map((k) => [k.kernelName, k.kernelFunc] as const);
    const c: BenchCase = {
      name: 'tiny',
      description: 'add, matMul, sum',
      setup() {
        const a = tf.ones([32, 32]);
        return { run: () => void tf.tidy(() => tf.sum(tf.matMul(tf.add(a, 1), a)).dataSync()), dispose: () => a.dispose() };
      },
    };
    const start = tf.memory().numTensors;
    const b = await breakdown(c, 4);
    expect(tf.memory().numTensors).to.equal(start);
    expect(b.runs).to.equal(4);
    expect(b.kernels_per_run).to.equal(3);
    expect(b.top.map((t) => t.kernel).sort()).to.deep.equal(['Add', 'BatchMatMul', 'Sum']);
    expect(b.kernel_ms).to.be.greaterThan(0);
    expect(b.kernel_ms + b.outside_ms).to.be.closeTo(b.wall_ms, 1e-9);
    expect(b.self_timed).to.equal(false);
    const after = tf.getKernelsForBackend('wasm').map((k) => [k.kernelName, k.kernelFunc] as const);
    expect(new Map(after)).to.deep.equal(new Map(before));
    expect(breakdownTable([{ name: 'tiny', description: '', median_ms: 1, min_ms: 1, runs_ms: [1], peak_tensors: 0, tensor_growth: 0, tensors_left: 0, breakdown: b }])).to.match(/tiny .*BatchMatMul/);
  });

  it('restores the kernels and disposes the case when a run throws', async () => {
    const ref = tf.getKernel('Add', 'wasm')!.kernelFunc;
    let calls = 0;
    let disposed = false;
    const c: BenchCase = {
      name: 'failing',
      description: 'throws on its second run',
      setup: () => ({
        run: () => {
          if (++calls === 2) throw new Error('boom');
          tf.tidy(() => tf.add(tf.ones([2]), 1).dataSync());
        },
        dispose: () => void (disposed = true),
      }),
    };
    let error: unknown;
    try {
      await breakdown(c, 3);
    } catch (e) {
      error = e;
    }
    expect(String(error)).to.match(/boom/);
    expect(disposed).to.equal(true);
    expect(tf.getKernel('Add', 'wasm')!.kernelFunc).to.equal(ref);
    const t = timeKernels('wasm');
    tf.tidy(() => tf.add(tf.ones([2]), 1).dataSync());
    expect(t.stats.get('Add')?.calls).to.equal(1);
    t.restore();
    expect(tf.getKernel('Add', 'wasm')!.kernelFunc).to.equal(ref);
  });
});
