import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { lastValueFrom, toArray } from 'rxjs';
import { createEngram, disposeState, ErrorCodes, initBackend, isEngramError, isModel, trainModel, type Engram, type Model } from '@engram/core';
import { loadModel, saveModel } from '@engram/core/node';
import hopfield, { ModernHopfield } from '../src/index.js';
import { asyncCodeOf, codeOf, notificationCode } from './helpers.js';

const KINDS = ['classical', 'dense', 'modern', 'drdam', 'association', 'pooling', 'layer'].map((k) => `hopfield/${k}`);
const TRAINABLE = ['hopfield/association', 'hopfield/pooling', 'hopfield/layer'];

/** Energies of a 3-step run from `initial` (the model keeps ownership of nothing). */
async function energies(model: Model, initial: Record<string, tf.Tensor>): Promise<number[]> {
  const steps = await lastValueFrom(model.run({ initial, maxSteps: 3 }).pipe(toArray()));
  expect(steps.at(-1)!.done).to.equal(true);
  return steps.map((s) => s.energy!);
}

describe('hopfield plugin: every kind on the model protocol', () => {
  let engram: Engram;
  let dir: string;
  before(async () => {
    await initBackend({ backend: 'wasm' });
    engram = await createEngram({ plugins: [hopfield] });
    dir = mkdtempSync(join(tmpdir(), 'hopfield-protocol-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('registers the seven kinds and the drdam synapse', () => {
    expect(engram.ids('model').filter((id) => id.startsWith('hopfield/')).sort()).to.deep.equal([...KINDS].sort());
    expect(engram.ids('synapse')).to.include('hopfield/drdam');
  });

  for (const id of KINDS) {
    it(`${id}: example -> run(initialState(2)) -> save/load -> same run${TRAINABLE.includes(id) ? ' -> one training epoch' : ''}, no tensor left`, async () => {
      const start = tf.memory().numTensors;
      const { example } = engram.get('model', id);
      const model = await engram.createModel(id, example as object);
      expect(isModel(model)).to.equal(true);
      expect(model.kind).to.equal(id);
      const initial = model.initialState(2);
      const first = await energies(model, initial);
      expect(first).to.have.length(4);
      first.forEach((e) => expect(Number.isFinite(e)).to.equal(true));
      const { spec } = await saveModel(model, join(dir, id.replace('/', '-')), { engram });
      const loaded = await loadModel(engram, spec);
      expect(loaded.getConfig()).to.deep.equal(model.getConfig());
      expect(await energies(loaded, initial)).to.deep.equal(first);
      if (TRAINABLE.includes(id)) {
        expect(model.training).to.not.equal(undefined);
        const events = await lastValueFrom(trainModel(model, { engram, settings: { limit: 16, batchSize: 8, epochs: 1 } }).pipe(toArray()));
        expect(events.filter((e) => e.type === 'batch')).to.have.length(2);
      } else {
        expect(model.training).to.equal(undefined);
        expect(await asyncCodeOf(() => lastValueFrom(trainModel(model, { engram })))).to.equal(ErrorCodes.INVALID_ARGUMENT);
      }
      disposeState(initial);
      model.dispose();
      loaded.dispose();
      expect(tf.memory().numTensors).to.equal(start);
    });

    it(`${id}: typo, wrong type and out-of-range config values are coded errors naming the key and the kind; after dispose every use is ENGRAM_ERR_DISPOSED`, async () => {
      const { example } = engram.get('model', id);
      const [key, value] = Object.entries(example as Record<string, unknown>)[0]!;
      const typo = { ...(example as object), [`${key}x`]: value };
      const err = await engram.createModel(id, typo).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isEngramError(err, ErrorCodes.INVALID_CONFIG)).to.equal(true);
      expect(String((err as Error).message)).to.contain(id).and.to.contain(`did you mean '${key}'?`);
      for (const bad of ['four', -3]) {
        const e2 = await engram.createModel(id, { ...(example as object), [key]: bad }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(isEngramError(e2, ErrorCodes.INVALID_CONFIG), `${key} = ${bad}`).to.equal(true);
        expect(String((e2 as Error).message)).to.contain(key).and.to.contain(id);
      }
      const model = await engram.createModel(id, example as object);
      const initial = model.initialState(1);
      model.dispose();
      expect(model.isDisposed).to.equal(true);
      expect(await notificationCode(() => model.run({ initial }))).to.equal(ErrorCodes.DISPOSED);
      expect(codeOf(() => model.initialState(1))).to.equal(ErrorCodes.DISPOSED);
      expect(codeOf(() => model.energy!(initial))).to.equal(ErrorCodes.DISPOSED);
      expect(codeOf(() => model.setWeights({}))).to.equal(ErrorCodes.DISPOSED);
      disposeState(initial);
    });

    it(`${id}: bad run input arrives as an error notification (subscribed with error only)`, async () => {
      const { example } = engram.get('model', id);
      const model = await engram.createModel(id, example as object);
      const initial = model.initialState(1);
      expect(await notificationCode(() => model.run({ initial, maxStepz: 3 } as never))).to.equal(ErrorCodes.INVALID_CONFIG);
      expect(await notificationCode(() => model.run({ initial, maxSteps: -1 }))).to.equal(ErrorCodes.INVALID_CONFIG);
      expect(await notificationCode(() => model.run({ initial: 'nope' as never }))).to.equal(ErrorCodes.INVALID_ARGUMENT);
      expect(await notificationCode(() => model.run({ initial: { nope: [1] } }))).to.equal(ErrorCodes.INVALID_ARGUMENT);
      const nan = Object.fromEntries(Object.entries(initial).map(([k, v]) => [k, tf.fill(v.shape, NaN)]));
      expect(await notificationCode(() => model.run({ initial: nan }))).to.equal(ErrorCodes.NON_FINITE);
      disposeState(nan);
      disposeState(initial);
      model.dispose();
    });
  }

  it("createModel('hopfield/modern', { size: 784, beta: 2 }) gives a ModernHopfield; { size: 4, betta: 2 } is rejected with did-you-mean", async () => {
    const m = await engram.createModel('hopfield/modern', { size: 784, beta: 2 });
    expect(m).to.be.instanceOf(ModernHopfield);
    expect(m.beta).to.equal(2);
    expect(m.memories).to.equal(0);
    m.dispose();
    const err = await engram.createModel('hopfield/modern', { size: 4, betta: 2 } as never).catch((e: unknown) => e);
    expect(String((err as Error).message)).to.contain("unknown key 'betta'").and.to.contain("did you mean 'beta'?");
  });
});
