import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { initBackend } from '../../src/backend/backend.js';
import { backendInfo } from '../../src/backend/backend-info.js';
import { gradCheck, gradGradCheck } from '../../src/numerics/gradcheck.js';
import { collapsePermutation } from '../../src/backend/native/native-layout.js';
import { hostOf, onNativeWasm, rng } from '../helpers.js';

/** Special values every kernel must treat like libm: signed zeros, subnormals, the overflow edges, infinities, NaN. */
const SPECIAL = [0, -0, 1e-45, 1e-40, 1.17549435e-38, 1e-30, 0.5, 1, 1 + 1e-7, 2, 10, 80, 88.7, 88.72, 88.73, 89, 100, -80, -87.3, -88, -100, -103, -104, -110, 1e30, -1e30, Infinity, -Infinity, NaN, -1, -1e-30];

function values(seed: number, n: number, scale: number): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (r() * 2 - 1) * scale;
  out.set(SPECIAL.slice(0, Math.min(n, SPECIAL.length)));
  return out;
}

/** Largest difference in units of the stock result (relative, with a floor for values near 0), NaN/inf required to agree. */
function worstRelative(got: Float32Array, want: Float32Array, floor: number): number {
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (Number.isNaN(w) || Number.isNaN(g)) {
      if (Number.isNaN(w) !== Number.isNaN(g)) return Infinity;
      continue;
    }
    if (!Number.isFinite(w) || !Number.isFinite(g)) {
      if (g !== w) return Infinity;
      continue;
    }
    worst = Math.max(worst, Math.abs(g - w) / Math.max(Math.abs(w), floor));
  }
  return worst;
}

