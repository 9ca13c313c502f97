import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { initBackend } from '@engram/core';
import { measure, type BenchCase } from '../src/harness.js';
import { table } from '../src/report.js';
import { targets } from '../src/targets.js';
import { fitExponent, scalingResult, type ScalingFamily } from '../src/scaling.js';
import { CASES } from '../src/cases/index.js';

describe('bench harness', function () {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('reports the median of the timed runs, GFLOP/s, the peak tensor count and no growth for a clean case', async () => {
    let runs = 0;
    const c: BenchCase = {
      name: 'tiny',
      description: 'tiny matMul',
      flops: 2 * 64 ** 3,
      warmup: 1,
      reps: 3,
      setup() {
        const a = tf.ones([64, 64]);
        return {
          run() {
            runs++;
            tf.tidy(() => tf.matMul(tf.add(a, 1), a).dataSync());
          },
          dispose: () => a.dispose(),
        };
      },
    };
    const before = tf.memory().numTensors;
    const r = await measure(c);
    expect(runs).to.equal(1 + 3 + 1); // warm-up, timed, profiled
    expect(r.runs_ms).to.have.length(3);
    expect(r.median_ms).to.equal([...r.runs_ms].sort((x, y) => x - y)[1]);
    expect(r.gflops).to.be.closeTo(c.flops! / r.median_ms / 1e6, 1e-9);
    // a, then (a + 1) and the product alive together inside the tidy.
    expect(r.peak_tensors).to.be.at.least(before + 3);
    expect(r.tensor_growth).to.equal(0);
    expect(r.tensors_left).to.equal(0);
    expect(tf.memory().numTensors).to.equal(before);
  });

  it('detects a leaking case (growth between runs) and a case that does not clean up', async () => {
    const leaked: tf.Tensor[] = [];
    const c: BenchCase = {
      name: 'leaky',
      description: 'leaks one tensor per run',
      reps: 3,
      setup: () => ({ run: () => void leaked.push(tf.ones([2])), dispose: () => undefined }),
    };
    const r = await measure(c, { noProfile: true });
    expect(r.tensor_growth).to.equal(2);
    expect(r.tensors_left).to.equal(4); // warm-up + 3 timed runs
    tf.dispose(leaked);
    const t = targets([r]);
    expect(t.find((x) => x.target.startsWith('no case grows'))!.ok).to.equal(false);
  });

  it('uses the time a workload measured itself when it returns one', async () => {
    const r = await measure({ name: 'own', description: '', reps: 3, setup: () => ({ run: () => 42, dispose: () => undefined }) }, { noProfile: true });
    expect(r.median_ms).to.equal(42);
  });

  it('checks the targets from the results and prints every case in the table', () => {
    const base = { description: '', min_ms: 0, runs_ms: [], peak_tensors: 1, tensor_growth: 0, tensors_left: 0 };
    const results = [
      { ...base, name: 'matmul-peak', median_ms: 10, gflops: 10 },
      { ...base, name: 'dense-am-retrieval', median_ms: 10, gflops: 8, ratio_vs_torch: 7, torch_median_ms: 1 },
      { ...base, name: 'stream-bare', median_ms: 100 },
      { ...base, name: 'stream-subscribed', median_ms: 104 },
    ];
    const t = targets(results);
    const get = (p: string) => t.find((x) => x.target.startsWith(p))!;
    expect(get('dense-am-retrieval >= 75%').ok).to.equal(true);
    expect(get('dense-am-retrieval engram/PyTorch').ok).to.equal(false);
    expect(get('stream-subscribed').ok).to.equal(true);
    expect(get('et-inference').ok).to.equal(null);
    const text = table(results);
    for (const r of results) expect(text).to.contain(r.name);
  });

  it("checks issue 15's targets: torch at its best, OpenBLAS's own rate, the scaling exponent, peak memory", () => {
    const base = { description: '', min_ms: 0, runs_ms: [], peak_tensors: 1, tensor_growth: 0, tensors_left: 0 };
    const results = [
      { ...base, name: 'matmul-peak', median_ms: 10, gflops: 10, ratio_vs_torch: 0.5, ratio_vs_torch_best: 0.9, torch_best_setting: '1x2' },
      { ...base, name: 'et-inference', median_ms: 10, ratio_vs_torch: 0.8, ratio_vs_torch_best: 1.3, torch_best_setting: '1x2' },
    ];
    const paired = [{ baseline: 'openblas-sgemm', rounds: 3, order: [], variants: [{ name: 'matmul-peak', ratios: [1.1, 1.1, 1.2], median_ratio: 1.1, iqr: [1.1, 1.15] as [number, number] }] }];
    const scaling = [
      {
        name: 'dense-am-scaling',
        param: 'K',
        fit_from: 10,
        points: [{ value: 10, engram_ms: 1, torch_ms: {}, ratio: {} }],
        exponent: { engram: 1.02, torch: { '1x1': 0.97, '1x2': 0.95 }, torch_best: 0.95 },
        exponent_all: { engram: 0.9, torch: {}, torch_best: NaN },
      },
    ];
    const memory = [
      { name: 'memory:et-train-step-checkpointed@N=49', params: {}, engram: { ok: true, max_rss_mib: 300 }, torch: { ok: true, max_rss_mib: 600 }, rss_ratio: 0.5 },
      { name: 'memory:et-train-step@N=196', params: {}, engram: { ok: false, error: 'out of memory' } },
    ];
    const t = targets(results, paired, scaling, memory);
    const get = (p: string) => t.find((x) => x.target.startsWith(p))!;
    expect(get('matmul-peak engram / torch at its best').ok).to.equal(true);
    expect(get('et-inference engram / torch at its best').ok).to.equal(false);
    expect(get('et-train-step engram / torch at its best').ok).to.equal(null);
    expect(get("matmul-peak >= 85% of OpenBLAS's own").ok).to.equal(true); // 1 / 1.1 = 91%
    expect(get('dense AM linear in K').ok).to.equal(true); // 1.02 <= 0.95 + 0.1
    expect(get('ET train step (steps checkpointed) peak memory').ok).to.equal(true);
    expect(get('ET train step (plain) at N = 196').ok).to.equal(false);
    // One-sided against torch at its best (the fit of each K's fastest setting): below it is better scaling
    // (met); more than 0.1 above it, or above 1.1 whatever torch does, is a miss; no torch: not checked.
    const exponentOk = (engram: number, torchBest: number): boolean | null => {
      const s = [{ ...scaling[0]!, exponent: { engram, torch: { '1x1': 1.2, '2x2': 0.8 }, torch_best: torchBest } }];
      return targets(results, paired, s, memory).find((x) => x.target.startsWith('dense AM linear in K'))!.ok;
    };
    expect(exponentOk(0.99, 1.18)).to.equal(true); // a 2x2 setting's 0.8 (a flat floor) does not decide it
    expect(exponentOk(1.08, 0.95)).to.equal(false);
    expect(exponentOk(1.15, 1.25)).to.equal(false);
    expect(exponentOk(1.0, NaN)).to.equal(null);
  });

  it("fits torch at its best on each point's fastest setting, not on the setting with the lowest exponent", () => {
    // torch 2x2 on a floor of 60 ms up to K = 30k, then linear; 1x2 linear-ish (exponent ~1.2) and fastest below 100k.
    const ks = [1e4, 3e4, 1e5, 3e5, 1e6];
    const t12 = ks.map((k) => 1e-3 * k ** 1.2 / 10 ** 1.2);
    const t22 = ks.map((k) => Math.max(60, 0.0025 * k));
    const points = ks.map((k, i) => ({ value: k, engram_ms: k / 1e3, torch_ms: { '1x2': t12[i]!, '2x2': t22[i]! }, ratio: {} }));
    const r = scalingResult({ name: 'dense-am-scaling', param: 'K', values: ks, fitFrom: 1e4, make: () => { throw new Error('not run'); } } satisfies ScalingFamily, points);
    const fastest = ks.map((_, i) => Math.min(t12[i]!, t22[i]!));
    expect(r.exponent.torch_best).to.be.closeTo(fitExponent(ks, fastest), 1e-12);
    expect(r.exponent.torch['2x2']!).to.be.lessThan(r.exponent.torch_best);
    expect(r.exponent.engram).to.be.closeTo(1, 1e-9);
  });

  it('lists the case names the issue asks for', () => {
    const names = CASES.map(([n]) => n);
    for (const n of ['matmul-peak', 'dense-am-retrieval', 'et-inference', 'et-train-step', 'descent-autodiff', 'descent-closed-form', 'stream-bare', 'stream-subscribed', 'sequence-transition', 'sdmlp-train']) {
      expect(names).to.include(n);
    }
  });
});
