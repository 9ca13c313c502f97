import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, take, toArray } from 'rxjs';
import { createEngram, ErrorCodes, initBackend, trainModel, type Engram } from '@engram/core';
import { loadModel, saveModel } from '@engram/core/node';
import { clamPlugin, ClamModel } from '../src/index.js';
import { expectCode, expectRejectCode, tensors, tick } from './helpers.js';

/** 'clam/clam' keeps the model protocol: what the registry-wide test does for every kind, plus its errors and leaks. */
describe("model kind 'clam/clam'", () => {
  let engram: Engram;
  let dir: string;
  before(async () => {
    await initBackend({ backend: 'wasm' });
    engram = await createEngram({ plugins: [clamPlugin] });
    dir = mkdtempSync(join(tmpdir(), 'clam-model-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('from its example: runs 3 steps, saves and loads with the same outputs, trains one epoch on 16 samples', async () => {
    const entry = engram.get('model', 'clam/clam');
    const model = await engram.createModel('clam/clam', entry.example as { size: number; memories: number });
    expect(model).to.be.instanceOf(ClamModel);
    const initial = model.initialState(2);
    const steps = await lastValueFrom(model.run({ initial, maxSteps: 3 }).pipe(toArray()));
    expect(steps.map((s) => s.step)).to.deep.equal([0, 1, 2, 3]);
    expect(steps[3]!.done).to.equal(true);
    const paths = await saveModel(model, join(dir, 'm'));
    const loaded = await loadModel<ClamModel>(engram, paths.spec);
    expect(loaded.getConfig()).to.deep.equal(model.getConfig());
    const a = model.settle(initial['x']!);
    const b = loaded.settle(initial['x']!);
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0])).to.equal(0);
    tf.dispose([a, b, initial['x']!]);
    const before = Float32Array.from(model.patterns.dataSync());
    const events = await lastValueFrom(trainModel(model, { engram, settings: { limit: 16, batchSize: 8, epochs: 1 } }).pipe(toArray()));
    expect(events.filter((e) => e.type === 'batch')).to.have.length(2);
    expect(Array.from(model.patterns.dataSync())).to.not.deep.equal(Array.from(before));
    model.dispose();
    loaded.dispose();
  });

  it('getConfig is complete (T resolved) and rebuilds the same model', async () => {
    const m = await engram.createModel('clam/clam', { size: 3, memories: 2, dt: 0.25 });
    expect(m.getConfig()).to.deep.equal({ size: 3, memories: 2, beta: 1, dt: 0.25, steps: 4, seed: 0, initMean: 0.1, initStd: 0.1 });
    const again = await engram.createModel('clam/clam', m.getConfig());
    expect(Array.from(again.patterns.dataSync())).to.deep.equal(Array.from(m.patterns.dataSync()));
    m.dispose();
    again.dispose();
  });

  it('bad configs and inputs are coded errors; after dispose every use is ENGRAM_ERR_DISPOSED', async () => {
    await expectRejectCode(engram.createModel('clam/clam', { size: 3, memories: 1 }), ErrorCodes.INVALID_CONFIG);
    await expectRejectCode(engram.createModel('clam/clam', { size: 3, memories: 2, betta: 2 } as never), ErrorCodes.INVALID_CONFIG);
    const m = new ClamModel({ size: 3, memories: 2 });
    expectCode(() => m.assign([[1, 2]]), ErrorCodes.SHAPE_MISMATCH);
    expectCode(() => m.assign([[1, NaN, 2]]), ErrorCodes.NON_FINITE);
    await expectRejectCode(lastValueFrom(m.run({ initial: [[1, 2, 3]], clamp: [[2, 0, 0]] })), ErrorCodes.INVALID_ARGUMENT);
    m.dispose();
    expectCode(() => m.prototypes(), ErrorCodes.DISPOSED);
    await expectRejectCode(lastValueFrom(m.run({ initial: [[1, 2, 3]] })), ErrorCodes.DISPOSED);
  });

  it('the run stream frees every tensor after complete, cancel and error', async () => {
    const m = new ClamModel({ size: 4, memories: 3 });
    const x = tf.randomNormal([5, 4], 0, 1, 'float32', 3);
    const start = tensors();
    await lastValueFrom(m.run({ initial: x, maxSteps: 5 }).pipe(toArray()));
    expect(tensors(), 'complete').to.equal(start);
    await lastValueFrom(m.run({ initial: x, maxSteps: 50 }).pipe(take(3), toArray()));
    await tick();
    expect(tensors(), 'cancel').to.equal(start);
    const sub = m.run({ initial: x, maxSteps: 1000 }).subscribe();
    await tick();
    sub.unsubscribe();
    await tick();
    expect(tensors(), 'unsubscribe mid-run').to.equal(start);
    await lastValueFrom(m.run({ initial: x, clamp: [[1, 1]] })).catch(() => undefined);
    expect(tensors(), 'error').to.equal(start);
    x.dispose();
    m.dispose();
  });

  it('trainModel cancelled mid-training leaks no tensors', async () => {
    const m = new ClamModel({ size: 2, memories: 3 });
    const start = tensors();
    await lastValueFrom(trainModel(m, { engram, settings: { limit: 64, batchSize: 8, epochs: 3 } }).pipe(take(3), toArray()));
    await tick();
    expect(tensors()).to.equal(start);
    m.dispose();
  });
});
