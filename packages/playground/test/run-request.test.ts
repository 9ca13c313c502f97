import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { createEngram, initBackend, type Engram } from '@engram/core';
import { dataPlugin } from '@engram/data/node';
import hopfield from '@engram/hopfield';
import sequence from '@engram/sequence';
import { kindsOf, loadSamples, startRun, type RunEvent, type RunRequest } from '../src/index.js';

/** Runs a request to its end; resolves with its events. */
function runToEnd(engram: Engram, r: RunRequest): Promise<RunEvent[]> {
  return new Promise((resolve) => {
    const events: RunEvent[] = [];
    void startRun(engram, r, (e) => {
      events.push(e);
      if (e.type === 'status' && e.status !== 'running' && e.status !== 'paused') resolve(events);
    });
  });
}

const request = (kind: string, config: Record<string, unknown>, over: Partial<RunRequest> = {}): RunRequest => ({
  kind,
  config,
  data: { source: 'auto', count: 6, seed: 0 },
  cue: { store: true, cue: 'bottom-half', noise: 0.3 },
  batch: 2,
  seed: 0,
  maxSteps: 20,
  extra: {},
  ...over,
});

describe('playground runs (the logic shared by the page and engram serve)', () => {
  let engram: Engram;
  before(async () => {
    await initBackend({ backend: 'wasm' });
    engram = await createEngram({ plugins: [dataPlugin, hopfield, sequence] });
  });

  it('auto data: Fashion-MNIST for an image-sized layer, random patterns otherwise, ±1 for a binary layer', async () => {
    const image = await loadSamples(engram, { source: 'auto', count: 3, seed: 0 }, { name: 'x', shape: [784] });
    expect(image.size).to.equal(784);
    expect(Math.max(...image.data)).to.be.at.most(1);
    expect(new Set(image.data).size, 'grey levels').to.be.greaterThan(10);
    const small = await loadSamples(engram, { source: 'auto', count: 3, seed: 0 }, { name: 'x', shape: [10] });
    expect(small.count).to.equal(3);
    expect(small.size).to.equal(10);
    const binary = await loadSamples(engram, { source: 'auto', count: 3, seed: 0 }, { name: 'v', shape: [784], values: 'binary' });
    expect([...new Set(binary.data)].sort()).to.deep.equal([-1, 1]);
    const resized = await loadSamples(engram, { source: 'fashion-mnist', count: 2 }, { name: 'x', shape: [196] });
    expect(resized.data.length).to.equal(2 * 196);
  });

  it('a non-square layer cannot take Fashion-MNIST: a coded error that says what to set', async () => {
    let err: unknown;
    try {
      await loadSamples(engram, { source: 'fashion-mnist', count: 2 }, { name: 'x', shape: [10] });
    } catch (e) {
      err = e;
    }
    expect(String(err)).to.match(/ENGRAM_ERR_INVALID_ARGUMENT.*784/);
  });

  it('runs a memory kind and a binary sequence kind to done, images and energies in the events, no tensor kept', async () => {
    const kinds = await kindsOf(engram);
    const modern = kinds.find((k) => k.id === 'hopfield/modern')!;
    const seqnet = kinds.find((k) => k.id === 'sequence/seqnet')!;
    expect(modern.memory).to.equal(true);
    const before = tf.memory().numTensors;
    const a = await runToEnd(engram, request('hopfield/modern', { ...modern.example, size: 784 }));
    expect(a.at(-1)).to.deep.equal({ type: 'status', status: 'done' });
    const steps = a.filter((e): e is Extract<RunEvent, { type: 'step' }> => e.type === 'step');
    expect(steps.length).to.be.greaterThan(1);
    expect(steps.at(-1)!.energy!).to.be.at.most(steps[0]!.energy! + 1e-6);
    expect(steps[0]!.images?.[0]).to.include({ width: 28, height: 28 });
    const b = await runToEnd(engram, request('sequence/seqnet', seqnet.example));
    expect(b.at(-1), JSON.stringify(b.at(-1))).to.deep.equal({ type: 'status', status: 'done' });
    expect(tf.memory().numTensors).to.equal(before);
  });

  it('a bad config, and a cancel, end in a status event and free every tensor', async () => {
    const before = tf.memory().numTensors;
    const bad = await runToEnd(engram, request('hopfield/modern', { size: 784, betta: 2 }));
    expect(bad.at(-1)).to.include({ type: 'status', status: 'error' });
    expect((bad.at(-1) as { message: string }).message).to.match(/ENGRAM_ERR_INVALID_CONFIG.*betta.*beta/);
    const events: RunEvent[] = [];
    const handle = await startRun(engram, request('hopfield/modern', { size: 784, memories: 8 }, { maxSteps: 100000, dt: 1e-4 }), (e) => events.push(e));
    await new Promise((r) => setTimeout(r, 50));
    handle.cancel();
    expect(events.at(-1)).to.deep.equal({ type: 'status', status: 'cancelled' });
    expect(tf.memory().numTensors).to.equal(before);
  });
});
