import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { initBackend } from '../../src/backend/backend.js';

/**
 * The wasm Identity shares its input's buffer (tfjs' cpu backend does the same;
 * the stock wasm kernel copies): every tensor the gradient tape saves is a
 * clone, i.e. an Identity. Values, lifetimes and gradients must not change.
 */
describe('wasm Identity (shared buffer)', function () {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('clones without copying: same values, one backend buffer, freed with the last reference', () => {
    const backend = tf.backend() as tf.KernelBackend & { numDataIds(): number };
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const ids = backend.numDataIds();
    const y = tf.clone(x);
    expect(backend.numDataIds(), 'no new buffer').to.equal(ids);
    expect(Array.from(y.dataSync())).to.deep.equal([1, 2, 3, 4, 5, 6]);
    x.dispose();
    expect(Array.from(y.dataSync()), 'survives the original').to.deep.equal([1, 2, 3, 4, 5, 6]);
    y.dispose();
    expect(backend.numDataIds(), 'freed with the last reference').to.equal(ids - 1);
    const b = tf.tensor1d([1, 0, 1], 'bool');
    const c = tf.clone(b);
    expect(Array.from(c.dataSync())).to.deep.equal([1, 0, 1]);
    tf.dispose([b, c]);
  });

  it('keeps saved tensors right through training updates (a variable assigned between forward and backward is not aliased)', () => {
    const v = tf.variable(tf.tensor1d([1, 2, 3]));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      const ones = tf.tensor1d([1, 1, 1]);
      const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.mul(x, v), x)))(ones);
      const want = v.dataSync().map((w) => 2 * w);
      expect(Array.from(g.dataSync())).to.deep.equal(Array.from(want));
      const next = tf.add(v, 1);
      v.assign(next);
      tf.dispose([next, g, ones]);
    }
    expect(Array.from(v.dataSync())).to.deep.equal([4, 5, 6]);
    expect(tf.memory().numTensors).to.equal(before);
    v.dispose();
  });

  it('casts to the same dtype without copying, to bool as x != 0, and to other dtypes as before', () => {
    const backend = tf.backend() as tf.KernelBackend & { numDataIds(): number };
    const x = tf.tensor2d([1.5, -2, 0, 4], [2, 2]);
    const ids = backend.numDataIds();
    const same = tf.cast(x, 'float32');
    expect(backend.numDataIds(), 'no new buffer').to.equal(ids);
    x.dispose();
    expect(Array.from(same.dataSync()), 'survives the original').to.deep.equal([1.5, -2, 0, 4]);
    const ints = tf.cast(same, 'int32');
    expect(ints.dtype).to.equal('int32');
    expect(Array.from(ints.dataSync())).to.deep.equal([1, -2, 0, 4]);
    const back = tf.cast(ints, 'int32');
    expect(Array.from(back.dataSync())).to.deep.equal([1, -2, 0, 4]);
    // To bool: x != 0, as on cpu (the stock wasm kernel stored -2 as 254 and 0.5 as 0).
    const flags = tf.cast(same, 'bool');
    const halves = tf.tensor1d([0.5, -0, NaN, -2]);
    const halfFlags = tf.cast(halves, 'bool');
    const intFlags = tf.cast(ints, 'bool');
    expect(Array.from(flags.dataSync())).to.deep.equal([1, 1, 0, 1]);
    expect(Array.from(halfFlags.dataSync())).to.deep.equal([1, 0, 1, 1]);
    expect(Array.from(intFlags.dataSync())).to.deep.equal([1, 1, 0, 1]);
    tf.dispose([same, ints, back, flags, halves, halfFlags, intFlags]);
    expect(backend.numDataIds(), 'every buffer freed').to.equal(ids - 1);
    // The ReLU gradient casts float32 to float32: still right.
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.relu(t)))(tf.tensor1d([-1, 2, 0.5]));
    expect(Array.from(g.dataSync())).to.deep.equal([0, 1, 1]);
    g.dispose();
  });
});
