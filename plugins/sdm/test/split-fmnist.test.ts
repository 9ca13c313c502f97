import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { ErrorCodes, type CommandIO, createEngram, initBackend, parseConfig } from '@engram/core';
import sdmPlugin, { type SplitFashionMnistResult, runSplitFashionMnist, splitCommandOptions, writeSplitOutputs } from '../src/node/index.js';
import { sdmlpTrainingThroughput } from '@engram/sdm/bench';
import { main } from '../examples/split-fmnist.js';
import { codeOf, rejectionOf } from './helpers.js';

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
    result = await runSplitFashionMnist({ models: ['sdmlp', 'relu-sgd'], seeds: [0], source: 'subset', hiddenSize: 300, k: 5, epochsPerTask: 3, batchSize: 16 });
    expect(tf.memory().numTensors).to.equal(start);
  });

  it("the SDMLP's final 10-way accuracy is clearly above the ReLU MLP's, which keeps only the last task", () => {
    const [sdm, relu] = result.models;
    expect(result.source).to.equal('subset');
    expect(sdm!.accuracyAfterTask).to.have.length(5);
    expect(sdm!.accuracyAfterTask[0]).to.be.within(0.15, 0.2 + 1e-9); // after the first task a model knows at most 2 of 10 classes
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
      expect(svg).to.include('SDMLP (SGD)').and.to.include('after T5');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs as the plugin command and as the example script (tiny run); options are checked by the schema', async () => {
    const engram = await createEngram({ plugins: [sdmPlugin] });
    const cmd = engram.get('command', 'sdm/split-fmnist');
    for (const [key, schema] of Object.entries(cmd.options.shape)) expect((schema as { description?: string }).description, `--${key}`).to.be.a('string');
    const dir = mkdtempSync(join(tmpdir(), 'sdm-cmd-'));
    try {
      const io = captureIO(dir);
      // As the CLI hands them over: list flags as comma-separated strings.
      const tiny = { models: 'sdmlp', seeds: '0', source: 'subset', hiddenSize: 40, k: 4, epochsPerTask: 1, trainPerClass: 20, testLimit: 50 };
      expect(await cmd.run({ options: parseConfig(cmd.options, { ...tiny, out: 'o1' }, 'split-fmnist') as never, positionals: [] }, io, engram)).to.equal(0);
      expect(io.out.join('')).to.match(/on the wasm backend/).and.to.match(/final acc/);
      expect(existsSync(join(dir, 'o1', 'results.json'))).to.equal(true);
      const exampleIO = captureIO(dir);
      expect(await main({ ...tiny, models: ['sdmlp'], seeds: [0], out: join(dir, 'o2') }, exampleIO)).to.equal(0);
      expect(exampleIO.out.join('')).to.match(/SDMLP/);
      expect(existsSync(join(dir, 'o2', 'accuracy.svg'))).to.equal(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects unknown models, keys and learning rates with coded errors', async () => {
    const parse = (o: object) => parseConfig(splitCommandOptions, o, 'split-fmnist');
    expect(parse({ models: 'sdmlp,topk', lr: 'sdmlp=1.5' })).to.deep.include({ models: ['sdmlp', 'topk'], lr: { sdmlp: 1.5 } });
    expect(codeOf(() => parse({ lr: 'mlp=1' }))).to.equal(ErrorCodes.INVALID_CONFIG);
    expect(codeOf(() => parse({ lr: 'sdmlp=fast' }))).to.equal(ErrorCodes.INVALID_CONFIG);
    expect(codeOf(() => parse({ bogus: 1 }))).to.equal(ErrorCodes.INVALID_CONFIG);
    expect(codeOf(() => parse({ source: 'web' }))).to.equal(ErrorCodes.INVALID_CONFIG);
    expect(codeOf(() => parse({ epochs: 2 }))).to.equal(ErrorCodes.INVALID_CONFIG);
    expect((await rejectionOf(runSplitFashionMnist({ models: ['mlp' as never] }))).code).to.equal(ErrorCodes.INVALID_CONFIG);
    expect((await rejectionOf(runSplitFashionMnist({ epochsPerTask: 0 }))).message).to.match(/epochsPerTask/);
  });

  it("measures SDMLP training throughput for the bench (from '@engram/sdm/bench')", async () => {
    const r = await sdmlpTrainingThroughput({ images: 256, config: { hiddenSize: 100, k: 5 } });
    expect(r.images).to.equal(256);
    expect(r.imagesPerSecond).to.be.greaterThan(0);
    expect(r.backend).to.equal('wasm');
    expect((await rejectionOf(sdmlpTrainingThroughput({ images: 0 }))).code).to.equal(ErrorCodes.INVALID_CONFIG);
  });
});
