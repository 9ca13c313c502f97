import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { ErrorCodes, gradCheck, gradGradCheck, initBackend } from '@engram/core';
import { prototypeEnergy, prototypeGradient, prototypeSynapse } from '../src/index.js';
import { BACKENDS, expectCode, hostEnergy, randomRows, tensors } from './helpers.js';

/**
 * The ClAM energy synapse: its energy equals the distance form computed on
 * the host in float64, its closed-form gradient equals autodiff of its energy
 * (first order) and differentiates like it (second order, the path training
 * takes), and both pass finite-difference checks, on wasm and cpu.
 */
const maxDiff = (a: tf.Tensor, b: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);

for (const backend of BACKENDS) {
  describe(`prototype synapse (${backend})`, () => {
    before(async () => {
      await initBackend({ backend });
    });

    for (const beta of [0.5, 1.5, 4]) {
      it(`beta ${beta}: energy equals -(1/beta) log sum exp(-(beta/2)||x - rho||^2) (float64 reference)`, () => {
        const rho = randomRows(4, 5, 1, 1);
        const x = randomRows(6, 5, 2, 1.5);
        const syn = prototypeSynapse({ memories: 4, size: 5, beta, patterns: rho });
        const start = tensors();
        const e = syn.energy([tf.tensor2d(x)]);
        const ref = hostEnergy(x, rho, beta);
        const got = Array.from(e.dataSync());
        got.forEach((v, i) => expect(v).to.be.closeTo(ref[i]!, 1e-4 * Math.max(1, Math.abs(ref[i]!))));
        e.dispose();
        expect(tensors()).to.be.at.most(start + 1); // the tf.tensor2d input
        syn.dispose();
      });
    }

    it('closed-form energyAndGradient equals the energy and autodiff of it; gradient x - softmax rho', () => {
      const syn = prototypeSynapse({ memories: 3, size: 4, beta: 1.7, seed: 3, initStd: 1 });
      const x = tf.randomNormal([5, 4], 0, 1, 'float32', 4);
      const closed = syn.energyAndGradient!([x]);
      const e = syn.energy([x]);
      expect(maxDiff(closed.energy, e)).to.be.lessThan(1e-5);
      const auto = tf.grad((a: tf.Tensor) => tf.sum(syn.energy([a])) as tf.Scalar)(x);
      expect(maxDiff(closed.gradients[0]!, auto)).to.be.lessThan(1e-5);
      const direct = prototypeGradient(x as tf.Tensor2D, syn.variables['patterns'] as unknown as tf.Tensor2D, 1.7);
      expect(maxDiff(direct, auto)).to.be.lessThan(1e-5);
      tf.dispose([x, closed.energy, ...closed.gradients, e, auto, direct]);
      syn.dispose();
    });

    it('second order: d<v, dE/dx>/d(x, rho) through the closed form equals it through autodiff', () => {
      const rho0 = tf.randomNormal([3, 4], 0, 1, 'float32', 5);
      const x = tf.randomNormal([2, 4], 0, 1, 'float32', 6);
      const v = tf.randomNormal([2, 4], 0, 1, 'float32', 7);
      const closed = (xx: tf.Tensor, r: tf.Tensor) => tf.sum(tf.mul(prototypeGradient(xx as tf.Tensor2D, r as tf.Tensor2D, 2), v)) as tf.Scalar;
      const viaAuto = (xx: tf.Tensor, r: tf.Tensor) =>
        tf.sum(tf.mul(tf.grad((a: tf.Tensor) => tf.sum(prototypeEnergy(a as tf.Tensor2D, r as tf.Tensor2D, 2)) as tf.Scalar)(xx), v)) as tf.Scalar;
      const a = tf.grads(closed)([x, rho0]);
      const b = tf.grads(viaAuto)([x, rho0]);
      a.forEach((g, i) => expect(maxDiff(g, b[i]!), `argument ${i}`).to.be.lessThan(1e-4));
      tf.dispose([rho0, x, v, ...a, ...b]);
    });

    it('finite differences: the energy at first and second order, w.r.t. x and w.r.t. the prototypes', () => {
      const rho = tf.randomNormal([3, 4], 0, 1, 'float32', 8);
      const x = tf.randomNormal([2, 4], 0, 1, 'float32', 9);
      const ofX = (a: tf.Tensor) => tf.sum(prototypeEnergy(a as tf.Tensor2D, rho as tf.Tensor2D, 1.5)) as tf.Scalar;
      const ofRho = (r: tf.Tensor) => tf.sum(prototypeEnergy(x as tf.Tensor2D, r as tf.Tensor2D, 1.5)) as tf.Scalar;
      for (const [name, f, at] of [['x', ofX, x], ['rho', ofRho, rho]] as const) {
        const g1 = gradCheck(f, at, { seed: 1 });
        expect(g1.ok, `${name} first order: ${g1.summary}`).to.equal(true);
        const g2 = gradGradCheck(f, at, { seed: 2 });
        expect(g2.ok, `${name} second order: ${g2.summary}`).to.equal(true);
      }
      tf.dispose([rho, x]);
    });

    it('rejects a layer of the wrong size and initial prototypes of the wrong shape (coded)', () => {
      const syn = prototypeSynapse({ memories: 2, size: 3 });
      expectCode(() => syn.validate!([[4]]), ErrorCodes.SHAPE_MISMATCH);
      syn.dispose();
      expectCode(() => prototypeSynapse({ memories: 2, size: 3, patterns: [[1, 2, 3]] }), ErrorCodes.SHAPE_MISMATCH);
      expectCode(() => prototypeSynapse({ memories: 0, size: 3 }), ErrorCodes.INVALID_CONFIG);
    });
  });
}
