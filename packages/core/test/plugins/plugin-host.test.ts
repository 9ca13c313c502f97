import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/backend.js';
import { createEngram } from '../../src/plugins/create-engram.js';
import { definePlugin, type EngramPlugin } from '../../src/plugins/plugin.js';
import { ErrorCodes, isEngramError, type ErrorCode } from '../../src/errors/index.js';
import { defineLagrangian } from '../../src/lagrangians/lagrangian.js';
import { defineSynapse } from '../../src/synapses/hypersynapse.js';
import { EnergyModel } from '../../src/model/energy-model.js';
import { z } from 'zod';

async function rejects(p: Promise<unknown>, code: ErrorCode, pattern?: RegExp): Promise<Error> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isEngramError(err, code), `expected ${code}, got ${String(err)}`).to.equal(true);
  if (pattern) expect((err as Error).message).to.match(pattern);
  return err as Error;
}

const squarePlugin = definePlugin({
  name: 'square',
  version: '1.2.0',
  engram: '^0.1.0',
  description: 'a quadratic Lagrangian and a coupling',
  register(ctx) {
    ctx.lagrangian('quad', {
      schema: z.strictObject({}),
      create: () => defineLagrangian({ kind: 'square/quad', lagrangian: (x) => tf.mul(tf.sum(tf.square(x), 1), 0.5) as tf.Tensor1D }),
    });
    ctx.synapse('sum', {
      schema: z.strictObject({ scale: z.number().default(1) }),
      create: (c) => defineSynapse({ kind: 'square/sum', arity: 1, config: c, energy: ([g]) => tf.mul(tf.neg(tf.sum(g!, 1)), c.scale) as tf.Tensor1D }),
    });
    ctx.command('hello', {
      description: 'says hello',
      options: z.strictObject({ loud: z.boolean().default(false) }),
      positionals: [{ name: 'who', description: 'whom to greet' }],
      run: async ({ options, positionals }, io) => {
        io.stdout(`hello ${positionals.join(' ')}${options.loud ? '!' : ''}`);
        return 0;
      },
    });
    ctx.dataset('ones', {
      schema: z.strictObject({ n: z.number().int().positive().default(2) }),
      load: async (o) => ({ count: o.n, shape: [1], data: new Float32Array(o.n).fill(1) }),
    });
  },
});

