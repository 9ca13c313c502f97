import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { ErrorCodes, initBackend } from '@engram/core';
import { createRng } from '@engram/data';
import { Hopfield, HopfieldLayer, HopfieldPooling, ModernHopfield } from '../src/index.js';
import { codeOf } from './helpers.js';

describe('hopfield-layers style modules', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('Hopfield with identity projections and no norms computes softmax(beta R Y^T) V exactly', () => {
    const d = 4;
    const hf = new Hopfield({ inputSize: d, normalizeStoredPattern: false, normalizeStatePattern: false, normalizePatternProjection: false, scaling: 2 });
    const eye = tf.eye(d);
    const w = hf.getWeights();
    const set: Record<string, tf.Tensor> = {};
    for (const [k, v] of Object.entries(w)) set[k] = k.endsWith('.weight') ? eye : tf.zerosLike(v);
    hf.setWeights(set);
    const y = tf.tensor3d([[[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 1]]]);
    const r = tf.tensor3d([[[1, 0.5, 0, 0], [0, 0, 1, 0]]]);
    const { output, association } = hf.apply({ stored: y, state: r });
    const expectA = tf.softmax(tf.mul(tf.matMul(r.squeeze([0]), y.squeeze([0]), false, true), 2));
    expect(tf.max(tf.abs(tf.sub(association.squeeze([0, 1]), expectA))).dataSync()[0]).to.be.lessThan(1e-5);
    const expectOut = tf.matMul(expectA, y.squeeze([0]));
    expect(tf.max(tf.abs(tf.sub(output.squeeze([0]), expectOut))).dataSync()[0]).to.be.lessThan(1e-5);
    expect(hf.config.scaling).to.equal(2);
    // Energies are first-class: equal to the modern Hopfield energy of R against Y.
    const e = hf.energy({ stored: y, state: r });
    const net = new ModernHopfield({ dim: d, beta: 2 }).store(y.squeeze([0]));
    const ref = net.energy(r.squeeze([0]));
    expect(e.shape).to.deep.equal([1, 1, 2]);
    expect(tf.max(tf.abs(tf.sub(e.reshape([2]), ref))).dataSync()[0]).to.be.lessThan(1e-5);
    tf.dispose([e, ref]);
    net.dispose();
    expect(new Hopfield({ inputSize: 16, heads: 2 }).config.scaling).to.be.closeTo(1 / Math.sqrt(8), 1e-12);
    tf.dispose([eye, y, r, output, association, expectA, expectOut, ...Object.values(set)]);
    hf.dispose();
  });

  it('update steps iterate the state to a fixed point of softmax(beta xi Y^T) Y', () => {
    const hf = new Hopfield({ inputSize: 3, normalizeStoredPattern: false, normalizeStatePattern: false, normalizePatternProjection: false, scaling: 8, updateStepsMax: 20, disableOutProjection: true });
    const set: Record<string, tf.Tensor> = {};
    for (const [k, v] of Object.entries(hf.getWeights())) set[k] = k.endsWith('.weight') ? tf.eye(3) : tf.zerosLike(v);
    hf.setWeights(set);
    const y = tf.tensor3d([[[1, 0, 0], [0, 1, 0], [0, 0, 1]]]);
    const a = hf.associationMatrix({ stored: y, state: tf.tensor3d([[[0.6, 0.4, 0]]]) });
    // Iterating pulls the state onto the first pattern: its weight approaches 1.
    expect(a.dataSync()[0]).to.be.greaterThan(0.99);
    tf.dispose([y, a, ...Object.values(set)]);
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
    for (let i = 0; i < 80; i++) tf.tidy(() => {
      opt.minimize(lossOf, false, pool.variables());
    });
    const last = tf.tidy(() => lossOf().dataSync()[0]!);
    const test = makeBatch(64);
    const acc = tf.tidy(() => tf.mean(tf.equal(tf.greater(pool.forward(test.x), 0).toFloat(), test.y).toFloat()).dataSync()[0]!);
    expect(last).to.be.lessThan(first * 0.5);
    expect(acc).to.be.at.least(0.9);
    const { output, association } = pool.apply(test.x);
    expect(output.shape).to.deep.equal([64, 1]);
    expect(association.shape).to.deep.equal([64, 2, 1, 6]);
    const before = tf.memory().numTensors;
    const pe = pool.energy(test.x);
    expect(pe.shape).to.deep.equal([64, 2, 1]);
    expect(tf.memory().numTensors - before).to.equal(1);
    pe.dispose();
    tf.dispose([train.x, train.y, test.x, test.y, output, association]);
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
      return { x: tf.tensor3d(x, [n, 1, 2]), y: tf.oneHot(tf.tensor1d(lab, 'int32'), 4) };
    };
    const layer = new HopfieldLayer({ inputSize: 2, hiddenSize: 4, quantity: 4, outputSize: 4, normalizeStatePattern: false, seed: 2 });
    const train = make(128);
    const opt = tf.train.adam(0.05);
    const loss = () => tf.losses.softmaxCrossEntropy(train.y, layer.forward(train.x).reshape([128, 4])) as tf.Scalar;
    for (let i = 0; i < 100; i++) tf.tidy(() => {
      opt.minimize(loss, false, layer.variables());
    });
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

  it('apply leaks no tensors beyond its outputs; bad input gives coded errors', () => {
    const hf = new Hopfield({ inputSize: 6, heads: 3, updateStepsMax: 2 });
    const x = tf.randomNormal([2, 5, 6], 0, 1, 'float32', 1) as tf.Tensor3D;
    const before = tf.memory().numTensors;
    const { output, association } = hf.apply(x);
    expect(tf.memory().numTensors - before).to.equal(2);
    tf.dispose([output, association]);
    expect(codeOf(() => hf.apply(tf.zeros([2, 5, 4]) as tf.Tensor3D))).to.equal(ErrorCodes.SHAPE_MISMATCH);
    expect(codeOf(() => new Hopfield({ inputSize: 0 }))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    expect(codeOf(() => new HopfieldLayer({ inputSize: 4, quantity: -1 }))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    expect(codeOf(() => hf.setWeights({ nope: tf.zeros([1]) }))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    x.dispose();
    hf.dispose();
    expect(codeOf(() => hf.apply(tf.zeros([1, 1, 6]) as tf.Tensor3D))).to.equal(ErrorCodes.DISPOSED);
  });
});
