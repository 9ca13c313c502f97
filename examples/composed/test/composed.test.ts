import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { lastValueFrom } from 'rxjs';
import { initBackend, type EnergyModel, type Engram, type ModelSpec } from '@engram/core';
import { loadModel } from '@engram/core/node';
import { loadFashionMnist } from '@engram/data/node';
import { captureIo, loadEngram, main, startLiveServer } from '@engram/cli';
import { toBase64, type RunEvent, type RunRequest } from '@engram/playground';
import { IMAGE, IMAGE_SIZE, LABEL, TOKENS, composedEngram, createComposedModel, predict, runComposedExample, streamDescent, trainClassifier, type ComposedRunResult } from '../src/index.js';

/** Reads a run's server-sent events until one ends it (a finished run's stream stays open: it replays, then waits). */
async function eventsUntilEnd(url: string, ms = 60000): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), ms);
  try {
    const reader = (await fetch(url, { signal: ctl.signal })).body!.getReader();
    let buf = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return events;
      buf += new TextDecoder().decode(value);
      for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
        const chunk = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (!chunk.startsWith('data: ')) continue;
        const e = JSON.parse(chunk.slice(6)) as RunEvent;
        events.push(e);
        if (e.type === 'status' && e.status !== 'running' && e.status !== 'paused') return events;
      }
    }
  } finally {
    clearTimeout(timer);
    ctl.abort();
  }
}

