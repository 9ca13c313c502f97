import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { EngramError, type CommandIO, createEngram, initBackend } from '@engram/core';
import sdmPlugin, { type SplitFashionMnistResult, parseSplitArgs, runSplitFashionMnist, sdmlpTrainingThroughput, writeSplitOutputs } from '../src/index.js';
import { main } from '../examples/split-fmnist.js';

function captureIO(cwd: string): CommandIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), isTTY: false, cwd };
}

describe('Split Fashion-MNIST (committed subset, reduced)', function () {
  this.timeout(120_000);
  let result: SplitFashionMnistResult;

  before(async () => {
    await initBackend({ backend: 'wasm' });
    const start = tf.memory().numTensors;
    // 100 images per class, N = 300, k = 5: a small version of the paper's protocol.
    result = await runSplitFashionMnist({
      models: ['sdmlp', 'relu-sgd'],
      seeds: [0],
      source: 'subset',
      hidden: 300,
      k: 5,
      epochsPerTask: 3,
      batchSize: 16,
    });
    expect(tf.memory().numTensors).to.equal(start);
  });

  it("the SDMLP's final 10-way accuracy is clearly above the ReLU MLP's, which keeps only the last task", () => {
    const [sdm, relu] = result.models;
    expect(result.source).to.equal('subset');
    expect(sdm!.accuracyAfterTask).to.have.length(5);
    // After the first task a model can at best know 2 of 10 classes.
    expect(sdm!.accuracyAfterTask[0]).to.be.within(0.15, 0.2 + 1e-9);
    expect(relu!.finalAccuracy).to.be.below(0.26);
    expect(sdm!.finalAccuracy).to.be.above(relu!.finalAccuracy + 0.08);
    expect(sdm!.deadNeuronFraction).to.be.within(0, 1);
  });

  it('writes JSON, a table and an SVG plot with one line per model', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sdm-split-'));
    try {
      const table = writeSplitOutputs(result, dir);
      expect(table).to.match(/SDMLP \(SGD\)/).and.to.match(/ReLU MLP \(SGD\)/);
      const json = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as SplitFashionMnistResult;
      expect(json.models.map((m) => m.model)).to.deep.equal(['sdmlp', 'relu-sgd']);
      const svg = readFileSync(join(dir, 'accuracy.svg'), 'utf8');
      expect(svg.startsWith('<svg') || svg.startsWith('<?xml')).to.equal(true);
      expect(svg).to.include('SDMLP (SGD)').and.to.include('after T5');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs as the plugin command and as the example script (tiny run) and rejects bad arguments', async () => {
    const engram = await createEngram({ plugins: [sdmPlugin] });
    const cmd = engram.commands().find((c) => c.name === 'split-fmnist');
    expect(cmd, 'split-fmnist command registered').to.not.equal(undefined);
    const dir = mkdtempSync(join(tmpdir(), 'sdm-cmd-'));
    try {
      const io = captureIO(dir);
      const tiny = ['--models', 'sdmlp', '--seeds', '0', '--source', 'subset', '--hidden', '40', '--k', '4', '--epochs', '1', '--train-per-class', '20', '--test-limit', '50'];
      expect(await cmd!.run([...tiny, '--out', 'o1'], io, engram)).to.equal(0);
      expect(io.out.join('')).to.match(/final acc/);
      expect(existsSync(join(dir, 'o1', 'results.json'))).to.equal(true);
      const exampleIO = captureIO(dir);
      expect(await main([...tiny, '--out', join(dir, 'o2')], exampleIO)).to.equal(0);
      expect(exampleIO.out.join('')).to.match(/SDMLP/);
      expect(existsSync(join(dir, 'o2', 'accuracy.svg'))).to.equal(true);
      const bad = captureIO(dir);
      expect(await cmd!.run(['--epochs', 'many'], bad, engram)).to.equal(2);
      expect(bad.err.join('')).to.match(/--epochs/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('parses options and rejects unknown models, flags and learning rates', async () => {
    const { options, out } = parseSplitArgs(['--models', 'sdmlp,topk', '--lr', 'sdmlp=1.5', '--out', 'x'], '/tmp');
    expect(options.models).to.deep.equal(['sdmlp', 'topk']);
    expect(options.learningRates).to.deep.equal({ sdmlp: 1.5 });
    expect(out).to.equal('/tmp/x');
    expect(() => parseSplitArgs(['--lr', 'mlp=1'])).to.throw(EngramError, /--lr/);
    expect(() => parseSplitArgs(['--bogus', '1'])).to.throw(EngramError, /bogus/);
    expect(() => parseSplitArgs(['--source', 'web'])).to.throw(EngramError, /--source/);
    await runSplitFashionMnist({ models: ['mlp' as never] }).then(
      () => expect.fail('should reject'),
      (e: unknown) => expect(e).to.be.instanceOf(EngramError),
    );
    await runSplitFashionMnist({ epochsPerTask: 0 }).then(
      () => expect.fail('should reject'),
      (e: unknown) => expect(String(e)).to.match(/epochsPerTask/),
    );
  });

  it('measures SDMLP training throughput for the bench', async () => {
    const r = await sdmlpTrainingThroughput({ images: 256, config: { hidden: 100, k: 5 } });
    expect(r.images).to.equal(256);
    expect(r.imagesPerSecond).to.be.greaterThan(0);
    expect(r.backend).to.equal('wasm');
    await sdmlpTrainingThroughput({ images: 0 }).then(
      () => expect.fail('should reject'),
      (e: unknown) => expect(e).to.be.instanceOf(EngramError),
    );
  });
});
