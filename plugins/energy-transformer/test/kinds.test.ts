import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { lastValueFrom, toArray } from 'rxjs';
import { createEngram, deserializeModel, ErrorCodes, initBackend, serializeModel, trainModel, type Engram, type JsonObject, type Model } from '@engram/core';
import dataPlugin from '@engram/data/node';
import et from '../src/index.js';
import { rejectionOf, streamError } from './helpers.js';

/**
 * What the registry-wide test does to every kind, for this plugin's kinds:
 * create from the example, run to completion from a generated state, save and
 * load (same run, same output), train one quick epoch where it has a training
 * face, and reject bad configs and use after dispose with coded errors.
 */
describe('energy-transformer kinds through the registry', () => {
  let engram: Engram;
  before(async () => {
    await initBackend({ backend: 'wasm' });
    engram = await createEngram({ plugins: [dataPlugin, et] });
  });

  const kinds = ['energy-transformer/block', 'energy-transformer/image', 'energy-transformer/graph'];

  it('registers the three kinds and two synapse kinds (the two commands are in the node plugin)', () => {
    expect(engram.ids('model').filter((id) => id.startsWith('energy-transformer/')).sort()).to.deep.equal([...kinds].sort());
    expect(engram.ids('synapse').filter((id) => id.startsWith('energy-transformer/')).sort()).to.deep.equal(['energy-transformer/attention', 'energy-transformer/hopfield']);
    expect(engram.commands().filter((c) => c.plugin === 'energy-transformer')).to.deep.equal([]);
    for (const id of kinds) expect(engram.configSchema('model', id)).to.have.property('properties');
  });

  for (const id of kinds) {
    it(`${id}: example -> run -> save/load -> same run${id === 'energy-transformer/block' ? '' : ' -> one training epoch'}`, async () => {
      const example = engram.get('model', id).example;
      const model: Model = await engram.createModel(id, example);
      const run = async (m: Model): Promise<{ energies: number[]; final: Record<string, Float32Array> }> => {
        const initial = m.initialState(2, { seed: 3 });
        const events = await lastValueFrom(m.run({ initial, maxSteps: 3, snapshot: true }).pipe(toArray()));
        for (const t of Object.values(initial)) t.dispose();
        expect(events).to.have.length(4);
        const last = events[3]!;
        return { energies: events.map((e) => e.energy!), final: Object.fromEntries(Object.entries(last.states!).map(([k, v]) => [k, v.data])) };
      };
      const a = await run(model);
      expect(a.energies.every(Number.isFinite)).to.equal(true);
      const copy = await deserializeModel(engram, serializeModel(model, { engram }));
      expect(copy.kind).to.equal(id);
      expect(copy.getConfig()).to.deep.equal(model.getConfig());
      const b = await run(copy);
      expect(b.energies).to.deep.equal(a.energies);
      for (const k of Object.keys(a.final)) expect(Array.from(b.final[k]!)).to.deep.equal(Array.from(a.final[k]!));
      if (model.training) {
        const before = tf.memory().numTensors;
        const t0 = Date.now();
        const events = await lastValueFrom(trainModel(model, { engram, settings: { limit: 16, batchSize: 8, epochs: 1 } }).pipe(toArray()));
        const seconds = (Date.now() - t0) / 1000;
        const batches = events.filter((e) => e.type === 'batch');
        expect(batches.length).to.be.within(1, 2);
        expect(batches.every((e) => Number.isFinite(e.loss))).to.equal(true);
        expect(seconds, 'one quick epoch').to.be.lessThan(20);
        expect(tf.memory().numTensors, 'training leaves no tensors').to.equal(before);
      }
      model.dispose();
      copy.dispose();
    });

    it(`${id}: a typo, a wrong type and an out-of-range value are coded config errors naming the key and the kind; use after dispose is DISPOSED`, async () => {
      const example = engram.get('model', id).example as JsonObject;
      const typo = await rejectionOf(engram.createModel(id, { ...example, sed: 1 }));
      expect(typo.code).to.equal(ErrorCodes.INVALID_CONFIG);
      expect(typo.message).to.include(id).and.match(/'sed'/).and.match(/did you mean 'seed'/);
      const type = await rejectionOf(engram.createModel(id, { ...example, seed: 'one' }));
      expect(type.code).to.equal(ErrorCodes.INVALID_CONFIG);
      expect(type.message).to.include(id).and.match(/'seed'/);
      const nested = id === 'energy-transformer/block' ? { ...example, dt: 0 } : { ...example, block: { ...(example['block'] as JsonObject), dt: 0 } };
      const range = await rejectionOf(engram.createModel(id, nested));
      expect(range.code).to.equal(ErrorCodes.INVALID_CONFIG);
      expect(range.message).to.include(id).and.match(/dt/);
      const model = await engram.createModel(id, example);
      const initial = model.initialState(1);
      model.dispose();
      expect((await streamError(model.run({ initial }))).code).to.equal(ErrorCodes.DISPOSED);
      expect((await streamError(trainModel(model, { engram }))).code).to.equal(ErrorCodes.DISPOSED);
      for (const t of Object.values(initial)) t.dispose();
    });
  }

  it('typed createModel: configs and models typed by id (no casts)', async () => {
    const block = await engram.createModel('energy-transformer/block', { tokens: 3, size: 4 });
    expect(block.config.tokens).to.equal(3);
    const image = await engram.createModel('energy-transformer/image', { block: { size: 8, heads: 2 } });
    expect(image.geometry.patches).to.equal(49);
    const graph = await engram.createModel('energy-transformer/graph', { features: 3, nodes: 5 });
    expect(graph.block.config.excludeDiagonal).to.equal(true);
    [block, image, graph].forEach((m) => m.dispose());
  });
});
