import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { dataPlugin } from '@engram/data/node';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { ErrorCodes, createEngram, initBackend, toJsonSchema, trainModel, type DynamicsStep, type Engram } from '@engram/core';
import { loadModel, saveModel } from '@engram/core/node';
import diffusion from '../src/node/index.js';
import { errorOf } from './helpers.js';

/** What the registry-wide test does with every kind, on this plugin's kinds. */
describe('diffusion kinds follow the model protocol', function () {
  this.timeout(60_000);
  let engram: Engram;
  let dir: string;
  before(async () => {
    await initBackend({ backend: 'wasm' });
    engram = await createEngram({ plugins: [dataPlugin, diffusion] });
    dir = mkdtempSync(join(tmpdir(), 'engram-diffusion-contract-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const finalState = (steps: DynamicsStep[]) => Array.from(steps[steps.length - 1]!.states!['x']!.data);

  for (const id of ['diffusion/score', 'diffusion/exact']) {
    it(`${id}: from its example, runs 3 steps, saves, loads, runs the same, trains one quick epoch if trainable`, async () => {
      const { example, schema } = engram.get('model', id);
      const model = await engram.createModel(id, example);
      const initial = model.initialState(2, { seed: 3 });
      const steps = await lastValueFrom(model.run({ initial, maxSteps: 3, snapshot: true }).pipe(toArray()));
      expect(steps.map((s) => s.step)).to.deep.equal([0, 1, 2, 3]);
      await saveModel(model, join(dir, id.replace('/', '-')), { engram });
      const back = await loadModel(engram, join(dir, `${id.replace('/', '-')}.json`));
      expect(finalState(await lastValueFrom(back.run({ initial, maxSteps: 3, snapshot: true }).pipe(toArray())))).to.deep.equal(finalState(steps));
      if (model.training) {
        const events = await lastValueFrom(trainModel(model, { engram, settings: { limit: 16, batchSize: 8, epochs: 1 } }).pipe(toArray()));
        expect(events.some((e) => e.type === 'epoch')).to.equal(true);
      } else {
        expect((await errorOf(trainModel(model, { engram }))).code).to.equal(ErrorCodes.INVALID_ARGUMENT);
      }
      for (const s of [schema, model.runSchema, ...(model.training ? [model.training.schema] : [])]) expect(toJsonSchema(s)['type']).to.equal('object');
      tf.dispose(Object.values(initial));
      back.dispose();
      model.dispose();
      expect((await errorOf(model.run({ initial: [[0]] }))).code).to.equal(ErrorCodes.DISPOSED);
    });
  }

  it('every command has an options schema that JSON Schema describes, each key with a description', () => {
    const commands = engram.commands().filter((c) => c.plugin === 'diffusion');
    expect(commands.map((c) => c.name)).to.have.members(['diffusion-sweep', 'diffusion-manifold']);
    for (const c of commands) {
      const json = toJsonSchema(c.options) as { properties: Record<string, { description?: string }> };
      for (const [key, p] of Object.entries(json.properties)) expect(p.description, `${c.name} --${key}`).to.be.a('string');
    }
  });
});
