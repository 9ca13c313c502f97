import { expect } from 'chai';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { EnergyModel, biasSynapse, createEngram, initBackend, lagrangians, memorySynapse } from '@engram/core';
import { saveModel } from '@engram/core/node';
import { loadEngram } from '../src/index.js';
import { cli, tempDir } from './helpers.js';

/** A small core graph: one layer of `dim` units with a memory synapse and a bias. */
function smallGraph(dim: number, memories = 6): EnergyModel {
  return new EnergyModel()
    .addLayer('v', { shape: [dim], lagrangian: lagrangians.identity() })
    .addSynapse('mem', memorySynapse({ memories, size: dim, beta: 2, seed: 3 }), ['v'])
    .addSynapse('b', biasSynapse({ size: dim }), ['v']);
}

describe('engram run / train', function () {
  let tmp: { dir: string; cleanup: () => void };
  let spec: string;
  let imageSpec: string;

  before(async () => {
    await initBackend({ backend: 'wasm' });
    tmp = tempDir();
    const engram = await createEngram();
    const m = smallGraph(10);
    spec = (await saveModel(m, join(tmp.dir, 'small'), { engram })).spec;
    m.dispose();
    const img = smallGraph(784, 8);
    imageSpec = (await saveModel(img, join(tmp.dir, 'image'), { engram })).spec;
    img.dispose();
  });
  after(() => tmp.cleanup());

  it('run streams JSON lines with a non-increasing energy from generated input', async () => {
    const before = tf.memory().numTensors;
    const { code, io } = await cli(['run', spec, '--steps', '8', '--json', '--batch', '3']);
    expect(code, io.err).to.equal(0);
    const lines = io.out.trim().split('\n').map((l) => JSON.parse(l) as { step: number; energy: number; done: boolean });
    expect(lines.map((l) => l.step)).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    for (let i = 1; i < lines.length; i++) expect(lines[i]!.energy).to.be.at.most(lines[i - 1]!.energy + 1e-4);
    expect(lines.at(-1)!.done).to.equal(true);
    expect(tf.memory().numTensors).to.equal(before);
  });

  it('run prints every k-th step as text, and accepts --input as a JSON array', async () => {
    const input = join(tmp.dir, 'x.json');
    writeFileSync(input, JSON.stringify([[1, 0, 0, 0, 0, 0, 0, 0, 0, 1], [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]]));
    const { code, io } = await cli(['run', spec, '--steps', '6', '--every', '3', '--input', input]);
    expect(code, io.err).to.equal(0);
    expect(io.out).to.match(/^running core\/graph from /);
    const steps = [...io.out.matchAll(/^step +(\d+)/gm)].map((m) => Number(m[1]));
    expect(steps).to.deep.equal([0, 3, 6]);
    // A relative --input resolves against the IO's cwd.
    const rel = await cli(['run', 'small.json', '--steps', '1', '--input', 'x.json'], { cwd: tmp.dir });
    expect(rel.code, rel.io.err).to.equal(0);
  });

  it('run: a missing spec, malformed JSON, unknown model id, mismatched weights and bad input are one-line errors', async () => {
    const one = (err: string) => expect(err.trim().split('\n'), err).to.have.length(1);
    const missing = await cli(['run', join(tmp.dir, 'nope.json')]);
    expect(missing.code).to.equal(1);
    one(missing.io.err);
    expect(missing.io.err).to.contain('nope.json').and.to.contain('cannot read the model spec');

    const bad = join(tmp.dir, 'bad.json');
    writeFileSync(bad, '{ "format": "engram-model", ');
    const malformed = await cli(['run', bad]);
    expect(malformed.code).to.equal(1);
    one(malformed.io.err);
    expect(malformed.io.err).to.contain('bad.json').and.to.contain('not valid JSON');

    const unknown = JSON.parse(readFileSync(spec, 'utf8')) as Record<string, unknown>;
    unknown['kind'] = 'nosuch/model';
    const unknownPath = join(tmp.dir, 'small-unknown.json');
    writeFileSync(unknownPath, JSON.stringify(unknown));
    // The weights file name in the spec still points at small.weights.bin.
    const u = await cli(['run', unknownPath]);
    expect(u.code).to.equal(1);
    one(u.io.err);
    expect(u.io.err).to.contain("model kind 'nosuch/model'").and.to.contain('not loaded');

    const mism = JSON.parse(readFileSync(imageSpec, 'utf8')) as { weights: { file: string } };
    mism.weights.file = (JSON.parse(readFileSync(spec, 'utf8')) as { weights: { file: string } }).weights.file;
    const mismPath = join(tmp.dir, 'mismatch.json');
    writeFileSync(mismPath, JSON.stringify(mism));
    const w = await cli(['run', mismPath]);
    expect(w.code).to.equal(1);
    one(w.io.err);
    expect(w.io.err).to.contain('mismatch.json').and.to.match(/weights file has \d+ bytes but the spec expects/);

    const noArg = await cli(['run']);
    expect(noArg.code).to.equal(2);
    expect(noArg.io.err).to.contain('missing <spec.json>');

    const badInput = join(tmp.dir, 'in.json');
    writeFileSync(badInput, '[[1, 2], [3');
    const bi = await cli(['run', spec, '--input', badInput]);
    expect(bi.code).to.equal(1);
    one(bi.io.err);
    expect(bi.io.err).to.contain('in.json').and.to.contain('not valid JSON');

    const wrongShape = join(tmp.dir, 'shape.json');
    writeFileSync(wrongShape, JSON.stringify([[1, 2, 3]]));
    const ws = await cli(['run', spec, '--input', wrongShape]);
    expect(ws.code).to.equal(1);
    one(ws.io.err);
    expect(ws.io.err).to.contain('SHAPE');
  });

  it('run streams a single-state plugin model (hopfield/modern) from a JSON array or generated noise', async () => {
    const { engram } = await loadEngram(['@engram/hopfield']);
    const net = await engram.createModel('hopfield/modern', { size: 6, beta: 4 });
    net.store([
      [1, -1, 1, -1, 1, -1],
      [1, 1, 1, -1, -1, -1],
    ]);
    const saved = await saveModel(net, join(tmp.dir, 'modern'), { engram });
    net.dispose();
    const input = join(tmp.dir, 'cue.json');
    writeFileSync(input, JSON.stringify([0.9, -1, 0.8, -1, 1, -0.7]));
    const { code, io } = await cli(['run', saved.spec, '--steps', '3', '--json', '--input', input]);
    expect(code, io.err).to.equal(0);
    const lines = io.out.trim().split('\n').map((l) => JSON.parse(l) as { step: number; energy: number });
    expect(lines.map((l) => l.step)).to.deep.equal([0, 1, 2, 3]);
    expect(lines[3]!.energy).to.be.below(lines[0]!.energy);
    const gen = await cli(['run', saved.spec, '--steps', '2', '--batch', '2']);
    expect(gen.code, gen.io.err).to.equal(0);
    expect(gen.io.out).to.match(/^running hopfield\/modern/);
  });

  it('--verbose adds the stack trace', async () => {
    const { code, io } = await cli(['run', join(tmp.dir, 'nope.json'), '--verbose']);
    expect(code).to.equal(1);
    expect(io.err.split('\n').length).to.be.greaterThan(3);
    expect(io.err).to.contain('    at ');
  });

  it('train: completion training of a core graph lowers the loss, prints plain progress lines and saves the model', async () => {
    const save = join(tmp.dir, 'trained', 'm.json');
    const before = tf.memory().numTensors;
    const { code, io } = await cli(['train', imageSpec, '--epochs', '2', '--limit', '48', '--batch-size', '16', '--set', 'steps=2', '--lr', '0.05', '--save', save]);
    expect(code, io.err).to.equal(0);
    expect(io.out).not.to.contain('\r');
    const epochs = [...io.out.matchAll(/^epoch (\d)\/2  mean loss ([\d.]+)/gm)].map((m) => Number(m[2]));
    expect(epochs).to.have.length(2);
    expect(epochs[1]!).to.be.below(epochs[0]!);
    expect(io.out).to.match(/^epoch 1\/2 batch 1\/3  loss [\d.]+  ETA /m);
    expect(existsSync(save)).to.equal(true);
    const trainedSpec = JSON.parse(readFileSync(save, 'utf8')) as { weights: { file: string } };
    expect(existsSync(join(tmp.dir, 'trained', trainedSpec.weights.file))).to.equal(true);
    expect(tf.memory().numTensors).to.equal(before);
    // The trained model loads and runs.
    const r = await cli(['run', save, '--steps', '2']);
    expect(r.code, r.io.err).to.equal(0);
  });

  it('train draws a bar in place on a terminal', async () => {
    const { code, io } = await cli(['train', imageSpec, '--limit', '32', '--batch-size', '16', '--set', 'steps=1', '--save', join(tmp.dir, 't2.json')], { isTTY: true });
    expect(code, io.err).to.equal(0);
    expect(io.out).to.contain('\r\x1b[2K');
    expect(io.out).to.match(/batch 2\/2 \[#+\] loss/);
  });

  it('train: a core graph of any size trains on generated data (its default for a non-image first layer)', async () => {
    const { code, io } = await cli(['train', spec, '--limit', '16', '--batch-size', '8', '--save', join(tmp.dir, 'small-trained.json')]);
    expect(code, io.err).to.equal(0);
    expect(io.out).to.match(/final loss \d/);
  });

  it('train: a bad setting is one line naming it, and a kind that does not train says so', async () => {
    const bad = await cli(['train', spec, '--set', 'stpes=3', '--save', join(tmp.dir, 'never.json')]);
    expect(bad.code, 'a wrong command line').to.equal(2);
    expect(bad.io.err.trim().split('\n')).to.have.length(1);
    expect(bad.io.err).to.contain("unknown key 'stpes'").and.to.contain("did you mean 'steps'?");
    expect(existsSync(join(tmp.dir, 'never.json'))).to.equal(false);
    const help = await cli(['train', spec, '--help']);
    expect(help.code).to.equal(0);
    expect(help.io.out).to.contain('Training settings of core/graph').and.to.contain('steps=integer');
  });

  it('run: the model\'s own run options go through --set and are validated by its run schema', async () => {
    const bad = await cli(['run', spec, '--set', 'maxStep=3']);
    expect(bad.code, 'a wrong command line').to.equal(2);
    expect(bad.io.err).to.contain("--set: unknown key 'maxStep'; did you mean 'maxSteps'?");
    expect(bad.io.out, 'nothing printed before the error').to.equal('');
    const malformed = await cli(['run', spec, '--set', 'oops']);
    expect(malformed.code).to.equal(2);
    expect(malformed.io.err).to.contain('--set needs key=value');
  });
});
