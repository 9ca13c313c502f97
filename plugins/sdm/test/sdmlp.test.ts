import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, take, toArray } from 'rxjs';
import { ErrorCodes, createEngram, definePlugin, gradCheckVariables, initBackend, trainModel, trainableVariables, z } from '@engram/core';
import { loadModel, saveModel } from '@engram/core/node';
import { dataPlugin } from '@engram/data/node';
import sdmPlugin, { Sdmlp, sdmlpLoss } from '../src/index.js';
import { codeOf, errorOf, expectNoLeaks } from './helpers.js';

/** A test plugin with a small labelled data set, to train through the face on synthetic data. */
const randomData = definePlugin({
  name: 'testdata',
  version: '0.1.0',
  engram: '^0.1.0',
  register(ctx) {
    ctx.dataset('random', {
      schema: z.strictObject({ split: z.enum(['train', 'test']).default('train') }),
      load: async () => ({
        count: 256,
        shape: [30],
        data: tf.tidy(() => tf.randomUniform([256, 30], 0, 1, 'float32', 5).dataSync() as Float32Array),
        labels: Int32Array.from({ length: 256 }, (_, i) => i % 4),
        classes: 4,
      }),
    });
  },
});

describe('sdm/sdmlp', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('trains through its face: addresses stay non-negative at unit L2 norm, the readout non-negative, GABA counts grow', async () => {
    const engram = await createEngram({ plugins: [sdmPlugin, randomData] });
    const model = await engram.createModel('sdm/sdmlp', { size: 30, hiddenSize: 64, classes: 4, k: 5, gabaHorizon: 100, seed: 2 });
    expect(model.b1).to.equal(null);
    expect(Object.keys(trainableVariables(model))).to.deep.equal(['w1', 'w2']);
    const before = model.w1.dataSync().slice();
    const events = await lastValueFrom(trainModel(model, { engram, settings: { data: 'testdata/random', epochs: 2, batchSize: 32, lr: 0.5 } }).pipe(toArray()));
    expect(events.filter((e) => e.type === 'batch')).to.have.length(16);
    expect(events.filter((e) => e.type === 'epoch')[1]!.metrics).to.have.keys('accuracy', 'deadFraction');
    expect(model.w1.dataSync()).to.not.deep.equal(before);
    const w1 = model.w1.arraySync() as number[][];
    expect(w1.every((row) => row.every((v) => v >= 0))).to.equal(true);
    for (let j = 0; j < 64; j++) expect(Math.sqrt(w1.reduce((s, row) => s + row[j]! ** 2, 0))).to.be.closeTo(1, 1e-5);
    expect(Array.from(model.w2.dataSync()).every((v) => v >= 0)).to.equal(true);
    expect(Math.max(...model.activationCounts())).to.be.greaterThan(0);
    // Training streams leak nothing when cancelled or failing either.
    const start = tf.memory().numTensors;
    await lastValueFrom(trainModel(model, { engram, settings: { data: 'testdata/random', batchSize: 8 } }).pipe(take(2), toArray()));
    await new Promise((r) => setTimeout(r, 20));
    expect(tf.memory().numTensors, 'after cancel').to.equal(start);
    expect((await errorOf(trainModel(model, { engram, settings: { data: 'testdata/nothing' } }))).code).to.equal(ErrorCodes.UNKNOWN_KIND);
    expect(tf.memory().numTensors, 'after error').to.equal(start);
    model.dispose();
  });

  it('trains one quick epoch on the default Fashion-MNIST data (through the data plugin), leaking nothing', async function () {
    this.timeout(60_000);
    for (const plugins of [[sdmPlugin, dataPlugin]]) {
      const engram = await createEngram({ plugins });
      const model = await engram.createModel('sdm/sdmlp', { hiddenSize: 32, k: 4, gabaHorizon: 100 });
      const start = tf.memory().numTensors;
      const events = await lastValueFrom(trainModel(model, { engram, settings: { limit: 16, batchSize: 8, epochs: 1, testLimit: 50 } }).pipe(toArray()));
      expect(events.filter((e) => e.type === 'batch')).to.have.length(2);
      expect(events[events.length - 1]!.metrics!['accuracy']).to.be.within(0, 1);
      expect(tf.memory().numTensors).to.equal(start);
      const typo = await errorOf(trainModel(model, { engram, settings: { lables: [0, 1] } }));
      expect(typo.code).to.equal(ErrorCodes.INVALID_CONFIG);
      expect(typo.message).to.match(/did you mean 'labels'/);
      model.dispose();
    }
  });

  it('a task of the class-incremental protocol: `labels` restricts the training data', async () => {
    const engram = await createEngram({ plugins: [sdmPlugin, randomData] });
    const model = await engram.createModel('sdm/sdmlp', { size: 30, hiddenSize: 16, classes: 4, k: 2 });
    const data = await model.training.data(model.training.schema.parse({ data: 'testdata/random', labels: '1,3', batchSize: 256, testLimit: 0 }), engram);
    const [batch] = [...data.batches(0)];
    expect(new Set(batch!.labels!.dataSync())).to.deep.equal(new Set([1, 3]));
    expect(batch!.x.shape[0]).to.equal(128);
    tf.dispose([batch!.x, batch!.labels!]);
    data.dispose?.();
    model.dispose();
  });

  it('run is the forward pass streamed layer by layer: hidden at step 1, logits at step 2, then a fixed point', async () => {
    const model = new Sdmlp({ size: 12, hiddenSize: 20, classes: 3, k: 3, seed: 4 });
    const x = tf.randomUniform([5, 12], 0, 1, 'float32', 9) as tf.Tensor2D;
    const steps = await lastValueFrom(model.run({ initial: x, snapshot: true }).pipe(toArray()));
    expect(steps.map((s) => s.step)).to.deep.equal([0, 1, 2]);
    expect(steps[0]!.states!['hidden']!.data.every((v) => v === 0)).to.equal(true);
    const hidden = model.hiddenActivations(x);
    const logits = model.logits(x);
    expect(Array.from(steps[1]!.states!['hidden']!.data)).to.deep.equal(Array.from(hidden.dataSync()));
    expect(Array.from(steps[2]!.states!['logits']!.data)).to.deep.equal(Array.from(logits.dataSync()));
    expect(steps[1]!.states!['hidden']!.data.filter((v) => v > 0).length, 'k of hiddenSize fire per input (GABA at -1: all)').to.be.greaterThan(0);
    const longer = await lastValueFrom(model.run({ initial: { input: x }, maxSteps: 10, tolerance: 1e-9 }).pipe(toArray()));
    expect(longer.map((s) => s.step), 'converged once nothing changes').to.deep.equal([0, 1, 2, 3]);
    expect(longer[3]!.converged).to.equal(true);
    tf.dispose([x, hidden, logits]);
    const initial = model.initialState(2);
    await expectNoLeaks((fail) => model.run({ initial: fail ? [[1, 2]] : initial }));
    tf.dispose(Object.values(initial));
    model.dispose();
  });

  // gaba-topk is left out on purpose: its inhibition threshold carries no gradient by design (gaba-switch.test.ts
  // checks that rule), while finite differences see the threshold move.
  it('the loss gradient matches finite differences (wasm and cpu; SDM constraints with Top-K and ReLU, and the ReLU baseline)', async () => {
    for (const backend of ['wasm', 'cpu'] as const) {
      await initBackend({ backend });
      for (const config of [{ activation: 'topk' as const, sdm: true }, { activation: 'relu' as const, sdm: true }, { activation: 'relu' as const, sdm: false }]) {
        const model = new Sdmlp({ ...config, size: 6, hiddenSize: 8, classes: 3, k: 3, gabaHorizon: 4, seed: 3 });
        const x = tf.randomUniform([4, 6], 0, 1, 'float32', 2);
        const labels = tf.tensor1d([0, 1, 2, 1], 'int32');
        const r = gradCheckVariables(() => sdmlpLoss(model, { x, labels }), trainableVariables(model), { eps: 1e-3, tolerance: 3e-2 });
        expect(r.ok, `${backend} ${config.activation}: max relative error ${r.maxRelError}`).to.equal(true);
        tf.dispose([x, labels]);
        model.dispose();
      }
    }
    await initBackend({ backend: 'wasm' });
  });

  it('baseline MLPs (sdm: false) have biases and unconstrained weights', () => {
    const model = new Sdmlp({ size: 10, hiddenSize: 8, classes: 3, activation: 'relu', sdm: false });
    expect(Object.keys(trainableVariables(model))).to.deep.equal(['w1', 'w2', 'b1', 'b2']);
    expect(Array.from(model.w1.dataSync()).some((v) => v < 0)).to.equal(true);
    model.dispose();
  });

  it('saves and loads spec, weights and GABA counts through core', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sdm-save-'));
    const engram = await createEngram({ plugins: [sdmPlugin] });
    const model = await engram.createModel('sdm/sdmlp', { size: 12, hiddenSize: 20, classes: 3, k: 3, gabaHorizon: 50, seed: 4 });
    const x = tf.randomUniform([6, 12], 0, 1, 'float32', 9) as tf.Tensor2D;
    try {
      tf.tidy(() => model.hiddenActivations(x, { train: true }));
      await saveModel(model, join(dir, 'm'), { engram });
      const copy = await loadModel<Sdmlp>(await createEngram({ plugins: [sdmPlugin] }), join(dir, 'm.json'));
      expect(copy.kind).to.equal('sdm/sdmlp');
      expect(copy.getConfig()).to.deep.equal(model.getConfig());
      expect(copy.activationCounts()).to.deep.equal(model.activationCounts());
      expect(Array.from(tf.tidy(() => copy.logits(x).dataSync()))).to.deep.equal(Array.from(tf.tidy(() => model.logits(x).dataSync())));
      copy.dispose();
    } finally {
      model.dispose();
      x.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects bad configs with coded errors naming the key, and bad inputs with coded errors', async () => {
    const engram = await createEngram({ plugins: [sdmPlugin] });
    const cases: [object, RegExp][] = [
      [{ hiddenSise: 10 }, /unknown key 'hiddenSise'.*did you mean 'hiddenSize'/],
      [{ hidden: 10 }, /unknown key 'hidden'.*valid keys: .*hiddenSize/], // the pre-protocol name
      [{ hiddenSize: 0 }, /'hiddenSize'/],
      [{ hiddenSize: 10, k: 10 }, /'k'.*less than hiddenSize/],
      [{ activation: 'tanh' }, /'activation'/],
      [{ gabaHorizon: -1 }, /'gabaHorizon'/],
      [{ classes: 1 }, /'classes'/],
      [{ sdm: 'yes' }, /'sdm'/],
    ];
    for (const [config, message] of cases) {
      const err = await engram.createModel('sdm/sdmlp', config).then(
        () => expect.fail(`${JSON.stringify(config)} should be rejected`),
        (e: unknown) => e as { code: string; message: string },
      );
      expect(err.code).to.equal(ErrorCodes.INVALID_CONFIG);
      expect(err.message).to.match(message).and.to.include('sdm/sdmlp');
    }
    const model = new Sdmlp({ size: 5, hiddenSize: 8, classes: 2, k: 2 });
    const bad = tf.zeros([3, 4]) as tf.Tensor2D;
    expect(codeOf(() => model.logits(bad))).to.equal(ErrorCodes.SHAPE_MISMATCH);
    expect(codeOf(() => model.accuracy(tf.zeros([2, 5]) as tf.Tensor2D, [0]))).to.equal(ErrorCodes.SHAPE_MISMATCH);
    expect((await errorOf(model.run({ initial: bad }))).code).to.equal(ErrorCodes.SHAPE_MISMATCH);
    expect((await errorOf(model.run({ initial: { imput: [[1, 2, 3, 4, 5]] } }))).message).to.match(/did you mean 'input'/);
    expect((await errorOf(model.run({ initial: [[1, 2, 3, 4, 5]], maxStep: 3 } as never))).code).to.equal(ErrorCodes.INVALID_CONFIG);
    expect(codeOf(() => model.setWeights({ ...model.variables(), w1: bad }))).to.equal(ErrorCodes.WEIGHTS_MISMATCH);
    bad.dispose();
    model.dispose();
  });

  it('after dispose every use is ENGRAM_ERR_DISPOSED', async () => {
    const engram = await createEngram({ plugins: [sdmPlugin] });
    const model = new Sdmlp({ size: 5, hiddenSize: 8, classes: 2, k: 2 });
    const x = tf.zeros([1, 5]) as tf.Tensor2D;
    const initial = model.initialState(x);
    model.dispose();
    for (const use of [() => model.logits(x), () => model.predict(x), () => model.project(), () => model.gaba(), () => model.variables(), () => model.getConfig(), () => model.initialState(2)]) {
      expect(codeOf(use)).to.equal(ErrorCodes.DISPOSED);
    }
    expect((await errorOf(model.run({ initial }))).code).to.equal(ErrorCodes.DISPOSED);
    expect((await errorOf(trainModel(model, { engram }))).code).to.equal(ErrorCodes.DISPOSED);
    tf.dispose([x, ...Object.values(initial)]);
  });
});
