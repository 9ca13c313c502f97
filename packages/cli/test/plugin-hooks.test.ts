import { expect } from 'chai';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { createEngram, definePlugin, initBackend, loadModel, saveModel, trainStream, type EngramModel, type JsonObject } from '@engram/core';
import { captureIo, main } from '../src/index.js';
import { tempDir } from './helpers.js';

/** A toy trainable model: one weight pulled towards 3 by its own train(). */
class Toy implements EngramModel {
  readonly kind = 'toy/trainer';
  readonly w = tf.variable(tf.scalar(0));
  getConfig(): JsonObject {
    return {};
  }
  getWeights() {
    return { w: this.w };
  }
  setWeights(ws: Record<string, tf.Tensor>) {
    this.w.assign(ws['w'] as tf.Scalar);
  }
  train(options: JsonObject) {
    const optimizer = tf.train.sgd(Number(options['lr']));
    return trainStream<number>({
      variables: { w: this.w },
      optimizer,
      epochs: Number(options['epochs']),
      batches: () => [1, 2, 3, 4],
      loss: () => tf.square(tf.sub(this.w, 3)) as tf.Scalar,
      disposeBatch: () => undefined,
    });
  }
  dispose() {
    this.w.dispose();
  }
}

const toy = definePlugin({
  name: 'toy',
  version: '1.2.3',
  engram: '^0.1.0',
  description: 'a toy plugin for the CLI tests',
  register(ctx) {
    ctx.model('trainer', () => new Toy(), 'a trainable toy');
    ctx.command(
      'hello',
      async (args, io) => {
        io.stdout(`hello ${args.join(' ')}\n`);
        return 3;
      },
      { description: 'says hello', usage: 'Usage: engram hello [names...]' },
    );
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
    expect(await main(['hello', 'a', 'b'], io, opts)).to.equal(3);
    expect(io.out).to.equal('hello a b\n');
    const byId = captureIo();
    expect(await main(['toy/hello', 'c'], byId, opts)).to.equal(3);
    const usage = captureIo();
    expect(await main(['hello', '--help'], usage, opts)).to.equal(0);
    expect(usage.out).to.equal('Usage: engram hello [names...]\n');
    const plugins = captureIo();
    await main(['plugins'], plugins, opts);
    expect(plugins.out).to.contain('toy@1.2.3').and.to.contain('commands     engram hello').and.to.contain('models       toy/trainer');
  });

  it("train uses a model's own train() (TrainableModel) and saves the result", async () => {
    const tmp = tempDir();
    try {
      const engram = await createEngram({ plugins: [toy] });
      const m = await engram.createModel('toy/trainer');
      const spec = (await saveModel(m, join(tmp.dir, 'toy'), { engram })).spec;
      m.dispose();
      const io = captureIo();
      const code = await main(['train', spec, '--epochs', '3', '--lr', '0.1', '--save', join(tmp.dir, 'out.json')], io, opts);
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
    expect(missing.err).to.contain("'--plugin' needs a package name");
  });
});
