import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { initBackend } from '../../src/backend/backend.js';
import { stockKernel } from '../../src/backend/kernel-stack.js';
import { rng } from '../helpers.js';

type KernelFunc = tf.KernelConfig['kernelFunc'];

/**
 * engram's wasm Slice/SplitV read the input through a heap view instead of
 * copying all of it first: results must be bit-identical to the stock kernels
 * (called directly here) for every rank, dtype and slice position.
 */
describe('wasm Slice / SplitV (heap views)', function () {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  const run = (f: KernelFunc, inputs: Record<string, tf.Tensor>, attrs: Record<string, unknown>): tf.Tensor[] => {
    const out = f({ inputs: inputs as unknown as tf.NamedTensorInfoMap, backend: tf.backend(), attrs: attrs as unknown as tf.NamedAttrMap });
    const infos = Array.isArray(out) ? out : [out];
    return infos.map((i) => tf.engine().makeTensorFromTensorInfo(i));
  };

  it('is the registered Slice and matches the stock kernel bit for bit (ranks 1-5, float32/int32/bool, 200 random slices)', () => {
    const r = rng(5);
    const dim = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
    const stock = stockKernel('Slice', 'wasm')!;
    expect(tf.getKernel('Slice', 'wasm')!.kernelFunc).to.not.equal(stock);
    for (let c = 0; c < 200; c++) {
      const rank = 1 + (c % 5);
      const shape = Array.from({ length: rank }, () => dim(1, 7));
      const dtype = (['float32', 'int32', 'bool'] as const)[c % 3]!;
      const x = tf.tidy(() => tf.cast(tf.mul(tf.randomUniform(shape, -5, 5, 'float32', c), dtype === 'bool' ? 1 : 10), dtype));
      const begin = shape.map((s) => Math.floor(r() * s));
      const size = shape.map((s, i) => (r() < 0.3 ? -1 : dim(0, s - begin[i]!)));
      const what = `shape ${JSON.stringify(shape)} begin ${JSON.stringify(begin)} size ${JSON.stringify(size)} ${dtype}`;
      const got = tf.slice(x, begin, size);
      const [want] = run(stock, { x }, { begin, size });
      expect(got.shape, what).to.deep.equal(want!.shape);
      expect(got.dtype, what).to.equal(want!.dtype);
      expect(Array.from(got.dataSync()), what).to.deep.equal(Array.from(want!.dataSync()));
      tf.dispose([x, got, want!]);
    }
  });

  it('SplitV matches the stock kernel on every axis, equal and uneven parts', () => {
    const stock = stockKernel('SplitV', 'wasm')!;
    const x = tf.randomNormal([4, 6, 9], 0, 1, 'float32', 1);
    for (const axis of [0, 1, 2, -1]) {
      for (const parts of [2, [1, -1, 2]] as const) {
        const n = x.shape[axis < 0 ? 2 : axis]!;
        const spec = typeof parts === 'number' ? (n % 2 === 0 ? 2 : [1, n - 1]) : parts;
        const got = tf.split(x, spec as number | number[], axis);
        const want = run(stock, { x }, { numOrSizeSplits: spec, axis });
        expect(got.length).to.equal(want.length);
        for (let i = 0; i < got.length; i++) {
          expect(got[i]!.shape).to.deep.equal(want[i]!.shape);
          expect(Array.from(got[i]!.dataSync())).to.deep.equal(Array.from(want[i]!.dataSync()));
        }
        tf.dispose([...got, ...want]);
      }
    }
    x.dispose();
  });

  it('keeps gradients right (slice and split back-propagate into the right places) and frees everything', () => {
    const x = tf.randomNormal([5, 8], 0, 1, 'float32', 2);
    const g = tf.grad((t: tf.Tensor) => {
      const [p, q] = tf.split(t, [3, 5], 1);
      return tf.add(tf.sum(tf.mul(p!, 2)), tf.sum(tf.mul(tf.slice(q!, [1, 1], [2, 3]), 3)));
    })(x);
    const want = new Float32Array(40);
    for (let i = 0; i < 5; i++) for (let j = 0; j < 3; j++) want[i * 8 + j] = 2;
    for (let i = 1; i < 3; i++) for (let j = 4; j < 7; j++) want[i * 8 + j] = 3;
    expect(Array.from(g.dataSync())).to.deep.equal(Array.from(want));
    const backend = tf.backend() as tf.KernelBackend & { numDataIds(): number };
    const ids = backend.numDataIds();
    for (let i = 0; i < 3; i++) tf.dispose([tf.slice(x, [1, 2], [3, 4]), ...tf.split(x, 4, 1)]);
    expect(backend.numDataIds()).to.equal(ids);
    tf.dispose([x, g]);
  });
});
