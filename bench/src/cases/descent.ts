/**
 * descent-autodiff vs descent-closed-form: the same modern Hopfield energy model,
 * T explicit Euler steps, once through core autodiff (EnergyModel with a memory
 * synapse: model.descentStep computes dE/dg with tf.grads and the energy tree)
 * and once through the closed-form update with pre-transposed memories.
 */
import * as tf from '@tensorflow/tfjs';
import { EnergyModel, lagrangians, memorySynapse, type State } from '@engram/core';
import type { BenchCase } from '../harness.js';
import { closedFormStep, hopfieldData, type HopfieldSizes } from './modern-hopfield.js';

const SIZES: HopfieldSizes = { memories: 1000, features: 784, batch: 128, beta: 1 };
const STEPS = 10;
const DT = 0.1;
/** Two products of 2*B*K*D per step (energy shares the first). */
const FLOPS = STEPS * 2 * 2 * SIZES.batch * SIZES.memories * SIZES.features;
const WHAT = `K=${SIZES.memories}, D=${SIZES.features}, batch ${SIZES.batch}, ${STEPS} Euler steps dt=${DT}, energy every step`;

/** Autodiff: EnergyModel (identity layer + lse memory synapse), model.descentStep. */
export const descentAutodiff: BenchCase = {
  name: 'descent-autodiff',
  description: `core EnergyModel + memorySynapse, dE/dg by tf.grads: ${WHAT}`,
  flops: FLOPS,
  reps: 7,
  torch: 'descent-autodiff',
  setup() {
    const { patterns, queries } = hopfieldData(SIZES);
    const model = new EnergyModel()
      .addLayer('v', { shape: [SIZES.features], lagrangian: lagrangians.identity() })
      .addSynapse('mem', memorySynapse({ memories: SIZES.memories, features: SIZES.features, beta: SIZES.beta, patterns }), ['v']);
    patterns.dispose();
    return {
      run() {
        let state: State = { v: queries };
        for (let i = 0; i < STEPS; i++) {
          const { next, energy } = model.descentStep(state, DT);
          tf.dispose(energy ? [energy.total, ...Object.values(energy.terms ?? {})] : []);
          if (state['v'] !== queries) tf.dispose(Object.values(state));
          state = next;
        }
        state['v']!.dataSync();
        tf.dispose(Object.values(state));
      },
      dispose() {
        model.dispose();
        queries.dispose();
      },
    };
  },
};

/** Closed form: x <- x - dt (x - Xi^T softmax(beta Xi x)), memories in both layouts. */
export const descentClosedForm: BenchCase = {
  name: 'descent-closed-form',
  description: `closed-form update, memories pre-transposed: ${WHAT}`,
  flops: FLOPS,
  reps: 7,
  torch: 'descent-closed-form',
  setup() {
    const { patterns, queries } = hopfieldData(SIZES);
    const cf = { xi: patterns, xiT: tf.transpose(patterns) as tf.Tensor2D, beta: SIZES.beta };
    return {
      run() {
        let x = queries;
        for (let i = 0; i < STEPS; i++) {
          const { next, energy } = closedFormStep(cf, x, DT);
          energy.dispose();
          if (x !== queries) x.dispose();
          x = next;
        }
        x.dataSync();
        x.dispose();
      },
      dispose() {
        tf.dispose([cf.xi, cf.xiT, queries]);
      },
    };
  },
};