describe('plugin host', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('registers the core parts as plugin "core" and resolves everything by id', async () => {
    const engram = await createEngram({ plugins: [squarePlugin] });
    expect(engram.plugins().map((p) => p.name)).to.deep.equal(['core', 'square']);
    expect(engram.ids('lagrangian')).to.include.members(['core/softmax', 'core/layernorm', 'core/spherical', 'square/quad']);
    expect(engram.ids('synapse')).to.include.members(['core/dense', 'core/bias', 'core/memory', 'square/sum']);
    expect(engram.ids('model')).to.deep.equal(['core/graph']);
    expect(engram.plugins()[1]!.contributes.command).to.deep.equal(['square/hello']);
    const lag = engram.lagrangian('core/softmax', { beta: 2 });
    expect(lag.kind).to.equal('core/softmax');
    expect(lag.params['beta']).to.equal(2);
    const quad = engram.lagrangian('square/quad');
    const x = tf.tensor2d([[1, 2]]);
    expect(Array.from(quad.activation(x).dataSync())).to.deep.equal([1, 2]);
    const out: string[] = [];
    const cmd = engram.commands().find((c) => c.name === 'hello')!;
    expect(await cmd.run({ options: { loud: true }, positionals: ['world'] } as never, { stdout: (s) => out.push(s), stderr: () => {}, isTTY: false, cwd: '.' }, engram)).to.equal(0);
    expect(out).to.deep.equal(['hello world!']);
    expect(Array.from((await engram.dataset('square/ones', { n: 3 })).data)).to.deep.equal([1, 1, 1]);
    const model = await engram.createModel<EnergyModel>('core/graph', {
      layers: [{ name: 'v', shape: [2], lagrangian: { kind: 'square/quad', params: {} } }],
      synapses: [{ name: 's', kind: 'square/sum', layers: ['v'], config: {} }],
    });
    const e = model.energy({ v: x });
    // E = <x,g> - L + E_syn = (1+4) - 2.5 - (1+2) = -0.5
    expect(e.total.dataSync()[0]).to.be.closeTo(-0.5, 1e-6);
    tf.dispose([x, e.total, ...Object.values(e.terms!)]);
    model.dispose();
  });

  it('validates configs against the schema before any factory runs, suggesting the nearest key', async () => {
    const engram = await createEngram({ plugins: [squarePlugin] });
    expect(() => engram.synapse('square/sum', { scael: 2 })).to.throw(/unknown key 'scael' in the config of square\/sum; did you mean 'scale'\?/);
    expect(() => engram.synapse('square/sum', { scale: 'x' })).to.throw(/config key 'scale' of square\/sum must be a number, got 'x'/);
    await rejects(engram.dataset('square/ones', { n: 0 }), ErrorCodes.INVALID_CONFIG, /options key 'n' of square\/ones must be a number > 0, got 0/);
    await rejects(engram.createModel('core/graph', { layers: [], synapses: [] }), ErrorCodes.INVALID_CONFIG, /'layers' of core\/graph must be a list of >= 1 items/);
    const schema = engram.configSchema('synapse', 'square/sum');
    expect(schema['properties']).to.have.property('scale');
  });

  it('rejects a model factory that returns something other than a Model of its kind', async () => {
    const liar = definePlugin({
      name: 'liar',
      version: '0.1.0',
      engram: '*',
      register(ctx) {
        ctx.model('m', { schema: z.strictObject({}), example: {}, create: () => new EnergyModel() });
      },
    });
    const engram = await createEngram({ plugins: [liar] });
    await rejects(engram.createModel('liar/m'), ErrorCodes.PLUGIN_HOOK, /must return a Model .* whose kind is 'liar\/m'/);
  });

  it('rejects unknown ids with the known ids and the plugin to load', async () => {
    const engram = await createEngram();
    expect(() => engram.lagrangian('hopfield/foo')).to.throw(/unknown lagrangian 'hopfield\/foo': load the plugin that provides it \(plugin 'hopfield'\).*core\/softmax/);
    await rejects(engram.createModel('hopfield/modern'), ErrorCodes.UNKNOWN_KIND, /plugin 'hopfield'/);
    expect(() => engram.synapse('dense')).to.throw(/namespaced id such as 'core\/dense'/);
  });

  it('rejects duplicate plugins, duplicate ids and the reserved name', async () => {
    await rejects(createEngram({ plugins: [squarePlugin, { ...squarePlugin, version: '1.3.0' }] }), ErrorCodes.DUPLICATE_PLUGIN, /'square' is loaded twice \(versions 1.2.0 and 1.3.0\)/);
    const twice = definePlugin({
      name: 'twice',
      version: '0.1.0',
      engram: '*',
      register(ctx) {
        ctx.model('m', { schema: z.strictObject({}), example: {}, create: () => new EnergyModel() });
        ctx.model('m', { schema: z.strictObject({}), example: {}, create: () => new EnergyModel() });
      },
    });
    await rejects(createEngram({ plugins: [twice] }), ErrorCodes.DUPLICATE_ID, /'twice\/m' twice/);
    await rejects(createEngram({ plugins: [{ ...squarePlugin, name: 'core' }] }), ErrorCodes.DUPLICATE_PLUGIN, /reserved/);
  });

  it('checks the supported core range before running any plugin code', async () => {
    let ran = false;
    const old = definePlugin({ name: 'old', version: '3.0.0', engram: '^2.0.0', register: () => void (ran = true) });
    await rejects(createEngram({ plugins: [old] }), ErrorCodes.INCOMPATIBLE_CORE, /'old'@3.0.0 supports @engram\/core '\^2.0.0' but this is @engram\/core 0.1.0/);
    expect(ran).to.equal(false);
  });

  it('orders plugins by dependency and rejects missing or wrong-version dependencies', async () => {
    const order: string[] = [];
    const a = definePlugin({ name: 'a', version: '1.0.0', engram: '*', dependencies: ['b@^1.0.0'], register: () => void order.push('a') });
    const b = definePlugin({ name: 'b', version: '1.1.0', engram: '*', register: () => void order.push('b') });
    await createEngram({ plugins: [a, b] });
    expect(order).to.deep.equal(['b', 'a']);
    await rejects(createEngram({ plugins: [a] }), ErrorCodes.MISSING_DEPENDENCY, /'a' needs plugin 'b' \(\^1.0.0\), which is not loaded/);
    await rejects(createEngram({ plugins: [a, { ...b, version: '2.0.0' }] }), ErrorCodes.MISSING_DEPENDENCY, /needs plugin 'b' \^1.0.0 but 2.0.0 is loaded/);
  });

  it('rejects malformed plugin objects and missing packages', async () => {
    await rejects(createEngram({ plugins: [{ name: 'x' } as unknown as EngramPlugin] }), ErrorCodes.INVALID_PLUGIN, /'version' must be a semver version.*'register' must be a function/);
    await rejects(createEngram({ plugins: ['engram-plugin-that-does-not-exist'] }), ErrorCodes.PLUGIN_NOT_FOUND, /npm install engram-plugin-that-does-not-exist/);
  });

  it('wraps errors escaping plugin code with the plugin and the hook, keeping the cause', async () => {
    const boom = definePlugin({
      name: 'boom',
      version: '0.1.0',
      engram: '*',
      register(ctx) {
        ctx.model('m', {
          schema: z.strictObject({}),
          example: {},
          create: () => {
            throw new TypeError('bad wiring');
          },
        });
      },
    });
    const engram = await createEngram({ plugins: [boom] });
    const err = await rejects(engram.createModel('boom/m'), ErrorCodes.PLUGIN_HOOK, /plugin 'boom' failed in model 'boom\/m': bad wiring/);
    expect((err as Error & { cause: unknown }).cause).to.be.instanceOf(TypeError);
    const failing = definePlugin({ name: 'failing', version: '0.1.0', engram: '*', register: () => Promise.reject(new Error('no')) });
    await rejects(createEngram({ plugins: [failing] }), ErrorCodes.PLUGIN_HOOK, /plugin 'failing' failed in register: no/);
  });
});