describe('example (d): one model composed across plugins, trained, saved, run and served', function () {
  let engram: Engram;
  let tmp: string;
  let result: ComposedRunResult;
  let baseline: number;
  const test = () => loadFashionMnist({ split: 'test', source: 'subset' });

  before(async () => {
    await initBackend({ backend: 'wasm' });
    engram = await composedEngram();
    tmp = mkdtempSync(join(tmpdir(), 'engram-composed-'));
    baseline = tf.memory().numTensors;
    // The small version of the full run (README): the committed subset, 256 training images, 2 epochs.
    result = await runComposedExample({ source: 'subset', trainImages: 256, testImages: 300, epochs: 2, out: tmp });
    console.log(`      held-out accuracy ${(100 * result.testAccuracy).toFixed(1)}% (${result.testImages} images) after ${result.trainSeconds.toFixed(1)} s of training on ${result.trainImages}`);
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('is built from JSON through the registry, with synapse kinds of two plugins on one graph', async () => {
    const model = await createComposedModel(engram);
    try {
      expect(model.kind).to.equal('core/graph');
      expect(model.layers.map((l) => l.name)).to.deep.equal([IMAGE, TOKENS, LABEL]);
      expect(model.layer(TOKENS).lagrangian.kind).to.equal('core/layernorm');
      expect(model.connections.map((c) => [c.name, c.synapse.kind])).to.deep.equal([
        ['embed', 'core/dense'],
        ['attention', 'energy-transformer/attention'],
        ['memory', 'core/memory'],
        ['readout', 'core/dense'],
        ['bias', 'core/bias'],
      ]);
    } finally {
      model.dispose();
    }
  });

  for (const memoryKind of ['core/memory', 'energy-transformer/hopfield'] as const) {
    it(`training through the unrolled descent moves every parameter of both plugins' synapses and of the layer norm (memory ${memoryKind})`, async () => {
      const model = await createComposedModel(engram, { seed: 5, memoryKind });
      try {
        expect(model.connections.find((c) => c.name === 'memory')!.synapse.kind).to.equal(memoryKind);
        const before = Object.fromEntries(Object.entries(model.variables()).map(([k, v]) => [k, v.dataSync().slice()]));
        const { images, labels } = loadFashionMnist({ split: 'train', source: 'subset', limit: 100 });
        await lastValueFrom(trainClassifier(model, { train: { images, labels }, epochs: 1, batchSize: 50 }));
        const moved = Object.entries(model.variables()).filter(([k, v]) => v.dataSync().some((x, i) => x !== before[k]![i]));
        expect(moved.map(([k]) => k).sort()).to.deep.equal(Object.keys(before).sort());
        expect(Object.keys(before)).to.include.members(['attention/keys', 'attention/queries', 'memory/patterns', 'embed/W', 'readout/W', 'tokens/gamma', 'tokens/delta']);
      } finally {
        model.dispose();
      }
    });
  }

  it('trains to a held-out accuracy well above chance (10%) on Fashion-MNIST test images it never saw', () => {
    expect(result.source).to.equal('subset');
    expect(result.trainImages).to.equal(256);
    expect(result.testImages).to.equal(300);
    expect(result.lossByEpoch[1]!).to.be.lessThan(result.lossByEpoch[0]!);
    expect(result.testAccuracy).to.be.at.least(0.4);
  });

  it('the streamed descent lowers the energy with the label free, and its tree has a term per layer and per connection', async () => {
    const model = await loadModel<EnergyModel>(engram, result.files.spec);
    try {
      const images = test().images.subarray(0, 8 * IMAGE_SIZE);
      // Longer than the classifier's 4 steps: the fall must hold on the way to the fixed point, not just at first.
      const trace = await streamDescent(model, images, { steps: 40 });
      expect(trace.energies).to.have.length(41);
      for (let k = 1; k < trace.energies.length; k++) {
        expect(trace.energies[k]!, `step ${k}`).to.be.at.most(trace.energies[k - 1]! + 1e-5 * Math.abs(trace.energies[k - 1]!));
      }
      expect(trace.energies.at(-1)!).to.be.lessThan(trace.energies[0]!);
      const terms = [IMAGE, TOKENS, LABEL, ...model.connections.map((c) => c.name)];
      for (const tree of [trace.start, trace.end]) {
        expect(Object.keys(tree).sort()).to.deep.equal([...terms].sort());
        for (const v of Object.values(tree)) expect(Number.isFinite(v)).to.equal(true);
      }
      // The clamped image's own term stays; the free label moves from uniform to a decision.
      expect(trace.end[IMAGE]).to.be.closeTo(trace.start[IMAGE]!, 1e-3);
      expect(trace.end['readout']).to.be.lessThan(trace.start['readout']!);
      for (const p of trace.probabilities) expect(p.reduce((a, b) => a + b, 0)).to.be.closeTo(1, 1e-5);
      // The tree of a descent in the full run: the first test image (printed by the CLI).
      expect(Object.keys(result.trace.end).sort()).to.deep.equal([...terms].sort());
    } finally {
      model.dispose();
    }
  });

  it('saved and reloaded, it gives identical label outputs', async () => {
    expect(result.reloadMaxDifference).to.equal(0);
    const spec = JSON.parse(readFileSync(result.files.spec, 'utf8')) as ModelSpec;
    expect(spec.kind).to.equal('core/graph');
    const kinds = (spec.config['synapses'] as { kind: string }[]).map((s) => s.kind);
    expect(kinds).to.include.members(['energy-transformer/attention', 'core/memory', 'core/dense']);
    // A second, independent load from the file agrees with the first to the bit.
    const [a, b] = [await loadModel<EnergyModel>(engram, result.files.spec), await loadModel<EnergyModel>(engram, result.files.spec)];
    try {
      const x = tf.tensor2d(test().images.subarray(0, 50 * IMAGE_SIZE), [50, IMAGE_SIZE]);
      const [pa, pb] = [predict(a, x), predict(b, x)];
      expect(Array.from(pa.dataSync())).to.deep.equal(Array.from(pb.dataSync()));
      tf.dispose([x, pa, pb]);
    } finally {
      a.dispose();
      b.dispose();
    }
  });

  it('engram run opens the model file (with every built-in plugin, as the command line loads them) and streams its descent', async () => {
    const io = captureIo({ isTTY: false, columns: 100 });
    const code = await main(['run', result.files.spec, '--steps', '6', '--json'], io);
    expect(code, io.err).to.equal(0);
    const lines = io.out.trim().split('\n').map((l) => JSON.parse(l) as { step: number; energy: number; energyTree: Record<string, number>; done: boolean });
    expect(lines.map((l) => l.step)).to.deep.equal([0, 1, 2, 3, 4, 5, 6]);
    expect(lines.at(-1)!.done).to.equal(true);
    expect(Object.keys(lines[0]!.energyTree)).to.include.members(['attention', 'memory', 'embed', 'readout']);
    for (const l of lines) expect(Number.isFinite(l.energy)).to.equal(true);
  });

  it('engram serve runs the saved model on the server (a RunRequest carrying its spec and weights) to done, and frees its tensors', async () => {
    const served = await loadEngram();
    const spec = JSON.parse(readFileSync(result.files.spec, 'utf8')) as Record<string, unknown> & { weights: { file: string } };
    const weights = toBase64(new Uint8Array(readFileSync(join(dirname(result.files.spec), spec.weights.file))));
    const server = await startLiveServer({ engram: served.engram, port: 0, preset: { spec, weights } });
    try {
      const tensors = async (): Promise<number> => ((await (await fetch(`${server.url}api/tensors`)).json()) as { numTensors: number }).numTensors;
      const base = await tensors();
      const request: RunRequest = {
        kind: 'core/graph',
        config: {},
        model: { spec, weights },
        // Fashion-MNIST in the first (image) layer, its top half clamped: the playground's completion cue.
        data: { source: 'fashion-mnist', count: 4 },
        cue: { store: false, cue: 'bottom-half', noise: 0 },
        batch: 2,
        seed: 0,
        maxSteps: 12,
        extra: {},
      };
      const res = await fetch(`${server.url}api/runs`, { method: 'POST', headers: { 'x-engram-token': server.token, 'content-type': 'application/json' }, body: JSON.stringify(request) });
      expect(res.status).to.equal(200);
      const { id } = (await res.json()) as { id: string };
      const events = await eventsUntilEnd(`${server.url}api/runs/${id}/events`);
      const end = events.at(-1) as Extract<RunEvent, { type: 'status' }>;
      expect(end.status, end.message).to.equal('done');
      expect(events[0]!.type).to.equal('start');
      const steps = events.filter((e): e is Extract<RunEvent, { type: 'step' }> => e.type === 'step');
      expect(steps).to.have.length(13);
      expect(Object.keys(steps[0]!.energyTree)).to.include.members([IMAGE, TOKENS, LABEL, 'attention', 'memory', 'readout']);
      expect(steps.at(-1)!.energy!).to.be.lessThan(steps[0]!.energy!);
      expect(await tensors()).to.equal(base);
    } finally {
      await server.close();
    }
  });

  it('leaves no tensor behind', () => {
    expect(tf.memory().numTensors).to.equal(baseline);
  });
});
