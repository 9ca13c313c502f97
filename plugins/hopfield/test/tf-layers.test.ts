import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { ErrorCodes, gradCheck, gradCheckVariables, initBackend, isEngramError } from '@engram/core';
import {
  Hopfield,
  HopfieldAttentionLayer,
  HopfieldLayer,
  HopfieldLookupLayer,
  HopfieldPooling,
  HopfieldPoolingLayer,
  poolingFitComparison,
  type HopfieldLayerBase,
  type LayerOptions,
} from '../src/index.js';
import { codeOf, expectClose } from './helpers.js';

type AnyLayer = HopfieldLayerBase<LayerOptions>;

/** Current values of a layer's weights by name (clones the caller disposes). */
function snapshot(layer: AnyLayer): Record<string, tf.Tensor> {
  return Object.fromEntries(Object.entries(layer.weightsByName()).map(([k, v]) => [k, v.read().clone()]));
}

/** Saves a model to memory and loads it back (tf.io round trip). */
async function roundTrip(model: tf.LayersModel): Promise<tf.LayersModel> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return tf.loadLayersModel(tf.io.fromMemory(saved!));
}

function same(a: tf.Tensor, b: tf.Tensor): boolean {
  return tf.tidy(() => a.shape.join() === b.shape.join() && tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] === 0);
}

const bags = (seed: number, b = 4, s = 5, d = 6) => tf.randomNormal([b, s, d], 0, 1, 'float32', seed) as tf.Tensor3D;

