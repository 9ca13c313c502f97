import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { initBackend } from '@engram/core';
import type { BenchCase } from '../src/harness.js';
import { measurePaired } from '../src/paired.js';
import { targets } from '../src/targets.js';
import { blasNote } from '../src/torch.js';

/** A case that reports a fixed time per run (so ratios are exact) and logs when it ran. */
function fixed(name: string, ms: number[], log: string[], leak = false): BenchCase {
  let i = 0;
  return {
    name,
    description: name,
    warmup: 1,
    setup() {
      const held = tf.ones([3]);
      const leaked: tf.Tensor[] = [];
      return {
        run() {
          log.push(name);
          if (leak) leaked.push(tf.ones([1]));
          tf.tidy(() => tf.add(held, 1).dataSync());
          return ms[i++ % ms.length]!;
        },
        dispose: () => {
          held.dispose();
          if (!leak) tf.dispose(leaked);
        },
      };
    },
  };
}

describe('paired (interleaved) measurement', function () {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('interleaves the variants with alternating order and reports the median of per-round ratios', async () => {
    const log: string[] = [];
    // Round times: the baseline drifts (load), the variant stays 10% slower within each round.
    const a = fixed('a', [100, 100, 300, 100, 200, 1000, 100], log);
    const b = fixed('b', [100, 110, 330, 110, 220, 1100, 110], log);
    const before = tf.memory().numTensors;
    const { results, paired } = await measurePaired([a, b], { reps: 5, noProfile: true });
    // warm-up a, b; rounds a b, b a, a b, b a, a b.
    expect(log).to.deep.equal(['a', 'b', 'a', 'b', 'b', 'a', 'a', 'b', 'b', 'a', 'a', 'b']);
    expect(paired.order).to.deep.equal([['a', 'b'], ['b', 'a'], ['a', 'b'], ['b', 'a'], ['a', 'b']]);
    expect(paired.baseline).to.equal('a');
    expect(paired.rounds).to.equal(5);
    expect(paired.variants).to.have.length(1);
    for (const r of paired.variants[0]!.ratios) expect(r).to.be.closeTo(1.1, 1e-12);
    expect(paired.variants[0]!.median_ratio).to.be.closeTo(1.1, 1e-12);
    expect(paired.variants[0]!.iqr[0]).to.be.closeTo(1.1, 1e-12);
    expect(paired.variants[0]!.iqr[1]).to.be.closeTo(1.1, 1e-12);
    expect(results.map((r) => r.name)).to.deep.equal(['a', 'b']);
    expect(results[0]!.runs_ms).to.deep.equal([100, 300, 100, 200, 1000]);
    expect(results[0]!.median_ms).to.equal(200);
    expect(results.every((r) => r.tensor_growth === 0 && r.tensors_left === 0)).to.equal(true);
    expect(tf.memory().numTensors).to.equal(before);
    const t = targets(
      results.map((r) => ({ ...r, name: r.name === 'a' ? 'stream-bare' : 'stream-subscribed' })),
      [{ ...paired, baseline: 'stream-bare', variants: [{ ...paired.variants[0]!, name: 'stream-subscribed' }] }],
    );
    const s = t.find((x) => x.target.startsWith('stream-subscribed'))!;
    expect(s.ok).to.equal(false);
    expect(s.measured).to.contain('10.0%');
  });

  it('rotates the order of three cases so that each runs in every position and none twice in a row', async () => {
    const log: string[] = [];
    const cs = ['a', 'b', 'c'].map((n) => fixed(n, [10], log));
    const { paired } = await measurePaired(cs, { reps: 4, noProfile: true });
    expect(paired.order).to.deep.equal([['a', 'b', 'c'], ['b', 'c', 'a'], ['c', 'a', 'b'], ['a', 'b', 'c']]);
    const timed = log.slice(3);
    for (let i = 1; i < timed.length; i++) expect(timed[i]).to.not.equal(timed[i - 1]);
    expect(paired.variants.map((v) => v.name)).to.deep.equal(['b', 'c']);
  });

  it('attributes a leak and the peak to the case that owns them', async () => {
    const log: string[] = [];
    const leaked: tf.Tensor[] = [];
    const a = fixed('a', [1], log);
    const b: BenchCase = {
      name: 'b',
      description: 'leaks',
      setup: () => ({ run: () => void leaked.push(tf.ones([1])), dispose: () => undefined }),
    };
    const start = tf.memory().numTensors;
    const { results } = await measurePaired([a, b], { reps: 3 });
    expect(results[0]!.tensor_growth).to.equal(0);
    expect(results[0]!.tensors_left).to.equal(0);
    expect(results[1]!.tensor_growth).to.equal(2);
    expect(results[1]!.tensors_left).to.equal(1 + 3 + 1); // warm-up, 3 timed, profiled
    // a holds 1 tensor and makes 2 inside its tidy; b's leaked tensors are not a's peak.
    expect(results[0]!.peak_tensors - start).to.be.within(3, 4);
    expect(leaked.length).to.equal(5);
    tf.dispose(leaked);
  });

  it('warns about torch BLAS from the measured matmul rate, not from BLAS_INFO', () => {
    const info = { available: true, python: 'python3', version: '1.13', blas: 'generic' };
    expect(blasNote(info, 170)).to.equal(undefined);
    expect(blasNote(info, 1.8)).to.contain('apt-get install libopenblas0-pthread');
    expect(blasNote(info, undefined)).to.contain('not measured');
    expect(blasNote({ available: false }, 1.8)).to.equal(undefined);
  });
});
