import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '../../src/backend/backend.js';
import { createEngram } from '../../src/plugins/create-engram.js';
import { definePlugin } from '../../src/plugins/plugin.js';
import { EnergyModel } from '../../src/model/energy-model.js';
import { lagrangians } from '../../src/lagrangians/index.js';
import { denseSynapse } from '../../src/synapses/dense.js';
import { memorySynapse } from '../../src/synapses/memory.js';
import { defineSynapse } from '../../src/synapses/hypersynapse.js';
import { saveModel, loadModel } from '../../src/node/model-files.js';
import { serializeModel, deserializeModel } from '../../src/serialization/serialize.js';
import { ErrorCodes, isEngramError, type ErrorCode } from '../../src/errors/index.js';
import type { Engram } from '../../src/plugins/engram.js';

function buildModel(): EnergyModel {
  return new EnergyModel()
    .addLayer('v', { shape: [6], lagrangian: lagrangians.tanh({ beta: 1.5 }), tau: 0.5 })
    .addLayer('h', { shape: [3], lagrangian: lagrangians.softmax({ beta: 2 }) })
    .addSynapse('w', denseSynapse({ inSize: 6, outSize: 3, seed: 4 }), ['v', 'h'])
    .addSynapse('mem', memorySynapse({ memories: 5, size: 6, beta: 3, seed: 5 }), ['v']);
}

async function rejects(p: Promise<unknown>, code: ErrorCode, pattern?: RegExp): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isEngramError(err, code), `expected ${code}, got ${String(err)}`).to.equal(true);
  if (pattern) expect((err as Error).message).to.match(pattern);
}

describe('serialization', () => {
  let engram: Engram;
  let dir: string;
  before(async () => {
    await initBackend({ backend: 'wasm' });
    engram = await createEngram();
    dir = mkdtempSync(join(tmpdir(), 'engram-ser-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips a graph model through files: same config, weights and energies', async () => {
    const model = buildModel();
    const paths = await saveModel(model, join(dir, 'm'), { engram });
    expect(paths.spec.endsWith('m.json')).to.equal(true);
    const spec = JSON.parse(readFileSync(paths.spec, 'utf8'));
    expect(spec.kind).to.equal('core/graph');
    expect(spec.plugin).to.deep.equal({ name: 'core', version: '0.1.0' });
    expect(spec.weights.entries.map((e: { name: string }) => e.name)).to.deep.equal(['w/W', 'mem/patterns']);
    const loaded = await loadModel<EnergyModel>(engram, paths.spec);
    expect(loaded.getConfig()).to.deep.equal(model.getConfig());
    const x = { v: tf.randomNormal([2, 6], 0, 1, 'float32', 1), h: tf.randomNormal([2, 3], 0, 1, 'float32', 2) };
    const a = model.energy(x).total.dataSync();
    const b = loaded.energy(x).total.dataSync();
    expect(Array.from(b)).to.deep.equal(Array.from(a));
    model.dispose();
    loaded.dispose();
    tf.dispose(Object.values(x));
  });

  it('rejects corrupt, truncated and mismatched weight files and changes nothing', async () => {
    const model = buildModel();
    const { spec, weights } = await saveModel(model, join(dir, 'c'), { engram });
    const good = readFileSync(weights);
    const before = tf.memory().numTensors;
    writeFileSync(weights, good.subarray(0, good.length - 8));
    await rejects(loadModel(engram, spec), ErrorCodes.CORRUPT_WEIGHTS, /has \d+ bytes but the spec expects \d+ \(truncated/);
    const flipped = Buffer.from(good);
    flipped[10] = flipped[10]! ^ 0xff;
    writeFileSync(weights, flipped);
    await rejects(loadModel(engram, spec), ErrorCodes.CORRUPT_WEIGHTS, /CRC-32/);
    writeFileSync(weights, good);
    rmSync(weights);
    await rejects(loadModel(engram, spec), ErrorCodes.CORRUPT_WEIGHTS, /cannot read the weights file/);
    writeFileSync(weights, good);
    // a spec whose config no longer matches its weights (layer size changed)
    const json = JSON.parse(readFileSync(spec, 'utf8'));
    json.config.layers[0].shape = [7];
    json.config.synapses[0].config.inSize = 7;
    json.config.synapses[1].config.size = 7;
    writeFileSync(join(dir, 'mismatch.json'), JSON.stringify(json));
    await rejects(loadModel(engram, join(dir, 'mismatch.json')), ErrorCodes.WEIGHTS_MISMATCH, /weight 'w\/W' has shape \[6,3\] but the model expects \[7,3\]/);
    expect(tf.memory().numTensors, 'a failed load leaves no tensors behind').to.equal(before);
    model.dispose();
  });

  it('rejects malformed specs and names the missing plugin', async () => {
    writeFileSync(join(dir, 'bad.json'), '{ not json');
    await rejects(loadModel(engram, join(dir, 'bad.json')), ErrorCodes.INVALID_SPEC, /bad.json: not valid JSON/);
    await rejects(loadModel(engram, join(dir, 'absent.json')), ErrorCodes.INVALID_SPEC, /absent.json: cannot read the model spec: ENOENT/);
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ format: 'something' }));
    await rejects(loadModel(engram, join(dir, 'other.json')), ErrorCodes.INVALID_SPEC, /'format' must be 'engram-model'/);
    const model = buildModel();
    const art = serializeModel(model);
    const foreign = { ...art, spec: { ...art.spec, kind: 'hopfield/modern', plugin: { name: 'hopfield', version: '0.1.0' } } };
    await rejects(deserializeModel(engram, foreign), ErrorCodes.UNKNOWN_KIND, /needs model kind 'hopfield\/modern' from plugin 'hopfield', which is not loaded/);
    const bent = { ...art, spec: { ...art.spec, weights: { ...art.spec.weights, entries: art.spec.weights.entries.map((e) => ({ ...e, offset: e.offset + 4 })) } } };
    await rejects(deserializeModel(engram, bent), ErrorCodes.INVALID_SPEC, /inconsistent/);
    model.dispose();
  });

  it('round-trips a graph whose kinds come from a plugin, and needs that plugin to load', async () => {
    const plugin = definePlugin({
      name: 'extra',
      version: '0.2.0',
      engram: '^0.1.0',
      register(ctx) {
        ctx.synapse('scaled', {
          schema: z.strictObject({ init: z.number().default(1) }),
          create: (c) => {
            const s = tf.variable(tf.scalar(c.init));
            return defineSynapse({ kind: 'extra/scaled', arity: 1, config: c, variables: { s }, energy: ([g], v) => tf.mul(tf.neg(tf.sum(tf.square(g!), 1)), v['s']!) as tf.Tensor1D });
          },
        });
      },
    });
    const withPlugin = await createEngram({ plugins: [plugin] });
    const model = new EnergyModel()
      .addLayer('v', { shape: [3], lagrangian: withPlugin.lagrangian('core/sigmoid', { beta: 1 }) })
      .addSynapse('q', withPlugin.synapse('extra/scaled', { init: 0.5 }), ['v']);
    model.variables()['q/s']!.assign(tf.scalar(0.25));
    const art = serializeModel(model, { engram: withPlugin });
    const back = await deserializeModel<EnergyModel>(withPlugin, art);
    expect(back.variables()['q/s']!.dataSync()[0]).to.equal(0.25);
    await rejects(deserializeModel(engram, art), ErrorCodes.UNKNOWN_KIND, /unknown synapse 'extra\/scaled'.*plugin 'extra'/);
    model.dispose();
    back.dispose();
  });
});