describe('tf.layers Hopfield layers', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('multiple-instance learning: tf.sequential(HopfieldPoolingLayer, dense sigmoid) trained by model.fit matches the plain-API HopfieldPooling; every trainable weight changes', async () => {
    const r = await poolingFitComparison({ seed: 0 });
    console.log(`      model.fit accuracy ${r.fitAccuracy.toFixed(4)} (loss ${r.fitLoss.toFixed(4)}), plain API ${r.plainAccuracy.toFixed(4)} (loss ${r.plainLoss.toFixed(4)})`);
    expect(r.plainAccuracy).to.be.at.least(0.95);
    expect(r.fitAccuracy).to.be.at.least(r.plainAccuracy - 0.02);
    expect(r.trainableWeights).to.equal(17); // 6 norm, 8 projection, the pooling weights, dense kernel and bias
    expect(r.unchanged, 'weights model.fit did not change').to.deep.equal([]);
  });

  it('save and load through tf.io round-trip every layer: same predictions, same configs (sequential, functional with two inputs and a mask input)', async () => {
    const pooling = tf.sequential({
      layers: [new HopfieldPoolingLayer({ inputShape: [5, 6], heads: 2, quantity: 2, outputSize: 3, updateStepsMax: 2, dropout: 0.2, seed: 1 }), tf.layers.dense({ units: 1, activation: 'sigmoid' })],
    });
    const lookup = tf.sequential({ layers: [new HopfieldLookupLayer({ inputShape: [6], memories: 7, outputSize: 3, lookupWeightsAsSeparated: true, seed: 2 }), tf.layers.softmax()] });
    const stored = tf.input({ shape: [5, 6] });
    const state = tf.input({ shape: [3, 4] });
    const mask = tf.input({ shape: [3, 5] });
    const attention = new HopfieldAttentionLayer({ heads: 2, hiddenSize: 3, maskInput: true, associationMask: [[0, 0, 0, 0, 1], [0, 0, 0, 0, 0], [1, 0, 0, 0, 0]], seed: 3 });
    const functional = tf.model({ inputs: [stored, state, mask], outputs: attention.apply([stored, state, mask]) as tf.SymbolicTensor });
    const y = bags(1);
    const r = tf.randomNormal([4, 3, 4], 0, 1, 'float32', 2);
    const m = tf.cast(tf.greater(tf.randomUniform([4, 3, 5], 0, 1, 'float32', 3), 0.7), 'float32');
    const x2 = tf.randomNormal([4, 6], 0, 1, 'float32', 4);
    const cases: [tf.LayersModel, tf.Tensor | tf.Tensor[]][] = [
      [pooling, y],
      [lookup, x2],
      [functional, [y, r, m]],
    ];
    for (const [model, input] of cases) {
      const before = model.predict(input) as tf.Tensor;
      const loaded = await roundTrip(model);
      const after = loaded.predict(input) as tf.Tensor;
      expect(same(before, after), `${model.name}: predictions after load`).to.equal(true);
      const own = model.layers.find((l) => l.getClassName().startsWith('Hopfield'))!;
      const back = loaded.layers.find((l) => l.getClassName() === own.getClassName())!;
      expect(back.constructor).to.equal(own.constructor);
      expect({ ...back.getConfig(), name: '' }).to.deep.equal({ ...own.getConfig(), name: '' });
      tf.dispose([before, after]);
      loaded.dispose();
      model.dispose();
    }
    tf.dispose([y, r, m, x2]);
  });

  it('a functional model with HopfieldAttentionLayer (stored, state, mask inputs) and a lookup trains by model.fit: every trainable weight changes', async () => {
    const stored = tf.input({ shape: [5, 6] });
    const state = tf.input({ shape: [2, 6] });
    const mask = tf.input({ shape: [5] });
    const att = new HopfieldAttentionLayer({ heads: 2, maskInput: true, dropout: 0.1, updateStepsMax: 1, seed: 4 });
    const look = new HopfieldLookupLayer({ memories: 4, outputSize: 1, lookupWeightsAsSeparated: true, seed: 5 });
    const out = look.apply(att.apply([stored, state, mask])) as tf.SymbolicTensor;
    const model = tf.model({ inputs: [stored, state, mask], outputs: out });
    const optimizer = tf.train.adam(0.01);
    model.compile({ optimizer, loss: 'meanSquaredError' });
    const before = [snapshot(att), snapshot(look)];
    const y = bags(5, 16);
    const r = tf.randomNormal([16, 2, 6], 0, 1, 'float32', 6);
    const m = tf.cast(tf.greater(tf.randomUniform([16, 5], 0, 1, 'float32', 7), 0.8), 'float32');
    const t = tf.randomNormal([16, 2, 1], 0, 1, 'float32', 8);
    await model.fit([y, r, m], t, { epochs: 2, batchSize: 8, verbose: 0 });
    expect(model.trainableWeights).to.have.length(14 + 16);
    [att, look].forEach((layer, i) => {
      for (const [name, w] of Object.entries((layer).weightsByName())) expect(same(w.read(), before[i]![name]!), `${name} unchanged`).to.equal(false);
    });
    tf.dispose([y, r, m, t, ...before.flatMap((b) => Object.values(b))]);
    model.dispose();
    optimizer.dispose();
  });

  for (const backend of ['cpu', 'wasm'] as const) {
    describe(`gradients (${backend})`, () => {
      before(async () => {
        await initBackend({ backend });
      });
      after(async () => {
        await initBackend({ backend: 'wasm' });
      });

      const layers = () => [
        { name: 'attention', layer: new HopfieldAttentionLayer({ heads: 2, updateStepsMax: 2, updateStepsEps: 1e-12, seed: 11 }), input: bags(21, 2, 4, 6) },
        { name: 'pooling', layer: new HopfieldPoolingLayer({ heads: 2, quantity: 2, updateStepsMax: 1, updateStepsEps: 1e-12, seed: 12 }), input: bags(22, 2, 4, 6) },
        { name: 'lookup', layer: new HopfieldLookupLayer({ memories: 5, outputSize: 3, lookupWeightsAsSeparated: true, normalizeStatePatternAffine: false, seed: 13 }), input: bags(23, 2, 3, 6) },
      ];

      it('finite differences agree with autodiff for each layer, w.r.t. its input and every weight', () => {
        for (const { name, layer, input } of layers()) {
          const probe = tf.tidy(() => tf.randomNormal((layer.apply(input) as tf.Tensor).shape, 0, 1, 'float32', 31));
          const f = (x: tf.Tensor) => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, probe)) as tf.Scalar;
          const wrtInput = gradCheck(f, input, { coordinates: 8, directions: 2 });
          expect(wrtInput.ok, `${name} input: ${wrtInput.summary}`).to.equal(true);
          // The learned patterns start at std 0.02 and are layer-normed, which makes f curve on the scale of a
          // finite-difference step there; check at a generic point instead.
          for (const [k, v] of Object.entries((layer).weightsByName())) {
            if (/Weights$/.test(k)) tf.tidy(() => void v.write(tf.randomNormal(v.shape as number[], 0, 1, 'float32', 33)));
          }
          const vars = Object.fromEntries(Object.entries((layer).weightsByName()).map(([k, v]) => [k, v.read() as tf.Variable]));
          const wrtWeights = gradCheckVariables(() => f(input), vars, { coordinates: 3, directions: 1 });
          expect(wrtWeights.ok, `${name} weights: ${wrtWeights.summary}`).to.equal(true);
          tf.dispose([probe, input]);
          layer.dispose();
        }
      });
    });
  }

  it('with matching weights each layer computes its plain-API module exactly, also with update steps (3 steps differ from none)', () => {
    const y = bags(41, 3, 5, 6);
    const r = tf.randomNormal([3, 2, 6], 0, 1, 'float32', 42);
    const check = (layer: AnyLayer, input: tf.Tensor | tf.Tensor[], plain: { setWeights(w: Record<string, tf.Tensor>): void; dispose(): void }, rename: Record<string, string>, plainOut: () => tf.Tensor, what: string) => {
      const out = layer.apply(input) as tf.Tensor;
      const weights = Object.fromEntries(Object.entries(layer.weightsByName()).map(([k, v]) => [rename[k] ?? k, v.read()]));
      plain.setWeights(weights);
      const ref = plainOut();
      expectClose(out, ref, what, 1e-5);
      tf.dispose([out, ref]);
      plain.dispose();
    };
    const common = { heads: 2, hiddenSize: 3, outputSize: 4, updateStepsMax: 3, updateStepsEps: 1e-12, scaling: 2 };
    const att = new HopfieldAttentionLayer({ ...common, seed: 1 });
    const hf = new Hopfield({ inputSize: 6, ...common });
    check(att, [y, r], hf, {}, () => hf.forward({ stored: y, state: r }), 'attention');
    // One head, static pooling weights without a state norm: the plain module's learned queries.
    const one = { heads: 1, hiddenSize: 4, outputSize: 3, updateStepsMax: 3, updateStepsEps: 1e-12, scaling: 1.5 };
    const pool = new HopfieldPoolingLayer({ ...one, quantity: 2, statePatternAsStatic: true, normalizeStatePattern: false, seed: 2 });
    const hp = new HopfieldPooling({ inputSize: 6, ...one, quantity: 2 });
    check(pool, y, hp, { poolingWeights: 'queries' }, () => hp.forward(y), 'pooling');
    // One head, static separated lookup weights without norms: the plain module's learned keys and values.
    const look = new HopfieldLookupLayer({ ...one, memories: 5, storedPatternAsStatic: true, patternProjectionAsStatic: true, lookupWeightsAsSeparated: true, normalizeStoredPattern: false, normalizePatternProjection: false, seed: 3 });
    const hl = new HopfieldLayer({ inputSize: 6, ...one, memories: 5 });
    check(look, r, hl, { lookupWeights: 'lookupKeys', targetWeights: 'lookupValues' }, () => hl.forward(r), 'lookup');
    const none = new HopfieldAttentionLayer({ ...common, updateStepsMax: 0, seed: 1 });
    const [a, b] = [att.apply([y, r]) as tf.Tensor, none.apply([y, r]) as tf.Tensor];
    expect(same(a, b)).to.equal(false);
    tf.dispose([a, b, y, r]);
    for (const l of [att, none, pool, look]) l.dispose();
  });

  it('masks: forbidding an instance pools exactly the bag without it; a fixed association mask gives the softmax over the allowed pairs', () => {
    const y = bags(51, 2, 5, 6);
    const pool = new HopfieldPoolingLayer({ heads: 2, quantity: 2, maskInput: true, updateStepsMax: 2, updateStepsEps: 1e-12, seed: 5 });
    const mask = tf.tensor2d([[0, 0, 1, 0, 0], [0, 0, 0, 0, 0]]);
    const masked = pool.apply([y, mask]) as tf.Tensor;
    const without = tf.concat([y.slice([0, 0, 0], [1, 2, 6]), y.slice([0, 3, 0], [1, 2, 6])], 1);
    const ref = pool.apply([without, tf.zeros([1, 4])]) as tf.Tensor;
    expectClose(masked.slice([0, 0], [1, -1]), ref, 'masked bag vs bag without the instance', 1e-6);
    const free = pool.apply([y, tf.zerosLike(mask)]) as tf.Tensor;
    expect(same(masked.slice([1, 0], [1, -1]), free.slice([1, 0], [1, -1])), 'unmasked bag unchanged').to.equal(true);
    expect(same(masked.slice([0, 0], [1, -1]), free.slice([0, 0], [1, -1]))).to.equal(false);
    // Bare association: no norms, no projections (all static), one head, beta 1, no output projection.
    const bare = { heads: 1, normalizeStoredPattern: false, normalizeStatePattern: false, normalizePatternProjection: false, storedPatternAsStatic: true, statePatternAsStatic: true, patternProjectionAsStatic: true, disableOutProjection: true };
    const forbid = [[1, 0, 0, 0, 1], [0, 0, 0, 0, 0]];
    const att = new HopfieldAttentionLayer({ ...bare, associationMask: forbid });
    const r = tf.randomNormal([2, 2, 6], 0, 1, 'float32', 52);
    const out = att.apply([y, r]) as tf.Tensor;
    expect(att.weights).to.have.length(0);
    expect(att.settings.scaling).to.equal(1); // hopfield-layers' default without projections
    const expected = tf.tidy(() => {
      const scores = tf.matMul(r, y, false, true);
      const allowed = tf.sub(1, tf.tensor3d([forbid], [1, 2, 5]));
      const e = tf.mul(tf.exp(tf.sub(scores, tf.max(scores, -1, true))), allowed);
      return tf.matMul(tf.div(e, tf.sum(e, -1, true)), y);
    });
    expectClose(out, expected, 'masked association', 1e-5);
    tf.dispose([y, mask, masked, without, ref, free, r, out, expected]);
    pool.dispose();
  });

  it('dropout on the association acts in training only (model.predict and plain calls are deterministic)', () => {
    const layer = new HopfieldPoolingLayer({ heads: 2, quantity: 3, dropout: 0.5, seed: 6 });
    const y = bags(61);
    const [a, b] = [layer.apply(y) as tf.Tensor, layer.apply(y, { training: false }) as tf.Tensor];
    const [t1, t2] = [layer.apply(y, { training: true }) as tf.Tensor, layer.apply(y, { training: true }) as tf.Tensor];
    expect(same(a, b)).to.equal(true);
    expect(same(a, t1)).to.equal(false);
    expect(same(t1, t2), 'a new dropout mask per training call').to.equal(false);
    const plain = new HopfieldPoolingLayer({ heads: 2, quantity: 3, seed: 6 });
    const p = plain.apply(y, { training: true }) as tf.Tensor;
    expect(same(a, p), 'dropout 0 in training = inference, same seed = same weights').to.equal(true);
    tf.dispose([a, b, t1, t2, p, y]);
    layer.dispose();
    plain.dispose();
  });

  it('static and frozen patterns: static patterns have no projection, frozen pooling / lookup weights are not trainable and fit leaves them unchanged', async () => {
    const frozen = new HopfieldPoolingLayer({ inputShape: [5, 6], heads: 2, hiddenSize: 3, statePatternAsStatic: true, poolingWeightsTrainable: false, seed: 7 });
    expect(Object.keys(frozen.weightsByName()).some((k) => k.startsWith('query.'))).to.equal(false);
    const model = tf.sequential({ layers: [frozen, tf.layers.dense({ units: 1 })] });
    const pw = frozen.weightsByName()['poolingWeights']!;
    expect(pw.shape).to.deep.equal([1, 1, 3]); // hiddenSize, shared by the heads
    expect(frozen.nonTrainableWeights.map((w) => w.originalName)).to.deep.equal([pw.originalName]);
    const start = pw.read().clone();
    const optimizer = tf.train.sgd(0.1);
    model.compile({ optimizer, loss: 'meanSquaredError' });
    const y = bags(71, 8);
    const t = tf.randomNormal([8, 1], 0, 1, 'float32', 72);
    await model.fit(y, t, { epochs: 2, batchSize: 4, verbose: 0 });
    expect(same(pw.read(), start)).to.equal(true);
    const look = new HopfieldLookupLayer({ memories: 3, lookupWeightsAsSeparated: true, lookupWeightsTrainable: false, lookupTargetsAsTrainable: false, storedPatternAsStatic: true, hiddenSize: 4 });
    const out = look.apply(tf.zeros([2, 6])) as tf.Tensor;
    expect(out.shape).to.deep.equal([2, 6]);
    expect(look.nonTrainableWeights.map((w) => w.originalName.split('/').pop())).to.deep.equal(['lookupWeights', 'targetWeights']);
    expect(Object.keys(look.weightsByName()).some((k) => k.startsWith('key.'))).to.equal(false);
    tf.dispose([start, y, t, out]);
    model.dispose();
    optimizer.dispose();
    look.dispose();
  });

  it('output shapes follow heads, hiddenSize, quantity and disableOutProjection; the symbolic shapes equal the computed ones', () => {
    const pool = new HopfieldPoolingLayer({ heads: 3, hiddenSize: 2, patternSize: 5, quantity: 4, disableOutProjection: true });
    const y = bags(81);
    const out = pool.apply(y) as tf.Tensor;
    expect(out.shape).to.deep.equal([4, 4 * 3 * 5]);
    const sym = new HopfieldPoolingLayer({ heads: 3, hiddenSize: 2, quantity: 4, outputSize: 7 }).apply(tf.input({ shape: [9, 6] })) as tf.SymbolicTensor;
    expect(sym.shape).to.deep.equal([null, 28]);
    const att = new HopfieldAttentionLayer({ heads: 2, outputSize: 3 });
    expect((att.apply([tf.input({ shape: [7, 5] }), tf.input({ shape: [2, 4] })]) as tf.SymbolicTensor).shape).to.deep.equal([null, 2, 3]);
    expect(att.settings.hiddenSize).to.equal(2); // inputSize 4 (the state input) / 2 heads
    expect(att.settings.storedPatternSize).to.equal(5);
    tf.dispose([y, out]);
    pool.dispose();
    att.dispose();
  });

  it('leaves no tensor behind: predict, fit and dispose return tf.memory().numTensors to its start', async () => {
    const start = tf.memory().numTensors;
    const model = tf.sequential({
      layers: [new HopfieldPoolingLayer({ inputShape: [5, 6], heads: 2, dropout: 0.1, updateStepsMax: 2, maskInput: false, seed: 9 }), tf.layers.dense({ units: 1, activation: 'sigmoid' })],
    });
    const optimizer = tf.train.adam(0.01);
    model.compile({ optimizer, loss: 'binaryCrossentropy' });
    const y = bags(91, 8);
    const t = tf.ones([8, 1]);
    (model.predict(y) as tf.Tensor).dispose();
    await model.fit(y, t, { epochs: 2, batchSize: 4, verbose: 0 });
    (model.predict(y) as tf.Tensor).dispose();
    const att = new HopfieldAttentionLayer({ heads: 2, associationMask: [[0, 1, 0, 0, 0]], seed: 1 });
    const r = tf.zeros([8, 1, 6]);
    (att.apply([y, r], { training: true }) as tf.Tensor).dispose();
    att.dispose();
    r.dispose();
    tf.dispose([y, t]);
    model.dispose();
    optimizer.dispose();
    expect(tf.memory().numTensors - start).to.equal(0);
  });

  it('bad configs and inputs are coded errors naming the key', () => {
    const message = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return isEngramError(e) ? `${e.code} ${e.message}` : String(e);
      }
      return 'none';
    };
    expect(message(() => new HopfieldPoolingLayer({ quantiy: 2 } as never))).to.match(/ENGRAM_ERR_INVALID_CONFIG.*'quantiy'.*did you mean 'quantity'/);
    expect(codeOf(() => new HopfieldPoolingLayer({ dropout: 1 }))).to.equal(ErrorCodes.INVALID_CONFIG);
    expect(codeOf(() => new HopfieldLookupLayer({ memories: 0 }))).to.equal(ErrorCodes.INVALID_CONFIG);
    expect(codeOf(() => new HopfieldAttentionLayer({ associationMask: [[0, 2]] }))).to.equal(ErrorCodes.INVALID_CONFIG);
    expect(message(() => new HopfieldAttentionLayer({ inputSize: 5 }).apply(tf.input({ shape: [3, 4] })))).to.match(/ENGRAM_ERR_INVALID_CONFIG.*'inputSize'/);
    expect(message(() => new HopfieldAttentionLayer({ statePatternAsStatic: true, hiddenSize: 3 }).apply(tf.input({ shape: [3, 4] })))).to.match(/ENGRAM_ERR_INVALID_CONFIG.*'hiddenSize'/);
    expect(message(() => new HopfieldAttentionLayer({ heads: 5 }).apply(tf.input({ shape: [3, 4] })))).to.match(/ENGRAM_ERR_INVALID_CONFIG.*'heads'/);
    expect(codeOf(() => new HopfieldPoolingLayer().settings)).to.equal(ErrorCodes.INVALID_ARGUMENT);
    const pool = new HopfieldPoolingLayer({ associationMask: [[0, 1, 0]] });
    const y = bags(101);
    expect(codeOf(() => pool.apply(y))).to.equal(ErrorCodes.SHAPE_MISMATCH); // mask [1, 3] for 5 instances
    const ok = new HopfieldPoolingLayer();
    (ok.apply(y) as tf.Tensor).dispose();
    expect(codeOf(() => ok.apply(tf.zeros([2, 5, 4])))).to.equal(ErrorCodes.SHAPE_MISMATCH);
    y.dispose();
    pool.dispose();
    ok.dispose();
  });
});
