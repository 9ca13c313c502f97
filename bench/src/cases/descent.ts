/**
 * descent-closed-form vs descent-graph vs descent-autodiff: the same modern
 * Hopfield energy model, T explicit Euler steps, (1) as a hand-written
 * closed-form loop with pre-transposed memories, (2) through core's
 * EnergyModel whose memory synapse gives its closed-form dE/dg (the energy
 * tree too), and (3) through the same EnergyModel with the synapse's closed
 * form removed, so dE/dg comes from tf.grads.
 */
import * as tf from '@tensorflow/tfjs';
import { autodiffOnly, EnergyModel, lagrangians, memorySynapse, type Hypersynapse, type State } from '@engram/core';
import type { BenchCase } from '../harness.js';
import { closedFormStep, hopfieldData, type HopfieldSizes } from './modern-hopfield.js';

const SIZES: HopfieldSizes = { memories: 1000, features: 784, batch: 128, beta: 1 };
const STEPS = 10;
const DT = 0.1;
/** Two products of 2*B*K*D per step (energy shares the first). */
const FLOPS = STEPS * 2 * 2 * SIZES.batch * SIZES.memories * SIZES.features;
const WHAT = `K=${SIZES.memories}, D=${SIZES.features}, batch ${SIZES.batch}, ${STEPS} Euler steps dt=${DT}, energy every step`;

function graphCase(name: string, description: string, wrap: (s: Hypersynapse) => Hypersynapse, torch: string): BenchCase {
  return {
    name,
    description: `${description}: ${WHAT}`,
    flops: FLOPS,
    reps: 11,
    torch,
    setup() {
      const { patterns, queries } = hopfieldData(SIZES);
      const model = new EnergyModel()
        .addLayer('v', { shape: [SIZES.features], lagrangian: lagrangians.identity() })
        .addSynapse('mem', wrap(memorySynapse({ memories: SIZES.memories, size: SIZES.features, beta: SIZES.beta, patterns })), ['v']);
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
}

/** Core EnergyModel, the memory synapse's closed-form dE/dg. */
export const descentGraph = graphCase('descent-graph', "core EnergyModel + memorySynapse, the synapse's closed-form dE/dg", (s) => s, 'descent-closed-form');

/** Core EnergyModel, dE/dg by autodiff (the closed form removed). */
export const descentAutodiff = graphCase('descent-autodiff', 'core EnergyModel + memorySynapse, dE/dg by tf.grads', autodiffOnly, 'descent-autodiff');

/** Closed form: x <- x - dt (x - Xi^T softmax(beta Xi x)), memories in both layouts. */
export const descentClosedForm: BenchCase = {
  name: 'descent-closed-form',
  description: `closed-form update, memories pre-transposed: ${WHAT}`,
  flops: FLOPS,
  reps: 11,
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
