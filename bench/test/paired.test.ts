import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { initBackend } from '@engram/core';
import type { BenchCase } from '../src/harness.js';
import { measurePaired, type External } from '../src/paired.js';
import { fitExponent } from '../src/scaling.js';
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

  it('interleaves external twins (torch) with the engram case, rotating, and gives per-round engram/twin ratios', async () => {
    const log: string[] = [];
    let t = 0;
    const times = [100, 110, 120, 130];
    const a: BenchCase = { name: 'a', description: '', reps: 4, setup: () => ({ run: () => (log.push('a'), times[t++ % 4]!), dispose: () => undefined }) };
    const twinOf = (setting: string, ms: number): External => ({
      name: `torch ${setting}: a`,
      of: 'a',
      setting,
      setup: async () => void log.push(`setup ${setting}`),
      run: async () => (log.push(setting), ms),
      dispose: async () => void log.push(`drop ${setting}`),
    });
    const { externals, paired } = await measurePaired([a], { reps: 3, noProfile: true, externals: [twinOf('1x1', 50), twinOf('1x2', 25)] });
    expect(paired.order).to.deep.equal([
      ['a', 'torch 1x1: a', 'torch 1x2: a'],
      ['torch 1x1: a', 'torch 1x2: a', 'a'],
      ['torch 1x2: a', 'a', 'torch 1x1: a'],
    ]);
    expect(log.filter((x) => x.startsWith('setup') || x.startsWith('drop'))).to.deep.equal(['setup 1x1', 'setup 1x2', 'drop 1x1', 'drop 1x2']);
    // engram runs: warm-up 100, then 110, 120, 130; ratios per round against 50 and 25 ms.
    expect(externals.map((e) => e.ratios)).to.deep.equal([
      [110 / 50, 120 / 50, 130 / 50],
      [110 / 25, 120 / 25, 130 / 25],
    ]);
    expect(externals[1]!.median_ratio).to.be.closeTo(120 / 25, 1e-12);
    expect(externals[0]!.median_ms).to.equal(50);
  });

  it('fits the scaling exponent by least squares in log-log', () => {
    expect(fitExponent([1, 10, 100], [3, 30, 300])).to.be.closeTo(1, 1e-12);
    expect(fitExponent([10, 20, 40], [1, 4, 16])).to.be.closeTo(2, 1e-12);
    expect(Number.isNaN(fitExponent([5], [1]))).to.equal(true);
  });
});
