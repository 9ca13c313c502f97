import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import {
  firstValueFrom,
  interval,
  lastValueFrom,
  sample,
  share,
  take,
  takeUntil,
  throttleTime,
  timer,
  toArray,
  asapScheduler,
} from 'rxjs';
import { initBackend } from '../../src/backend/backend.js';
import { EnergyModel } from '../../src/model/energy-model.js';
import { lagrangians } from '../../src/lagrangians/index.js';
import { memorySynapse } from '../../src/synapses/memory.js';
import { denseSynapse } from '../../src/synapses/dense.js';
import { runDynamics } from '../../src/dynamics/run.js';
import { explicitRule } from '../../src/dynamics/system.js';
import { ErrorCodes, isEngramError } from '../../src/errors/index.js';
import type { DynamicsStep } from '../../src/dynamics/step-event.js';
import { randomGraph, tick } from '../helpers.js';

function hopfield(): EnergyModel {
  const patterns = tf.tidy(() => tf.sign(tf.randomNormal([6, 16], 0, 1, 'float32', 3)));
  const model = new EnergyModel()
    .addLayer('v', { shape: [16], lagrangian: lagrangians.tanh({ beta: 1 }) })
    .addSynapse('mem', memorySynapse({ memories: 6, size: 16, beta: 4, patterns }), ['v']);
  patterns.dispose();
  return model;
}

