import { expect } from 'chai';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { createEngram, definePlugin, explicitRule, initBackend, ModelBase, trainingSettingsSchema, z, type DynamicsSystem, type JsonObject, type TrainingFace } from '@engram/core';
import { loadModel, saveModel } from '@engram/core/node';
import { captureIo, main } from '../src/index.js';
import { tempDir } from './helpers.js';

/** A toy trainable model: one weight pulled towards 3 by its training face. */
class Toy extends ModelBase {
  readonly kind = 'toy/trainer';
  readonly layers = [{ name: 'x', shape: [1] }];
  readonly w = tf.variable(tf.scalar(0));
  protected dynamics(): DynamicsSystem {
    return explicitRule({ update: (s) => ({ x: tf.mul(s['x']!, this.w) }) });
  }
  variables() {
    return { w: this.w };
  }
  getConfig(): JsonObject {
    return {};
  }
  override readonly training: TrainingFace<number> = {
    schema: trainingSettingsSchema.extend({ lr: z.number().positive().default(0.1) }),
    data: () => ({ batches: () => [1, 2, 3, 4], batchesPerEpoch: 4 }),
    loss: () => tf.square(tf.sub(this.w, 3)) as tf.Scalar,
  };
}

const toy = definePlugin({
  name: 'toy',
  version: '1.2.3',
  engram: '^0.1.0',
  description: 'a toy plugin for the CLI tests',
  register(ctx) {
    ctx.model('trainer', { schema: z.strictObject({}), example: {}, create: () => new Toy(), description: 'a trainable toy' });
    ctx.command('hello', {
      description: 'says hello',
      options: z.strictObject({ times: z.number().int().min(1).default(1).describe('how many times') }),
      positionals: [{ name: 'names', description: 'whom to greet', required: false }],
      run: async ({ options, positionals }, io) => {
        for (let i = 0; i < options.times; i++) io.stdout(`hello ${positionals.join(' ')}\n`);
        return 3;
      },
    });
  },
});

describe('plugin contributions through the CLI', function () {
  const opts = { plugins: [toy], packages: [] as string[] };
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('lists and runs a plugin command; its exit code is the CLI exit code', async () => {
    const help = captureIo();
    expect(await main(['--help'], help, opts)).to.equal(0);
    expect(help.out).to.match(/^  hello +says hello \[toy\]$/m);
    const io = captureIo();
    expect(await main(['hello', 'a', '--times', '2'], io, opts)).to.equal(3);
    expect(io.out).to.equal('hello a\nhello a\n');
    // 'wasm (native BLAS, 2 threads, OpenBLAS Haswell kernels, avx2 vector kernels, huge pages)' or 'wasm (wasm fast path, native BLAS off)'
    expect(io.err).to.match(/^engram hello: backend wasm \((native BLAS, \d+ threads?, OpenBLAS \S+ kernels, (avx512|avx2|baseline) vector kernels(, huge pages)?|wasm fast path, native BLAS off)\)\n$/);
    const byId = captureIo();
    expect(await main(['toy/hello', 'c'], byId, opts)).to.equal(3);
    const usage = captureIo();
    expect(await main(['hello', '--help'], usage, opts)).to.equal(0);
    expect(usage.out).to.match(/^Usage: engram hello \[names\] \[options\]\n/).and.to.contain('--times N').and.to.contain('(from plugin toy)');
    const bad = captureIo();
    expect(await main(['hello', '--tims', '2'], bad, opts)).to.equal(2);
    expect(bad.err).to.equal("engram hello: error: Unknown option '--tims'; did you mean --times? (see 'engram hello --help')\n");
    const range = captureIo();
    expect(await main(['hello', '--times', '0'], range, opts)).to.equal(2);
    expect(range.err).to.contain('option --times must be a number >= 1, got 0');
    const plugins = captureIo();
    await main(['plugins'], plugins, opts);
    expect(plugins.out).to.contain('toy@1.2.3').and.to.contain('commands     engram hello').and.to.contain('models       toy/trainer');
  });

  it("train uses a model's training face and saves the result", async () => {
    const tmp = tempDir();
    try {
      const engram = await createEngram({ plugins: [toy] });
      const m = await engram.createModel('toy/trainer');
      const spec = (await saveModel(m, join(tmp.dir, 'toy'), { engram })).spec;
      m.dispose();
      const io = captureIo();
      const code = await main(['train', spec, '--epochs', '3', '--optimizer', 'sgd', '--save', join(tmp.dir, 'out.json')], io, opts);
      expect(code, io.err).to.equal(0);
      expect(io.out).to.match(/^epoch 3\/3  mean loss/m);
      const trained = (await loadModel(engram, join(tmp.dir, 'out.json'))) as Toy;
      // 12 SGD steps of w <- w - 0.1 * 2 (w - 3) from 0: 3 (1 - 0.8^12) = 2.79.
      expect(trained.w.dataSync()[0]).to.be.closeTo(3 * (1 - 0.8 ** 12), 1e-3);
      trained.dispose();
    } finally {
      tmp.cleanup();
    }
  });

  it('--plugin loads an extra package; a bad one is a warning, not a failure', async () => {
    const io = captureIo();
    expect(await main(['--plugin', 'no-such-engram-plugin', 'plugins'], io, { packages: [] })).to.equal(0);
    expect(io.err).to.match(/^engram: warning: plugin package 'no-such-engram-plugin' failed to import/);
    expect(io.out).to.match(/^core@/m);
    const missing = captureIo();
    expect(await main(['--plugin'], missing, { packages: [] })).to.equal(2);
    expect(missing.err).to.contain("option '--plugin' needs a value");
  });
});
