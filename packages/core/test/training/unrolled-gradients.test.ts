import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/backend.js';
import { EnergyModel } from '../../src/model/energy-model.js';
import { lagrangians, type Lagrangian } from '../../src/lagrangians/index.js';

const builtinLagrangians = lagrangians as unknown as Record<string, (params: object) => Lagrangian>;
import { denseSynapse } from '../../src/synapses/dense.js';
import { biasSynapse } from '../../src/synapses/bias.js';
import { memorySynapse } from '../../src/synapses/memory.js';
import type { Hypersynapse } from '../../src/synapses/hypersynapse.js';
import { gradCheckArgs, gradCheckVariables } from '../../src/numerics/gradcheck.js';
import { installGradientFixes, uninstallGradientFixes } from '../../src/numerics/gradient-fixes.js';
import type { JsonObject } from '../../src/numerics/tensor-input.js';
import { autodiffOnly } from '../helpers.js';

/**
 * The acceptance check of training through the dynamics: for every built-in
 * synapse and every Lagrangian, dE/dg and the gradient of a loss after 3
 * unrolled descent steps w.r.t. the synapse weights agree with central finite
 * differences, on wasm and on cpu.
 */
const synapseMakers: Record<string, (d: number, h: number) => { syn: Hypersynapse; layers: string[] }> = {
  dense: (d, h) => ({ syn: denseSynapse({ inSize: d, outSize: h, std: 0.5, seed: 1 }), layers: ['v', 'h'] }),
  'dense (self)': (d) => ({ syn: denseSynapse({ inSize: d, outSize: d, std: 0.5, seed: 2 }), layers: ['v', 'v'] }),
  bias: (d) => ({ syn: biasSynapse({ size: d, bias: tf.randomNormal([d], 0, 0.5, 'float32', 3) }), layers: ['v'] }),
  'memory lse': (d) => ({ syn: memorySynapse({ memories: 4, size: d, beta: 2, seed: 4 }), layers: ['v'] }),
  'memory rectified-power': (d) => ({ syn: memorySynapse({ memories: 4, size: d, separation: 'rectified-power', n: 3, seed: 6 }), layers: ['v'] }),
};