describe('native Exp, Log, Softmax (wasm + @engram/native)', function () {
  onNativeWasm();

  /** f's result with the native path off (the stock kernels), the native path back on afterwards. */
  async function onStock<T>(f: () => T): Promise<T> {
    await initBackend({ backend: 'wasm', native: false });
    try {
      return f();
    } finally {
      await initBackend({ backend: 'wasm' });
    }
  }

  const stock = (f: () => tf.Tensor): Promise<Float32Array> => onStock(() => hostOf(f));

  // Sizes: below the native threshold, ragged vector tails, and above the threaded split (2^16).
  for (const n of [100, 1000, 4099, 200_003]) {
    it(`Exp and Log match the stock kernels within 2 ulp on ${n} values (special values included)`, async () => {
      const xs = values(n, n, 90);
      const pos = values(n + 1, n, 1).map((v, i) => (i < SPECIAL.length ? v : Math.abs(v) * 10 ** ((i % 60) - 30)));
      const x = tf.tensor1d(xs);
      const p = tf.tensor1d(pos);
      const gotExp = hostOf(() => tf.exp(x));
      const gotLog = hostOf(() => tf.log(p));
      const wantExp = await stock(() => tf.exp(x));
      const wantLog = await stock(() => tf.log(p));
      // 2 ulp of float32 is ~2.4e-7 relative; subnormal results are compared absolutely (floor).
      expect(worstRelative(gotExp, wantExp, 1.2e-38), 'exp').to.be.lessThan(2.5e-7);
      expect(worstRelative(gotLog, wantLog, 1e-30), 'log').to.be.lessThan(2.5e-7);
      tf.dispose([x, p]);
    });
  }

  for (const [rows, cols] of [[3, 7], [64, 49], [17, 1000], [1000, 300]] as const) {
    it(`Softmax matches the stock kernel on [${rows}, ${cols}] (large, -inf and NaN entries included)`, async () => {
      const data = values(rows * 7 + cols, rows * cols, 30);
      data[cols + 1] = 1e30; // a dominant entry
      data[2 * cols] = -Infinity;
      const x = tf.tensor2d(data, [rows, cols]);
      const got = hostOf(() => tf.softmax(x));
      const want = await stock(() => tf.softmax(x));
      // Rows with NaN or +inf are NaN in both; elsewhere a few ulp (sum order, 1/sum).
      expect(worstRelative(got, want, 1e-30)).to.be.lessThan(2e-6);
      tf.dispose(x);
    });
  }

  it('Neg, Relu, Square, Sqrt give the same values as the stock kernels (special values included)', async () => {
    const x = tf.tensor1d(values(42, 10_007, 50));
    for (const [name, f] of [
      ['neg', (t: tf.Tensor) => tf.neg(t)],
      ['relu', (t: tf.Tensor) => tf.relu(t)],
      ['square', (t: tf.Tensor) => tf.square(t)],
      ['sqrt', (t: tf.Tensor) => tf.sqrt(t)],
    ] as const) {
      const got = hostOf(() => f(x));
      const want = await stock(() => f(x));
      expect(worstRelative(got, want, 1e-30), name).to.equal(0);
    }
    x.dispose();
  });

  it('Add, Sub, Multiply, RealDiv give the same values as the stock kernels: same shapes, scalars, leading-dim broadcasts, and the rest', async () => {
    const shapes: Array<[number[], number[]]> = [
      [[8, 49, 128], [8, 49, 128]],
      [[8, 49, 128], []],
      [[], [6000]],
      [[8, 49, 128], [128]],
      [[49, 128], [8, 49, 128]],
      [[8, 49, 128], [1, 49, 128]],
      [[8, 49, 1], [8, 49, 128]], // one value per row: native row kernel
      [[128, 1000], [128, 1]],
      [[4, 1, 1], [4, 5, 600]],
      [[1, 49, 1], [8, 49, 128]], // mixed broadcast: stock kernel
      [[40, 7], [40, 7]], // small: stock kernel
    ];
    const ops = [tf.add, tf.sub, tf.mul, tf.div] as Array<(x: tf.Tensor, y: tf.Tensor) => tf.Tensor>;
    const inputs = shapes.map(([as, bs], i) => [tf.tensor(values(2 * i, as.reduce((p, q) => p * q, 1), 20), as), tf.tensor(values(2 * i + 1, bs.reduce((p, q) => p * q, 1), 20), bs)] as const);
    // (Not returned through tf.tidy: it walks every element of returned typed arrays.)
    const run = (): Float32Array[] =>
      inputs.flatMap(([a, b]) =>
        ops.map((f) => {
          const y = f(a, b);
          const v = y.dataSync() as Float32Array;
          y.dispose();
          return v;
        }),
      );
    const got = run();
    const want = await onStock(run);
    for (let i = 0; i < got.length; i++) {
      const what = `${['add', 'sub', 'mul', 'div'][i % 4]} ${JSON.stringify(shapes[Math.floor(i / 4)])}`;
      expect(got[i]!.length, what).to.equal(want[i]!.length);
      expect(worstRelative(got[i]!, want[i]!, 1e-30), what).to.equal(0);
    }
    tf.dispose(inputs.flat());
  });

  it('Sum, Max, Min over trailing or leading axes match the stock kernels (keepDims, several axes, other axes, NaN)', async () => {
    const cases: Array<[number[], number | number[], boolean]> = [
      [[128, 1000], 1, true],
      [[128, 1000], -1, false],
      [[8, 49, 128], [1, 2], false],
      [[8, 49, 128], [2, 1], true],
      [[6000], 0, false],
      [[3, 7, 13], 2, false],
      [[64, 300], 0, true], // a leading axis: a column reduction
      [[32, 49, 128], [0, 1], false], // leading axes: a column reduction (a bias gradient)
      [[32, 49, 128], [1, 0], true],
      [[8, 300, 5], 1, false], // a middle axis: stock kernel
      [[64, 300], [0, 1], false], // every axis: one row
      [[10, 10], 1, false], // small: stock kernel
    ];
    const inputs = cases.map(([shape], i) => tf.tensor(values(100 + i, shape.reduce((p, q) => p * q, 1), 20).map((v) => (Number.isFinite(v) && Math.abs(v) <= 100 ? v : 0.5)), shape));
    // Sums of small integers are exact in float32 whatever the order: the comparison checks which elements are summed.
    const integers = inputs.map((x) => tf.round(x));
    const ops = [(i: number, a: number | number[], k: boolean) => tf.sum(integers[i]!, a, k), (i: number, a: number | number[], k: boolean) => tf.max(inputs[i]!, a, k), (i: number, a: number | number[], k: boolean) => tf.min(inputs[i]!, a, k)];
    const run = (): Array<{ shape: number[]; v: Float32Array }> =>
      cases.flatMap(([, axis, keep], i) =>
        ops.map((f) => {
          const y = f(i, axis, keep);
          const out = { shape: y.shape, v: y.dataSync() as Float32Array };
          y.dispose();
          return out;
        }),
      );
    const got = run();
    const want = await onStock(run);
    for (let i = 0; i < got.length; i++) {
      const what = `${['sum', 'max', 'min'][i % 3]} ${JSON.stringify(cases[Math.floor(i / 3)])}`;
      expect(got[i]!.shape, what).to.deep.equal(want[i]!.shape);
      expect(worstRelative(got[i]!.v, want[i]!.v, 1), what).to.equal(0);
    }
    // NaN anywhere in a row makes its max and min NaN (the stock kernels keep it only as the first element).
    const data = new Float32Array(4 * 500).fill(1);
    data[0 * 500 + 3] = NaN;
    data[1 * 500 + 499] = NaN;
    data[2 * 500 + 0] = NaN;
    const x = tf.tensor2d(data, [4, 500]);
    for (const f of [tf.max, tf.min]) {
      const v = hostOf(() => f(x, 1));
      expect(Array.from(v, Number.isNaN)).to.deep.equal([true, true, true, false]);
    }
    // A signed-zero scalar or row operand keeps its sign (splatting it once gave +0: x / -0 = +inf).
    const ones = tf.ones([4, 1000]);
    expect(hostOf(() => tf.div(ones, tf.scalar(-0)))[7]).to.equal(-Infinity);
    expect(hostOf(() => tf.div(ones, tf.tensor2d([-0, -0, -0, -0], [4, 1])))[2500]).to.equal(-Infinity);
    tf.dispose([x, ones, ...inputs, ...integers]);
  });

  it('Mean over trailing or leading axes matches the stock kernel (within float32 rounding of the sum)', async () => {
    const cases: Array<[number[], number | number[], boolean]> = [
      [[32, 49, 128], -1, true],
      [[32, 49, 128], [0, 1], false],
      [[32, 49, 128], [0, 1, 2], false],
      [[600, 7], 0, true],
      [[8, 300, 5], 1, false], // a middle axis: stock kernel
    ];
    const inputs = cases.map(([shape], i) => tf.tensor(values(200 + i, shape.reduce((p, q) => p * q, 1), 3).map((v) => (Number.isFinite(v) && Math.abs(v) <= 100 ? v : 0.25)), shape));
    const run = (): Array<{ shape: number[]; v: Float32Array }> =>
      cases.map(([, axis, keep], i) => {
        const y = tf.mean(inputs[i]!, axis, keep);
        const out = { shape: y.shape, v: y.dataSync() as Float32Array };
        y.dispose();
        return out;
      });
    const got = run();
    const want = await onStock(run);
    for (let i = 0; i < cases.length; i++) {
      expect(got[i]!.shape, JSON.stringify(cases[i])).to.deep.equal(want[i]!.shape);
      expect(worstRelative(got[i]!.v, want[i]!.v, 1), JSON.stringify(cases[i])).to.be.lessThan(1e-5);
    }
    tf.dispose(inputs);
  });

  it('Transpose keeping the last axis in place (after merging axes) copies whole runs; other permutations go to the stock kernel', async () => {
    const cases: Array<[number[], number[], 'float32' | 'int32']> = [
      [[32, 49, 4, 32], [0, 2, 1, 3], 'float32'], // the attention head split
      [[32, 4, 49, 32], [0, 2, 1, 3], 'float32'], // and merge
      [[4, 1, 6, 5, 16], [2, 1, 0, 3, 4], 'int32'], // size-1 axis dropped, the last two merged
      [[3, 40, 50], [1, 0, 2], 'float32'],
      [[64, 100], [1, 0], 'float32'], // the last axis moves: stock kernel
      [[6, 7, 2], [1, 0, 2], 'float32'], // runs of 2: stock kernel
    ];
    const inputs = cases.map(([shape, , dtype], i) => {
      const v = values(300 + i, shape.reduce((p, q) => p * q, 1), 50);
      return dtype === 'int32' ? tf.tensor(Int32Array.from(v, (x) => (Number.isFinite(x) ? Math.round(x) : 7)), shape, 'int32') : tf.tensor(v, shape);
    });
    const run = (): Array<{ shape: number[]; dtype: string; v: Float32Array | Int32Array }> =>
      cases.map(([, perm], i) => {
        const y = tf.transpose(inputs[i]!, perm);
        const out = { shape: y.shape, dtype: y.dtype, v: y.dataSync() as Float32Array | Int32Array };
        y.dispose();
        return out;
      });
    const got = run();
    const want = await onStock(run);
    for (let i = 0; i < cases.length; i++) {
      const what = JSON.stringify(cases[i]);
      expect(got[i]!.shape, what).to.deep.equal(want[i]!.shape);
      expect(got[i]!.dtype, what).to.equal(want[i]!.dtype);
      // Bit for bit (NaN included): a transpose only moves values.
      expect(Buffer.from(got[i]!.v.buffer, got[i]!.v.byteOffset, got[i]!.v.byteLength).equals(Buffer.from(want[i]!.v.buffer, want[i]!.v.byteOffset, want[i]!.v.byteLength)), what).to.equal(true);
    }
    tf.dispose(inputs);
    expect(collapsePermutation([32, 49, 4, 32], [0, 2, 1, 3])).to.deep.equal({ shape: [32, 49, 4, 32], perm: [0, 2, 1, 3] });
    expect(collapsePermutation([4, 1, 6, 5, 16], [2, 1, 0, 3, 4])).to.deep.equal({ shape: [4, 6, 80], perm: [1, 0, 2] });
    expect(collapsePermutation([2, 3, 4], [0, 1, 2])).to.deep.equal({ shape: [24], perm: [0] });
    expect(collapsePermutation([1, 1], [1, 0])).to.deep.equal({ shape: [], perm: [] });
  });

  it('keeps the gradients through Transpose, Mean and column sums right, first and second order, native wasm and cpu', async () => {
    // [16, 12, 4, 16]: above the thresholds, so the head transposes, the means and the bias-gradient column sums run natively.
    const f = (c: tf.Tensor, bias: tf.Tensor) => (t: tf.Tensor): tf.Scalar =>
      tf.tidy(() => {
        const heads = tf.transpose(tf.add(t, bias), [0, 2, 1, 3]);
        const centred = tf.sub(heads, tf.mean(heads, -1, true));
        const back = tf.transpose(tf.mul(tf.square(centred), c), [0, 2, 1, 3]);
        return tf.add(tf.sum(back), tf.sum(tf.square(tf.mean(back, [0, 1]))));
      });
    const host = [31, 32].map((seed) => hostOf(() => tf.randomNormal([16, 12, 4, 16], 0, 1, 'float32', seed)));
    const biasHost = hostOf(() => tf.randomNormal([16], 0, 1, 'float32', 33));
    const make = () => [tf.tensor4d(host[0]!, [16, 12, 4, 16]), tf.tensor4d(host[1]!, [16, 4, 12, 16]), tf.tensor1d(biasHost)];
    for (const backend of ['wasm', 'cpu'] as const) {
      await initBackend({ backend });
      try {
        const [x, c, bias] = make();
        // f sums ~12k float32 terms (|f| ~ 590; h = <v, grad f> cancels terms far larger than its ~250), so
        // float32 rounding of f, not the gradient, sets the finite differences' error: a wider eps, and for h
        // the floor the gradcheck docs prescribe for cancelling sums (derivatives here are O(1); a wrong
        // gradient is off by that much). The exact check is the comparison with cpu below.
        const g1 = gradCheck(f(c!, bias!), x!, { seed: 5, eps: 3e-2, tolerance: 1e-2 });
        expect(g1.ok, `${backend} first order: ${g1.summary}`).to.equal(true);
        const g2 = gradGradCheck(f(c!, bias!), x!, { seed: 6, eps: 3e-2, tolerance: 2e-2, floor: 0.5 });
        expect(g2.ok, `${backend} second order: ${g2.summary}`).to.equal(true);
        // The bias gradient is a column sum over the three leading axes.
        const gb = gradCheck((b: tf.Tensor) => f(c!, b)(x!), bias!, { seed: 7, tolerance: 1e-2 });
        expect(gb.ok, `${backend} bias: ${gb.summary}`).to.equal(true);
        tf.dispose([x!, c!, bias!]);
      } finally {
        await initBackend({ backend: 'wasm' });
      }
    }
    expect(backendInfo().native, 'the wasm run above used the native kernels').to.equal(true);
    // The exact check: the gradient and H v through the native Transpose, Mean and column sums against cpu.
    const derivatives = (): Float32Array[] =>
      tf.tidy(() => {
        const [x, c, bias] = make();
        const v = tf.randomNormal([16, 12, 4, 16], 0, 1, 'float32', 34);
        const h = (t: tf.Tensor): tf.Scalar => tf.sum(tf.mul(tf.grad(f(c!, bias!))(t), v));
        return [tf.grad(f(c!, bias!))(x!).dataSync() as Float32Array, tf.grad(h)(x!).dataSync() as Float32Array];
      });
    const native = derivatives();
    await initBackend({ backend: 'cpu' });
    let cpu: Float32Array[];
    try {
      cpu = derivatives();
    } finally {
      await initBackend({ backend: 'wasm' });
    }
    for (const [i, what] of ['gradient', 'H v'].entries()) {
      const want = cpu[i]!;
      const scale = Math.max(...Array.from(want, Math.abs));
      expect(scale, `non-trivial ${what}`).to.be.greaterThan(1e-2);
      const worst = Math.max(...Array.from(native[i]!, (y, j) => Math.abs(y - want[j]!))) / scale;
      expect(worst, `native ${what} vs cpu`).to.be.lessThan(1e-5);
    }
  });

  it('keeps the gradients right at first and second order (finite differences; Hessian-vector products against cpu)', async () => {
    const f = (c: tf.Tensor) => (t: tf.Tensor): tf.Scalar =>
      tf.sum(tf.mul(tf.add(tf.mul(tf.softmax(tf.mul(t, 2)), 50), tf.log(tf.add(tf.exp(tf.mul(t, 0.5)), 1))), c));
    const host = [7, 8, 9].map((seed) => hostOf(() => tf.randomNormal([4, 80], 0, 1, 'float32', seed)));
    const make = () => host.map((h) => tf.tensor2d(h, [4, 80]));
    {
      const [x, c] = make();
      const g1 = gradCheck(f(c!), x!, { seed: 1, tolerance: 1e-2 });
      expect(g1.ok, g1.summary).to.equal(true);
      const g2 = gradGradCheck(f(c!), x!, { seed: 2, eps: 3e-2, tolerance: 2e-2 });
      expect(g2.ok, g2.summary).to.equal(true);
      tf.dispose([x!, c!]);
    }
    // The exact check: H v (second order through every native kernel) against the cpu backend (float64 sums).
    const hv = (): Float32Array =>
      tf.tidy(() => {
        const [x, c, v] = make();
        const h = (t: tf.Tensor): tf.Scalar => tf.sum(tf.mul(tf.grad(f(c!))(t), v!));
        return tf.grad(h)(x!).dataSync() as Float32Array;
      });
    const native = hv();
    await initBackend({ backend: 'cpu' });
    let cpu: Float32Array;
    try {
      cpu = hv();
    } finally {
      await initBackend({ backend: 'wasm' });
    }
    const scale = Math.max(...Array.from(cpu, Math.abs));
    expect(scale, 'non-trivial H v').to.be.greaterThan(1e-2);
    const worst = Math.max(...Array.from(native, (y, j) => Math.abs(y - cpu[j]!))) / scale;
    expect(worst, 'native H v vs cpu').to.be.lessThan(1e-4);
  });

  it('keeps the gradients of the row kernels right (Sum, Max, Min over trailing axes, one value per row), first and second order, native wasm and cpu', async () => {
    // [8, 300]: above the row kernels' thresholds, so x - max(x) and x / sum(...) take binaryRows and the reductions reduceRows.
    const f = (c: tf.Tensor) => (t: tf.Tensor): tf.Scalar =>
      tf.tidy(() => {
        const shifted = tf.sub(t, tf.max(t, 1, true));
        const e = tf.exp(tf.mul(shifted, 0.5));
        const normalised = tf.div(e, tf.sum(e, -1, true));
        const spread = tf.sub(tf.max(t, 1), tf.min(t, 1));
        return tf.add(tf.sum(tf.mul(tf.mul(normalised, c), 100)), tf.sum(tf.square(spread)));
      });
    const host = [21, 22].map((seed) => hostOf(() => tf.randomNormal([8, 300], 0, 1, 'float32', seed)));
    const make = () => host.map((h) => tf.tensor2d(h, [8, 300]));
    for (const backend of ['wasm', 'cpu'] as const) {
      await initBackend({ backend });
      try {
        const [x, c] = make();
        const g1 = gradCheck(f(c!), x!, { seed: 3, tolerance: 1e-2 });
        expect(g1.ok, `${backend} first order: ${g1.summary}`).to.equal(true);
        const g2 = gradGradCheck(f(c!), x!, { seed: 4, eps: 3e-2, tolerance: 2e-2 });
        expect(g2.ok, `${backend} second order: ${g2.summary}`).to.equal(true);
        tf.dispose([x!, c!]);
      } finally {
        await initBackend({ backend: 'wasm' });
      }
    }
    expect(backendInfo().native, 'the wasm run above used the native kernels').to.equal(true);
  });

  it('leaves no tensor and no backend buffer behind; int32 inputs still go to the stock kernels', () => {
    const backend = tf.backend() as tf.KernelBackend & { numDataIds(): number };
    const x = tf.randomNormal([50, 400], 0, 1, 'float32', 1);
    const work = (): void => tf.dispose([tf.exp(x), tf.log(x), tf.softmax(x), tf.add(x, x), tf.mul(x, 2), tf.neg(x), tf.relu(x), tf.sum(x, 1), tf.sum(x, 0), tf.mean(x, 1), tf.mean(x, 0, true), tf.max(x, -1, true), tf.tidy(() => tf.sub(x, tf.min(x, 1, true))), tf.tidy(() => tf.transpose(tf.reshape(x, [50, 20, 20]), [1, 0, 2]))]);
    work();
    const tensors = tf.memory().numTensors;
    const ids = backend.numDataIds();
    for (let i = 0; i < 5; i++) work();
    expect(tf.memory().numTensors).to.equal(tensors);
    expect(backend.numDataIds()).to.equal(ids);
    const ints = tf.tidy(() => tf.exp(tf.range(0, 300, 1, 'int32')).dataSync());
    expect(ints[2]).to.be.closeTo(Math.exp(2), 1e-5);
    x.dispose();
  });
});
