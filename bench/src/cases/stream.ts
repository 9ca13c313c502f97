/**
 * The cost of the event stream: the same closed-form modern Hopfield steps run
 * (a) as a bare loop that reads each step's energies to the host, (b) through
 * runDynamics with a subscriber on every step, (c) the same with state snapshots.
 */
import * as tf from '@tensorflow/tfjs';
import { runDynamics } from '@engram/core';
import type { BenchCase, Workload } from '../harness.js';
import { closedFormStep, closedFormSystem, hopfieldData, type ClosedForm, type HopfieldSizes } from './modern-hopfield.js';

const SIZES: HopfieldSizes = { memories: 1000, features: 784, batch: 64, beta: 1 };
const STEPS = 40;
const DT = 0.1;
const WHAT = `K=${SIZES.memories}, D=${SIZES.features}, batch ${SIZES.batch}, ${STEPS} steps`;

function setupShared(): { cf: ClosedForm; queries: tf.Tensor2D; dispose(): void } {
  const { patterns, queries } = hopfieldData(SIZES);
  const cf = { xi: patterns, xiT: tf.transpose(patterns) as tf.Tensor2D, beta: SIZES.beta };
  return { cf, queries, dispose: () => tf.dispose([cf.xi, cf.xiT, queries]) };
}

/** Bare loop: step, energy of the input state read to the host (one dataSync per step), as a hand-written loop would. */
export const streamBare: BenchCase = {
  name: 'stream-bare',
  description: `bare loop of closed-form steps, energies read every step: ${WHAT}`,
  reps: 15,
  setup(): Workload {
    const s = setupShared();
    let sink = 0;
    return {
      run() {
        let x = s.queries;
        for (let i = 0; i <= STEPS; i++) {
          const { next, energy } = closedFormStep(s.cf, x, DT);
          sink += energy.dataSync()[0]!;
          energy.dispose();
          if (x !== s.queries) x.dispose();
          if (i === STEPS) next.dispose();
          else x = next;
        }
        if (x !== s.queries) x.dispose();
      },
      dispose: () => s.dispose(),
      extra: () => ({ checksum_finite: Number.isFinite(sink) }),
    };
  },
};

function streamCase(name: string, snapshot: boolean): BenchCase {
  return {
    name,
    description: `runDynamics, subscriber on every step${snapshot ? ', snapshot: true' : ''}: ${WHAT}`,
    reps: 15,
    setup(): Workload {
      const s = setupShared();
      const system = closedFormSystem(s.cf);
      let events = 0;
      let sink = 0;
      return {
        async run() {
          // maxSteps updates + the final state's event: STEPS + 1 energies, like the bare loop.
          await new Promise<void>((resolve, reject) => {
            runDynamics(system, { initial: { v: s.queries }, maxSteps: STEPS, dt: DT, snapshot, yieldEvery: 1 }).subscribe({
              next: (e) => {
                events++;
                sink += e.energy ?? 0;
              },
              error: reject,
              complete: resolve,
            });
          });
        },
        dispose: () => s.dispose(),
        extra: () => ({ events, checksum_finite: Number.isFinite(sink) }),
      };
    },
  };
}

/** runDynamics with a subscriber on every step, no snapshots. */
export const streamSubscribed = streamCase('stream-subscribed', false);
/** runDynamics with a subscriber on every step and state snapshots. */
export const streamSubscribedSnapshots = streamCase('stream-subscribed-snapshots', true);