const lagrangianParams: Record<string, JsonObject> = {
  identity: {},
  relu: {},
  repu: { n: 3 },
  exp: { beta: 0.5 },
  tanh: { beta: 1.5 },
  sigmoid: { beta: 2 },
  softmax: { beta: 1.5 },
  layernorm: { gamma: 1.2 },
  spherical: {},
};

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`gradients through 3 unrolled steps (${backend})`, () => {
    before(async () => {
      await initBackend({ backend });
    });

    for (const [synName, make] of Object.entries(synapseMakers)) for (const path of ['closed form', 'autodiff'] as const) {
      it(`synapse ${synName} (${path}): dE/dg and d(loss after 3 steps)/dW match finite differences`, () => {
        const d = 5;
        const h = 3;
        const model = new EnergyModel()
          .addLayer('v', { shape: [d], lagrangian: builtinLagrangians['tanh']!({ beta: 1 }) })
          .addLayer('h', { shape: [h], lagrangian: builtinLagrangians['sigmoid']!({ beta: 1 }) });
        const { syn: made, layers } = make(d, h);
        const syn = path === 'autodiff' ? autodiffOnly(made) : made;
        model.addSynapse('s', syn, layers);
        const x0 = { v: tf.randomNormal([2, d], 0, 1, 'float32', 7), h: tf.randomNormal([2, h], 0, 1, 'float32', 8) };
        const gs = layers.map((l) => model.layer(l).lagrangian.activation(x0[l as 'v' | 'h']));
        const e = gradCheckArgs((...a) => tf.sum(syn.energy(a)) as tf.Scalar, layers[0] === layers[1] ? [gs[0]!, gs[0]!.clone()] : gs, {
          tolerance: 1e-2,
        });
        expect(e.ok, `dE/dg: ${e.summary}`).to.equal(true);
        const target = tf.randomNormal([2, d], 0, 1, 'float32', 9);
        const loss = (): tf.Scalar =>
          tf.tidy(() => {
            const final = model.integrate(x0, { steps: 3, dt: 0.3 });
            return tf.mean(tf.square(tf.sub(final['v']!, target))) as tf.Scalar;
          });
        const r = gradCheckVariables(loss, model.variables(), { tolerance: 1e-2 });
        expect(r.ok, `d loss / dW: ${r.summary}`).to.equal(true);
        tf.dispose([...gs, target, ...Object.values(x0)]);
        model.dispose();
      });
    }

    for (const [lagName, params] of Object.entries(lagrangianParams)) {
      it(`Lagrangian ${lagName}: d(loss after 3 steps)/dW through a memory + dense graph matches finite differences`, () => {
        const d = 4;
        const model = new EnergyModel()
          .addLayer('v', { shape: [d], lagrangian: builtinLagrangians[lagName]!(params) })
          .addLayer('h', { shape: [3], lagrangian: builtinLagrangians['softmax']!({ beta: 1 }) })
          .addSynapse('mem', memorySynapse({ memories: 3, size: d, beta: 1.5, seed: 11 }), ['v'])
          .addSynapse('w', denseSynapse({ inSize: d, outSize: 3, std: 0.5, seed: 12 }), ['v', 'h']);
        const x0 = { v: tf.randomNormal([2, d], 0, 1, 'float32', 13), h: tf.randomNormal([2, 3], 0, 1, 'float32', 14) };
        const target = tf.randomNormal([2, 3], 0, 1, 'float32', 15);
        const loss = (): tf.Scalar =>
          tf.tidy(() => {
            const final = model.integrate(x0, { steps: 3, dt: 0.2 });
            const g = model.layer('h').lagrangian.activation(final['h']!);
            return tf.add(tf.mean(tf.square(tf.sub(g, target))), tf.mean(tf.square(final['v']!))) as tf.Scalar;
          });
        const r = gradCheckVariables(loss, model.variables(), { tolerance: 1e-2 });
        expect(r.ok, r.summary).to.equal(true);
        tf.dispose([target, ...Object.values(x0)]);
        model.dispose();
      });
    }
  });
}

describe('the gradient fixes are what makes unrolled training correct', () => {
  // Without the native path: its fused log-sum-exp kernel has a gradient of its own (tested in
  // numerics/fused-log-sum-exp.test.ts), so the stock gradients this test exposes would not run.
  before(async () => {
    await initBackend({ backend: 'wasm', native: false });
  });
  after(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('without them the weight gradient through tanh + lse dynamics (autodiff path) fails (throws or is wrong); with them it is right', () => {
    const model = new EnergyModel()
      .addLayer('v', { shape: [4], lagrangian: builtinLagrangians['tanh']!({ beta: 1 }) })
      .addSynapse('mem', autodiffOnly(memorySynapse({ memories: 3, size: 4, beta: 2, seed: 3 })), ['v']);
    const x0 = { v: tf.randomNormal([2, 4], 0, 1, 'float32', 4) };
    const loss = (): tf.Scalar => tf.tidy(() => tf.sum(tf.square(model.integrate(x0, { steps: 3, dt: 0.3 })['v']!)) as tf.Scalar);
    uninstallGradientFixes();
    let broken;
    try {
      broken = gradCheckVariables(loss, model.variables(), { tolerance: 1e-2 });
    } catch (err) {
      broken = { ok: false, summary: String(err) };
    } finally {
      installGradientFixes();
    }
    expect(broken.ok, 'stock tfjs 4.22 second-order gradients should fail this check').to.equal(false);
    const fixed = gradCheckVariables(loss, model.variables(), { tolerance: 1e-2 });
    expect(fixed.ok, fixed.summary).to.equal(true);
    tf.dispose(Object.values(x0));
    model.dispose();
  });
});
