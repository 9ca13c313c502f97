import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { ErrorCodes, gradCheck, gradCheckVariables, initBackend, type SeparationSpec } from '@engram/core';
import { EnergyTransformerBlock, EnergyTransformerLayer } from '../src/index.js';
import { codeOf, errorOf, maxDiff, relError } from './helpers.js';

const opts = { heads: 2, headSize: 4, memories: 12, maxSteps: 4, dt: 0.2, attentionStd: 0.3, hopfieldStd: 0.3 };

function same(a: tf.Tensor, b: tf.Tensor): boolean {
  return a.shape.join() === b.shape.join() && maxDiff(a, b) === 0;
}

describe('EnergyTransformerLayer (tf.layers)', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  const forms: [string, SeparationSpec][] = [
    ['relu', { kind: 'rectified-power', n: 2 }],
    ['softmax', { kind: 'lse', beta: 0.7 }],
  ];
  for (const [form, separation] of forms) {
    it(`with the block's weights it computes the block's evolve (${form}; diagonal kept or excluded; with and without leak) to 1e-5`, () => {
      const x = tf.randomNormal([3, 5, 8], 0, 1, 'float32', 1);
      for (const excludeDiagonal of [false, true]) {
        for (const leak of [false, true]) {
          const layer = new EnergyTransformerLayer({ ...opts, separation, excludeDiagonal, leak, seed: 2 });
          const out = layer.apply(x) as tf.Tensor;
          const block = new EnergyTransformerBlock({ tokens: 5, size: 8, ...opts, separation, excludeDiagonal, leak });
          block.setWeights(Object.fromEntries(Object.entries(layer.weightsByName()).map(([k, v]) => [k, v.read()])));
          const ref = block.evolve(x);
          expect(relError(out, ref), `excludeDiagonal ${excludeDiagonal}, leak ${leak}`).to.be.lessThan(1e-5);
          expect(relError(out, x)).to.be.greaterThan(1e-3); // the descent moved the tokens
          tf.dispose([out, ref]);
          block.dispose();
          layer.dispose();
        }
      }
      x.dispose();
    });
  }

  it('in a tf.sequential trained by model.fit: the loss falls and every weight changes; tf.io round trip gives the same predictions', async () => {
    const layer = new EnergyTransformerLayer({ inputShape: [5, 8], ...opts, seed: 3 });
    const model = tf.sequential({ layers: [layer, tf.layers.flatten(), tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) })] });
    const optimizer = tf.train.adam(0.02);
    model.compile({ optimizer, loss: 'binaryCrossentropy' });
    const x = tf.randomNormal([64, 5, 8], 0, 1, 'float32', 5);
    // Label: does any token point along a fixed direction (an attention-friendly, nonlinear rule)?
    const y = tf.tidy(() => tf.cast(tf.greater(tf.max(tf.sum(tf.mul(x, tf.linspace(-1, 1, 8)), -1), -1, true), 2), 'float32'));
    const before = Object.fromEntries(Object.entries(layer.weightsByName()).map(([k, v]) => [k, v.read().clone()]));
    const h = await model.fit(x, y, { epochs: 8, batchSize: 16, shuffle: false, verbose: 0 });
    const losses = h.history['loss'] as number[];
    expect(losses.at(-1)!).to.be.lessThan(losses[0]! * 0.8);
    expect(model.trainableWeights).to.have.length(7);
    for (const [k, v] of Object.entries(layer.weightsByName())) expect(same(v.read(), before[k]!), `${k} unchanged`).to.equal(false);
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(tf.io.withSaveHandler(async (a) => ((saved = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
    expect(loaded.layers[0]).to.be.instanceOf(EnergyTransformerLayer);
    const [p, q] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
    expect(same(p, q)).to.equal(true);
    tf.dispose([x, y, p, q, ...Object.values(before)]);
    loaded.dispose();
    model.dispose();
    optimizer.dispose();
  });

  for (const backend of ['cpu', 'wasm'] as const) {
    it(`finite differences agree with autodiff w.r.t. the tokens and every weight (${backend})`, async () => {
      await initBackend({ backend });
      try {
        // The softmax form: the ReLU form's dE/dg has a kink at h = 0 that a finite-difference step may straddle.
        const layer = new EnergyTransformerLayer({ ...opts, maxSteps: 2, separation: { kind: 'lse', beta: 0.7 }, seed: 6 });
        const x = tf.randomNormal([2, 4, 8], 0, 1, 'float32', 7);
        const probe = tf.randomNormal([2, 4, 8], 0, 1, 'float32', 8);
        const f = (t: tf.Tensor) => tf.sum(tf.mul(layer.apply(t) as tf.Tensor, probe)) as tf.Scalar;
        const wrtInput = gradCheck(f, x, { coordinates: 8, directions: 2 });
        expect(wrtInput.ok, wrtInput.summary).to.equal(true);
        const vars = Object.fromEntries(Object.entries(layer.weightsByName()).map(([k, v]) => [k, v.read() as tf.Variable]));
        const wrtWeights = gradCheckVariables(() => f(x), vars, { coordinates: 3, directions: 1 });
        expect(wrtWeights.ok, wrtWeights.summary).to.equal(true);
        tf.dispose([x, probe]);
        layer.dispose();
      } finally {
        await initBackend({ backend: 'wasm' });
      }
    });
  }

  it('leaves no tensor behind after predict, fit and dispose; bad options and inputs are coded errors', async () => {
    const start = tf.memory().numTensors;
    const model = tf.sequential({ layers: [new EnergyTransformerLayer({ inputShape: [4, 6], heads: 2, memories: 8, maxSteps: 2, excludeDiagonal: true, seed: 9 }), tf.layers.flatten(), tf.layers.dense({ units: 1 })] });
    const optimizer = tf.train.sgd(0.01);
    model.compile({ optimizer, loss: 'meanSquaredError' });
    const x = tf.randomNormal([8, 4, 6], 0, 1, 'float32', 10);
    const y = tf.zeros([8, 1]);
    (model.predict(x) as tf.Tensor).dispose();
    await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
    tf.dispose([x, y]);
    model.dispose();
    optimizer.dispose();
    expect(tf.memory().numTensors - start).to.equal(0);
    expect(errorOf(() => new EnergyTransformerLayer({ hedas: 2 } as never)).message).to.match(/'hedas'.*did you mean 'heads'/);
    expect(codeOf(() => new EnergyTransformerLayer({ dt: 0 }))).to.equal(ErrorCodes.INVALID_CONFIG);
    expect(codeOf(() => new EnergyTransformerLayer({}).apply(tf.input({ shape: [8] })))).to.equal(ErrorCodes.SHAPE_MISMATCH);
    const layer = new EnergyTransformerLayer({ heads: 2, memories: 4 });
    const t = tf.zeros([1, 3, 4]);
    (layer.apply(t) as tf.Tensor).dispose();
    expect(codeOf(() => layer.apply(tf.zeros([1, 2, 4])))).to.equal(ErrorCodes.SHAPE_MISMATCH);
    t.dispose();
    layer.dispose();
  });
});
