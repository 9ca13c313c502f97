import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { lastValueFrom, take, toArray } from 'rxjs';
import { initBackend } from '../../src/backend/backend.js';
import { EnergyModel } from '../../src/model/energy-model.js';
import { lagrangians } from '../../src/lagrangians/index.js';
import { denseSynapse } from '../../src/synapses/dense.js';
import { trainStream } from '../../src/training/train.js';
import { ErrorCodes, isEngramError } from '../../src/errors/index.js';
import { tick } from '../helpers.js';

/** A tiny two-layer AM learning to map 4 inputs to 2 classes through 5 unrolled steps. */
function setup() {
  const model = new EnergyModel()
    .addLayer('x', { shape: [4], lagrangian: lagrangians.identity() })
    .addLayer('y', { shape: [2], lagrangian: lagrangians.softmax({ beta: 1 }) })
    .addSynapse('w', denseSynapse({ inSize: 4, outSize: 2, std: 0.1, seed: 1 }), ['x', 'y']);
  const xs = tf.tensor2d([
    [1, 0, 1, 0],
    [0, 1, 0, 1],
    [1, 1, 0, 0],
    [0, 0, 1, 1],
  ]);
  const ys = tf.tensor2d([
    [1, 0],
    [0, 1],
    [1, 0],
    [0, 1],
  ]);
  const loss = (b: { x: tf.Tensor; y: tf.Tensor }): tf.Scalar =>
    tf.tidy(() => {
      const final = model.integrate({ x: b.x, y: tf.zerosLike(b.y) }, { steps: 5, dt: 0.5, clamp: { x: true } });
      const p = model.layer('y').lagrangian.activation(final['y']!);
      return tf.neg(tf.mean(tf.sum(tf.mul(b.y, tf.log(tf.add(p, 1e-6))), 1))) as tf.Scalar;
    });
  const batches = () => [0, 1].map((i) => ({ x: xs.slice([2 * i, 0], [2, 4]), y: ys.slice([2 * i, 0], [2, 2]) }));
  return { model, xs, ys, loss, batches, dispose: () => (tf.dispose([xs, ys]), model.dispose()) };
}

describe('trainStream', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('lowers the loss through the unrolled dynamics and emits batch and epoch events', async () => {
    const s = setup();
    const optimizer = tf.train.adam(0.1);
    const before = tf.memory().numTensors;
    const events = await lastValueFrom(
      trainStream({ variables: s.model.variables(), optimizer, batches: s.batches, loss: s.loss, epochs: 15, evaluate: () => ({ marker: 1 }) }).pipe(toArray()),
    );
    const epochs = events.filter((e) => e.type === 'epoch');
    expect(epochs).to.have.length(15);
    expect(events.filter((e) => e.type === 'batch')).to.have.length(30);
    expect(epochs[0]!.batches).to.equal(2);
    expect(epochs[14]!.metrics).to.deep.equal({ marker: 1 });
    expect(epochs[14]!.loss).to.be.lessThan(0.5 * epochs[0]!.loss);
    // Adam's slots are created on first use; nothing else may stay behind.
    const slots = optimizer.getWeights ? (await optimizer.getWeights()).length : 0;
    expect(tf.memory().numTensors).to.be.at.most(before + slots + 1);
    optimizer.dispose();
    s.dispose();
  });

  it('stops when unsubscribed and frees the batches it did not use', async () => {
    const s = setup();
    const optimizer = tf.train.sgd(0.1);
    const before = tf.memory().numTensors;
    const made: tf.Tensor[] = [];
    const batches = function* () {
      for (let i = 0; i < 100; i++) {
        const b = { x: s.xs.slice([0, 0], [2, 4]), y: s.ys.slice([0, 0], [2, 2]) };
        made.push(b.x, b.y);
        yield b;
      }
    };
    const got = await lastValueFrom(trainStream({ variables: s.model.variables(), optimizer, batches, loss: s.loss, epochs: 3 }).pipe(take(4), toArray()));
    expect(got).to.have.length(4);
    await tick();
    expect(made.every((t) => t.isDisposed)).to.equal(true);
    expect(tf.memory().numTensors).to.equal(before);
    optimizer.dispose();
    s.dispose();
  });

  it('clips the global gradient norm and reports the norm before clipping', async () => {
    const s = setup();
    const w0 = s.model.variables()['w/W']!.clone();
    const events = await lastValueFrom(
      trainStream({ variables: s.model.variables(), optimizer: tf.train.sgd(1), batches: () => s.batches().slice(0, 1), loss: s.loss, clipNorm: 1e-3 }).pipe(toArray()),
    );
    const moved = tf.norm(tf.sub(s.model.variables()['w/W']!, w0)).dataSync()[0]!;
    expect(events[0]!.gradNorm!).to.be.greaterThan(1e-3);
    expect(moved).to.be.closeTo(1e-3, 1e-5);
    w0.dispose();
    s.dispose();
  });

  it('reports a non-finite loss as ENGRAM_ERR_DIVERGED and bad options as INVALID_ARGUMENT', async () => {
    const s = setup();
    const nanLoss = (): tf.Scalar => tf.tidy(() => tf.mul(tf.sum(s.model.variables()['w/W']!), NaN) as tf.Scalar);
    const err = await lastValueFrom(trainStream({ variables: s.model.variables(), optimizer: tf.train.sgd(0.1), batches: s.batches, loss: nanLoss })).catch((e: unknown) => e);
    expect(isEngramError(err, ErrorCodes.DIVERGED), String(err)).to.equal(true);
    const err2 = await lastValueFrom(trainStream({ variables: [], optimizer: tf.train.sgd(0.1), batches: s.batches, loss: s.loss })).catch((e: unknown) => e);
    expect(isEngramError(err2, ErrorCodes.INVALID_ARGUMENT), String(err2)).to.equal(true);
    s.dispose();
  });
});
