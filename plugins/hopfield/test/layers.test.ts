import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { lastValueFrom, toArray } from 'rxjs';
import { createEngram, ErrorCodes, initBackend, trainModel } from '@engram/core';
import { createRng } from '@engram/data';
import hopfield, { Hopfield, HopfieldLayer, HopfieldPooling, ModernHopfield } from '../src/index.js';
import { splitHeads } from '../src/internal/layers/associate.js';
import { associationEnergyRef, associationUpdateRef } from './references.js';
import { asyncCodeOf, codeOf, expectClose, notificationCode } from './helpers.js';

/** Identity projections, zero biases (the module then computes the bare association). */
function identityWeights(mod: Hopfield): void {
  const set: Record<string, tf.Tensor> = {};
  for (const [k, v] of Object.entries(mod.variables())) set[k] = k.endsWith('.weight') ? tf.eye(v.shape[0]!, v.shape[1]) : tf.zerosLike(v);
  mod.setWeights(set);
  tf.dispose(Object.values(set));
}

describe('hopfield-layers style modules', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('Hopfield with identity projections and no norms computes softmax(beta R Y^T) V exactly; its energy equals the modern network\'s', () => {
    const d = 4;
    const hf = new Hopfield({ inputSize: d, normalizeStoredPattern: false, normalizeStatePattern: false, normalizePatternProjection: false, scaling: 2 });
    identityWeights(hf);
    const y = tf.tensor3d([[[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 1]]]);
    const r = tf.tensor3d([[[1, 0.5, 0, 0], [0, 0, 1, 0]]]);
    const { output, association } = hf.apply({ stored: y, state: r });
    const expectA = tf.softmax(tf.mul(tf.matMul(r.squeeze([0]), y.squeeze([0]), false, true), 2));
    expectClose(association.squeeze([0, 1]), expectA, 'association');
    const expectOut = tf.matMul(expectA, y.squeeze([0]));
    expectClose(output.squeeze([0]), expectOut, 'output');
    expect(hf.config.scaling).to.equal(2);
    const e = hf.hopfieldEnergy({ stored: y, state: r });
    const net = new ModernHopfield({ size: d, beta: 2 }).store(y.squeeze([0]));
    const ref = net.energy(r.squeeze([0]));
    expect(e.shape).to.deep.equal([1, 1, 2]);
    expectClose(e.reshape([2]), ref.total, 'energy vs ModernHopfield');
    tf.dispose([e, ref.total, ...Object.values(ref.terms!)]);
    net.dispose();
    const two = new Hopfield({ inputSize: 16, heads: 2 });
    expect(two.config.scaling).to.be.closeTo(1 / Math.sqrt(8), 1e-12);
    two.dispose();
    tf.dispose([y, r, output, association, expectA, expectOut]);
    hf.dispose();
  });

  it('run streams the update iterations: each step equals the previous hand-written update, its energy the previous energy (1e-5 relative)', async () => {
    const hf = new Hopfield({ inputSize: 6, heads: 2, scaling: 1.5, seed: 3 });
    const y = tf.randomNormal([2, 5, 6], 0, 1, 'float32', 1);
    const r = tf.randomNormal([2, 3, 6], 0, 1, 'float32', 2);
    const initial = hf.encode({ stored: y, state: r });
    const states: tf.Tensor[] = [];
    const steps = await lastValueFrom(hf.run({ initial, maxSteps: 3, snapshot: ['state'] }).pipe(toArray()));
    expect(steps).to.have.length(4);
    const kh = splitHeads(initial['stored']!, 2);
    let xi = splitHeads(initial['state']!, 2);
    for (let s = 0; s < steps.length; s++) {
      const snap = steps[s]!.states!['state']!;
      const got = tf.tensor(snap.data, snap.shape);
      states.push(got);
      expectClose(splitHeads(got, 2), xi, `state at step ${s}`);
      const eRef = tf.sum(associationEnergyRef(xi, kh, 1.5), [1, 2]);
      expectClose(tf.tensor1d(steps[s]!.energies!), eRef, `energy at step ${s}`);
      xi = associationUpdateRef(xi, kh, 1.5);
    }
    // With updateStepsMax the module's own forward runs the same iterations (default maxSteps of run).
    const it = new Hopfield({ inputSize: 6, heads: 2, scaling: 1.5, seed: 3, updateStepsMax: 2, updateStepsEps: 1e-12 });
    const dflt = await lastValueFrom(it.run({ initial }).pipe(toArray()));
    expect(dflt.at(-1)!.step).to.equal(2);
    tf.dispose([y, r, ...Object.values(initial), ...states]);
    hf.dispose();
    it.dispose();
  });

  it('update steps iterate the state to a fixed point of softmax(beta xi Y^T) Y', () => {
    const hf = new Hopfield({ inputSize: 3, normalizeStoredPattern: false, normalizeStatePattern: false, normalizePatternProjection: false, scaling: 8, updateStepsMax: 20, disableOutProjection: true });
    identityWeights(hf);
    const y = tf.tensor3d([[[1, 0, 0], [0, 1, 0], [0, 0, 1]]]);
    const r = tf.tensor3d([[[0.6, 0.4, 0]]]);
    const a = hf.associationMatrix({ stored: y, state: r });
    expect(a.dataSync()[0]).to.be.greaterThan(0.99);
    tf.dispose([y, r, a]);
    hf.dispose();
  });

  it('HopfieldPooling learns a multiple-instance task (bag positive iff it holds the marker)', () => {
    const dim = 8;
    const rng = createRng(3);
    const makeBatch = (n: number) => {
      const x = new Float32Array(n * 6 * dim);
      const yl = new Float32Array(n);
      for (let b = 0; b < n; b++) {
        for (let i = 0; i < 6 * dim; i++) x[b * 6 * dim + i] = rng.normal(0, 1);
        if (b % 2 === 0) {
          yl[b] = 1;
          const slot = rng.int(6);
          for (let j = 0; j < dim; j++) x[b * 6 * dim + slot * dim + j] = j < 2 ? 3 : 0;
        }
      }
      return { x: tf.tensor3d(x, [n, 6, dim]), y: tf.tensor2d(yl, [n, 1]) };
    };
    const pool = new HopfieldPooling({ inputSize: dim, heads: 2, hiddenSize: 8, outputSize: 1, seed: 1 });
    const opt = tf.train.adam(0.02);
    const train = makeBatch(64);
    const lossOf = () => tf.losses.sigmoidCrossEntropy(train.y, pool.forward(train.x)) as tf.Scalar;
    const first = tf.tidy(() => lossOf().dataSync()[0]!);
    for (let i = 0; i < 80; i++) tf.tidy(() => void opt.minimize(lossOf, false, Object.values(pool.variables())));
    const last = tf.tidy(() => lossOf().dataSync()[0]!);
    const test = makeBatch(64);
    const acc = tf.tidy(() => tf.mean(tf.equal(tf.greater(pool.forward(test.x), 0).toFloat(), test.y).toFloat()).dataSync()[0]!);
    expect(last).to.be.lessThan(first * 0.5);
    expect(acc).to.be.at.least(0.9);
    const { output, association } = pool.apply(test.x);
    expect(output.shape).to.deep.equal([64, 1]);
    expect(association.shape).to.deep.equal([64, 2, 1, 6]);
    const before = tf.memory().numTensors;
    const pe = pool.hopfieldEnergy(test.x);
    expect(pe.shape).to.deep.equal([64, 2, 1]);
    expect(tf.memory().numTensors - before).to.equal(1);
    tf.dispose([pe, train.x, train.y, test.x, test.y, output, association]);
    opt.dispose();
    pool.dispose();
  });

  it('HopfieldLayer learns prototypes: 4 clusters to 4 classes, one stored pattern per class', () => {
    const rng = createRng(9);
    const centers = [[2, 0], [-2, 0], [0, 2], [0, -2]];
    const make = (n: number) => {
      const x = new Float32Array(n * 2);
      const lab = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        lab[i] = i % 4;
        x[2 * i] = centers[i % 4]![0]! + rng.normal(0, 0.3);
        x[2 * i + 1] = centers[i % 4]![1]! + rng.normal(0, 0.3);
      }
      const labels = tf.tensor1d(lab, 'int32');
      const y = tf.oneHot(labels, 4);
      labels.dispose();
      return { x: tf.tensor3d(x, [n, 1, 2]), y };
    };
    const layer = new HopfieldLayer({ inputSize: 2, hiddenSize: 4, memories: 4, outputSize: 4, normalizeStatePattern: false, seed: 2 });
    const train = make(128);
    const opt = tf.train.adam(0.05);
    const loss = () => tf.losses.softmaxCrossEntropy(train.y, layer.forward(train.x).reshape([128, 4])) as tf.Scalar;
    for (let i = 0; i < 100; i++) tf.tidy(() => void opt.minimize(loss, false, Object.values(layer.variables())));
    const test = make(64);
    const acc = tf.tidy(() => tf.mean(tf.equal(tf.argMax(layer.forward(test.x).reshape([64, 4]), 1), tf.argMax(test.y, 1)).toFloat()).dataSync()[0]!);
    expect(acc).to.be.at.least(0.95);
    const a = layer.associationMatrix(test.x);
    expect(a.shape).to.deep.equal([64, 1, 1, 4]);
    const rowSums = tf.sum(a, -1);
    expect(tf.max(tf.abs(tf.sub(rowSums, 1))).dataSync()[0]).to.be.lessThan(1e-5);
    tf.dispose([train.x, train.y, test.x, test.y, a, rowSums]);
    opt.dispose();
    layer.dispose();
  });

  it('training faces: the default tasks train through trainModel (pooling >= 90% held-out accuracy, layer >= 90%, association MSE halves)', async () => {
    const engram = await createEngram({ plugins: [hopfield] });
    const cases = [
      { model: new HopfieldPooling({ inputSize: 8, heads: 2, hiddenSize: 8, outputSize: 1, seed: 1 }), metric: 'accuracy', check: (a: number) => expect(a).to.be.at.least(0.9) },
      { model: new HopfieldLayer({ inputSize: 4, memories: 4, outputSize: 4, seed: 2 }), metric: 'accuracy', check: (a: number) => expect(a).to.be.at.least(0.9) },
    ] as const;
    for (const c of cases) {
      const events = await lastValueFrom(trainModel(c.model, { engram, settings: { epochs: 6, limit: 256 } }).pipe(toArray()));
      const epochs = events.filter((e) => e.type === 'epoch');
      expect(epochs).to.have.length(6);
      c.check(epochs.at(-1)!.metrics![c.metric]!);
      c.model.dispose();
    }
    const assoc = new Hopfield({ inputSize: 8, heads: 2, seed: 4 });
    const ev = (await lastValueFrom(trainModel(assoc, { engram, settings: { epochs: 8, limit: 256 } }).pipe(toArray()))).filter((e) => e.type === 'epoch');
    expect(ev.at(-1)!.metrics!['mse']!).to.be.lessThan(ev[0]!.metrics!['mse']! * 0.5);
    assoc.dispose();
  });

  it('apply and encode leak no tensors beyond their outputs; bad input gives coded errors', async () => {
    const hf = new Hopfield({ inputSize: 6, heads: 3, updateStepsMax: 2 });
    const x = tf.randomNormal([2, 5, 6], 0, 1, 'float32', 1) as tf.Tensor3D;
    const before = tf.memory().numTensors;
    const { output, association } = hf.apply(x);
    expect(tf.memory().numTensors - before).to.equal(2);
    const enc = hf.encode(x);
    expect(tf.memory().numTensors - before).to.equal(4);
    tf.dispose([output, association, ...Object.values(enc)]);
    const wrong = tf.zeros([2, 5, 4]);
    expect(codeOf(() => hf.apply(wrong))).to.equal(ErrorCodes.SHAPE_MISMATCH);
    wrong.dispose();
    expect(tf.memory().numTensors - before).to.equal(0);
    expect(codeOf(() => new Hopfield({ inputSize: 0 }))).to.equal(ErrorCodes.INVALID_CONFIG);
    expect(codeOf(() => new Hopfield({ inputSize: 2, heads: 3 }))).to.equal(ErrorCodes.INVALID_CONFIG);
    expect(codeOf(() => new HopfieldLayer({ inputSize: 4, memories: -1 }))).to.equal(ErrorCodes.INVALID_CONFIG);
    expect(codeOf(() => new HopfieldLayer({ inputSize: 4, quantity: 3 } as never))).to.equal(ErrorCodes.INVALID_CONFIG);
    expect(codeOf(() => hf.setWeights({ nope: tf.zeros([1]) }))).to.equal(ErrorCodes.WEIGHTS_MISMATCH);
    expect(await notificationCode(() => hf.run({ initial: { state: [[[0, 0, 0, 0, 0, 0]]] } }))).to.equal(ErrorCodes.INVALID_ARGUMENT); // 'stored' missing
    expect(await notificationCode(() => hf.run({ initial: { state: [[[0, 0, 0]]], stored: [[[0, 0, 0]]] } }))).to.equal(ErrorCodes.SHAPE_MISMATCH);
    expect(await notificationCode(() => hf.run({ initial: { stat: [[[0, 0, 0, 0, 0, 0]]] } }))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    const engram = await createEngram({ plugins: [hopfield] });
    expect(await asyncCodeOf(() => lastValueFrom(trainModel(hf, { engram, settings: { epochs: 0 } })))).to.equal(ErrorCodes.INVALID_CONFIG);
    x.dispose();
    hf.dispose();
    expect(codeOf(() => hf.apply(tf.zeros([1, 1, 6]) as tf.Tensor3D))).to.equal(ErrorCodes.DISPOSED);
  });
});