describe('dynamics stream', () => {
  let model: EnergyModel;
  let init: Record<string, tf.Tensor>;
  before(async () => {
    await initBackend({ backend: 'wasm' });
    model = hopfield();
    init = { v: tf.randomNormal([3, 16], 0, 1, 'float32', 9) };
  });
  after(() => {
    tf.dispose(Object.values(init));
    model.dispose();
  });

  it('is cold: nothing runs before subscribe, each subscription is its own run', async () => {
    const before = tf.memory().numTensors;
    const run = model.run({ initial: init, maxSteps: 5 });
    expect(tf.memory().numTensors).to.equal(before);
    const a = await lastValueFrom(run.pipe(toArray()));
    const b = await lastValueFrom(run.pipe(toArray()));
    expect(a.map((s) => s.energy)).to.deep.equal(b.map((s) => s.energy));
    expect(a[0]!.step).to.equal(0);
    expect(a[0]!.delta).to.equal(0);
    expect(a.at(-1)!.done).to.equal(true);
    expect(Object.keys(a[1]!.energyTree).sort()).to.deep.equal(['mem', 'v']);
    const treeSum = a[1]!.energyTree['mem']! + a[1]!.energyTree['v']!;
    expect(treeSum).to.be.closeTo(a[1]!.energy!, 1e-3 * Math.abs(a[1]!.energy!) + 1e-4);
    expect(tf.memory().numTensors).to.equal(before);
  });

  it('copies its inputs at subscribe time: the caller may dispose them right after', async () => {
    const x = tf.randomNormal([2, 16], 0, 1, 'float32', 4);
    const mask = tf.ones([1, 16]);
    const run = model.run({ initial: { v: x }, clamp: { v: mask }, maxSteps: 3 });
    const done = lastValueFrom(run.pipe(toArray()));
    x.dispose();
    mask.dispose();
    const steps = await done;
    expect(steps).to.have.length(4);
    expect(steps[3]!.delta).to.equal(0); // fully clamped: nothing moves
  });

  it('take(n) stops the run and frees its tensors at once', async () => {
    const before = tf.memory().numTensors;
    const steps = await lastValueFrom(model.run({ initial: init, maxSteps: 1000 }).pipe(take(7), toArray()));
    expect(steps.map((s) => s.step)).to.deep.equal([0, 1, 2, 3, 4, 5, 6]);
    expect(tf.memory().numTensors).to.equal(before);
  });

  it('yields to the event loop so timers stay live, and takeUntil cancels', async () => {
    const before = tf.memory().numTensors;
    let ticks = 0;
    const handle = setInterval(() => ticks++, 1);
    const steps = await lastValueFrom(model.run({ initial: init, maxSteps: 100000 }).pipe(takeUntil(timer(60)), toArray()));
    clearInterval(handle);
    expect(steps.length).to.be.greaterThan(3);
    expect(steps.length).to.be.lessThan(100000);
    expect(ticks).to.be.greaterThan(2);
    expect(tf.memory().numTensors).to.equal(before);
  });

  it('works with sample, throttleTime and share', async () => {
    const before = tf.memory().numTensors;
    const sampled = await lastValueFrom(model.run({ initial: init, maxSteps: 400 }).pipe(sample(interval(5)), toArray()));
    expect(sampled.length).to.be.greaterThan(0);
    expect(sampled.length).to.be.lessThan(401);
    // a window longer than any run here: exactly the leading step gets through, however slow the machine
    const throttled = await lastValueFrom(model.run({ initial: init, maxSteps: 200 }).pipe(throttleTime(600_000), toArray()));
    expect(throttled.map((s) => s.step)).to.deep.equal([0]);
    const shared = model.run({ initial: init, maxSteps: 20 }).pipe(share());
    const [x, y] = await Promise.all([lastValueFrom(shared.pipe(toArray())), lastValueFrom(shared.pipe(toArray()))]);
    expect(x.length).to.equal(21);
    expect(y.map((s) => s.step)).to.deep.equal(x.map((s) => s.step));
    expect(tf.memory().numTensors).to.equal(before);
  });

  it('stops on tolerance with converged=true, and hands the final state to onFinal', async () => {
    let final: Record<string, tf.Tensor> | undefined;
    const steps = await lastValueFrom(
      model.run({ initial: init, maxSteps: 5000, dt: 0.5, tolerance: 1e-4, onFinal: (s) => (final = s) }).pipe(toArray()),
    );
    const last = steps.at(-1)!;
    expect(last.converged).to.equal(true);
    expect(last.delta).to.be.lessThan(1e-4);
    expect(last.step).to.be.lessThan(5000);
    expect(final!['v']!.shape).to.deep.equal([3, 16]);
    tf.dispose(Object.values(final!));
  });

  it('holds clamped entries at their initial values and snapshots states on request', async () => {
    const mask = tf.tensor2d([[1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]]);
    const steps = await lastValueFrom(model.run({ initial: init, maxSteps: 10, clamp: { v: mask }, snapshot: ['v'], every: 5 }).pipe(toArray()));
    expect(steps.map((s) => s.step)).to.deep.equal([0, 5, 10]);
    const first = steps[0]!.states!['v']!.data;
    const last = steps[2]!.states!['v']!.data;
    for (let b = 0; b < 3; b++) {
      for (let i = 0; i < 4; i++) expect(last[b * 16 + i]).to.equal(first[b * 16 + i]);
      let moved = 0;
      for (let i = 4; i < 16; i++) moved += Math.abs(last[b * 16 + i]! - first[b * 16 + i]!);
      expect(moved).to.be.greaterThan(1e-3);
    }
    mask.dispose();
  });

  it('emits every step and snapshots every k-th with snapshot: { layers, every }', async () => {
    const steps = await lastValueFrom(model.run({ initial: init, maxSteps: 7, snapshot: { layers: ['v'], every: 3 } }).pipe(toArray()));
    expect(steps.map((s) => s.step)).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(steps.map((s) => (s.states ? s.step : -1)).filter((k) => k >= 0)).to.deep.equal([0, 3, 6, 7]);
    expect(Object.keys(steps[3]!.states!)).to.deep.equal(['v']);
  });

  it('runs explicit update rules through the same engine, energy optional', async () => {
    const rule = explicitRule({ update: (s) => ({ x: tf.mul(s['x']!, 0.5) }) });
    const steps = await lastValueFrom(runDynamics(rule, { initial: { x: [[8, -4]] }, maxSteps: 3, dt: 1 }).pipe(toArray()));
    expect(steps.map((s) => s.delta)).to.deep.equal([0, 4, 2, 1]);
    expect(steps.map((s) => s.t)).to.deep.equal([0, 1, 2, 3]);
    expect(steps[1]!.energy).to.equal(null);
  });

  it('reports divergence as a typed error notification, never a silent NaN', async () => {
    const before = tf.memory().numTensors;
    const rule = explicitRule({ update: (s) => ({ x: tf.mul(s['x']!, 1e30) }) });
    const err = await lastValueFrom(runDynamics(rule, { initial: { x: [[1, 2]] }, maxSteps: 10 })).catch((e: unknown) => e);
    expect(isEngramError(err, ErrorCodes.DIVERGED), String(err)).to.equal(true);
    expect(String((err as Error).message)).to.match(/diverged at step 2.*lower the step size/);
    // an exploding energy
    const big = new EnergyModel()
      .addLayer('x', { shape: [2], lagrangian: lagrangians.identity() })
      .addSynapse('w', denseSynapse({ inSize: 2, outSize: 2, weights: [[50, 0], [0, 50]] }), ['x', 'x']);
    const err2 = await lastValueFrom(big.run({ initial: { x: [[1, 1]] }, maxSteps: 500, dt: 0.1 })).catch((e: unknown) => e);
    expect(isEngramError(err2, ErrorCodes.DIVERGED), String(err2)).to.equal(true);
    big.dispose();
    expect(tf.memory().numTensors).to.equal(before);
  });

  it('rejects NaN inputs, wrong shapes and bad options with coded errors', async () => {
    const before = tf.memory().numTensors;
    const nan = tf.tensor2d([[NaN, ...new Array(15).fill(0)]]);
    const e1 = await firstValueFrom(model.run({ initial: { v: nan } })).catch((e: unknown) => e);
    expect(isEngramError(e1, ErrorCodes.NON_FINITE), String(e1)).to.equal(true);
    expect(String(e1)).to.match(/initial\.v contains NaN/);
    nan.dispose();
    const e2 = await firstValueFrom(model.run({ initial: { v: [[1, 2]] } })).catch((e: unknown) => e);
    expect(isEngramError(e2, ErrorCodes.SHAPE_MISMATCH), String(e2)).to.equal(true);
    const e3 = await firstValueFrom(model.run({ initial: init, dt: -1 })).catch((e: unknown) => e);
    expect(isEngramError(e3, ErrorCodes.INVALID_CONFIG), String(e3)).to.equal(true);
    expect(String(e3)).to.match(/run options key 'dt' of core\/graph must be a number > 0, got -1/);
    const e3b = await firstValueFrom(model.run({ initial: init, maxStep: 3 } as never)).catch((e: unknown) => e);
    expect(String(e3b)).to.match(/unknown key 'maxStep' in the run options of core\/graph; did you mean 'maxSteps'\?/);
    const e4 = await firstValueFrom(model.run({ initial: init, clamp: { h: true } })).catch((e: unknown) => e);
    expect(String(e4)).to.match(/clamp layer 'h' must be one of the model's layers \(v\)/);
    const e5 = await firstValueFrom(model.run({ initial: init, clamp: { v: [[1, 0, 1]] } })).catch((e: unknown) => e);
    expect(isEngramError(e5, ErrorCodes.SHAPE_MISMATCH), String(e5)).to.equal(true);
    expect(tf.memory().numTensors).to.equal(before);
  });

  it('runs on a given RxJS scheduler', async () => {
    const steps = await lastValueFrom(model.run({ initial: init, maxSteps: 4, scheduler: asapScheduler }).pipe(toArray()));
    expect(steps).to.have.length(5);
  });

  it('leaks nothing over 2,000 steps of repeated subscribe/unsubscribe, early cancels and errors', async () => {
    const g = randomGraph(5);
    const start = g.initialState(2, { std: 1, seed: 2 });
    const before = tf.memory().numTensors;
    let total = 0;
    let round = 0;
    while (total < 2000) {
      round++;
      const kind = round % 4;
      if (kind === 0) {
        // unsubscribe from outside, mid-run, while the loop is paused
        const seen: DynamicsStep[] = [];
        const sub = g.run({ initial: start, maxSteps: 1000 }).subscribe((s) => seen.push(s));
        for (let i = 0; i < 20; i++) await tick();
        sub.unsubscribe();
        expect(tf.memory().numTensors, `after external unsubscribe in round ${round}`).to.equal(before);
        total += seen.length;
      } else if (kind === 1) {
        // unsubscribe synchronously inside next
        const steps = await lastValueFrom(g.run({ initial: start, maxSteps: 1000, yieldEvery: 7 }).pipe(take(37), toArray()));
        total += steps.length;
      } else if (kind === 2) {
        const steps = await lastValueFrom(g.run({ initial: start, maxSteps: 60, snapshot: true }).pipe(toArray()));
        total += steps.length;
      } else {
        const bad = explicitRule({ update: (s, ctx) => ({ x: ctx.step > 30 ? tf.div(s['x']!, 0) : tf.add(s['x']!, 1) }) });
        const err = await lastValueFrom(runDynamics(bad, { initial: { x: [[0, 1]] }, maxSteps: 100 }).pipe(toArray())).catch((e: unknown) => e);
        expect(isEngramError(err, ErrorCodes.DIVERGED)).to.equal(true);
        total += 31;
      }
      expect(tf.memory().numTensors, `after round ${round}`).to.equal(before);
    }
    tf.dispose(Object.values(start));
    g.dispose();
  });
});
