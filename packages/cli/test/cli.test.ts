import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@engram/core';
import { loadEngram } from '../src/index.js';
import { cli, tempDir } from './helpers.js';

describe('engram (in-process main)', function () {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('--help lists the built-in and the plugin commands and exits 0', async () => {
    const { code, io } = await cli(['--help']);
    expect(code).to.equal(0);
    for (const c of ['demo', 'run', 'train', 'plugins', 'serve']) expect(io.out).to.match(new RegExp(`^  ${c} `, 'm'));
    expect(io.out).to.contain('Commands from plugins:');
    expect(io.out).to.contain('capacity');
  });

  it('no command prints the help and exits 2; --version prints the version', async () => {
    const none = await cli([]);
    expect(none.code).to.equal(2);
    expect(none.io.out).to.contain('Usage: engram');
    const v = await cli(['--version']);
    expect(v.code).to.equal(0);
    expect(v.io.out.trim()).to.match(/^\d+\.\d+\.\d+/);
  });

  it('an unknown command or option is one line on stderr with exit code 2', async () => {
    const a = await cli(['frobnicate']);
    expect(a.code).to.equal(2);
    expect(a.io.err.trim().split('\n')).to.have.length(1);
    expect(a.io.err).to.contain("unknown command 'frobnicate'");
    const b = await cli(['demo', '--no-such-flag']);
    expect(b.code).to.equal(2);
    expect(b.io.err.trim().split('\n')).to.have.length(1);
    expect(b.io.err).to.match(/^engram demo: error: .*--no-such-flag.*see 'engram demo --help'/);
    const c = await cli(['demo', '--images', 'many']);
    expect(c.code).to.equal(2);
    expect(c.io.err).to.contain("option --images must be an integer");
    const d = await cli(['demo', '--model', 'nope/model']);
    expect(d.code).to.equal(2);
    expect(d.io.err).to.contain("--model must be one of 'core', 'hopfield/modern', 'hopfield/drdam', got 'nope/model'");
  });

  it('every built-in command answers --help with its usage and exit 0', async () => {
    for (const c of ['demo', 'run', 'train', 'plugins', 'serve']) {
      const { code, io } = await cli([c, '--help']);
      expect(code, c).to.equal(0);
      expect(io.out, c).to.contain(`Usage: engram ${c}`);
    }
  });

  it('plugin commands run through engram <name> (here: --help shows the plugin usage)', async () => {
    const { code, io } = await cli(['capacity', '--help']);
    expect(code).to.equal(0);
    expect(io.out.length).to.be.greaterThan(20);
    expect(io.err).to.equal('');
  });

  it('every plugin command: --help is its usage (exit 0), a bad flag one line on stderr (exit 2)', async function () {
    this.timeout(300000);
    const { engram } = await loadEngram();
    const names = engram.ids('command').map((id) => id.slice(id.indexOf('/') + 1));
    expect(names).to.include.members(['capacity', 'split-fmnist', 'et-train', 'diffusion-sweep', 'clam', 'camelot', 'listops']);
    for (const name of names) {
      const help = await cli([name, '--help']);
      expect(help.code, `${name} --help: ${help.io.err}`).to.equal(0);
      expect(help.io.out, name).to.contain(`Usage: engram ${name}`);
      expect(help.io.out, name).to.contain('--backend wasm|cpu|tensorflow');
      const bad = await cli([name, '--no-such-flag']);
      expect(bad.code, `${name} --no-such-flag`).to.equal(2);
      expect(bad.io.err.trim().split('\n'), `${name}: ${bad.io.err}`).to.have.length(1);
      expect(bad.io.err, name).to.contain('--no-such-flag');
      expect(bad.io.out, name).to.equal('');
    }
  });

  it('plugins lists every built-in plugin with version and contributions', async () => {
    const { code, io } = await cli(['plugins']);
    expect(code).to.equal(0);
    expect(io.out).to.match(/^core@0\.1\.0/m);
    expect(io.out).to.match(/^hopfield@\d/m);
    expect(io.out).to.contain('hopfield/modern');
    expect(io.out).to.contain('core/memory');
    const j = await cli(['plugins', '--json']);
    const parsed = JSON.parse(j.io.out) as { name: string; contributes: { model: string[] } }[];
    expect(parsed.map((p) => p.name)).to.include.members(['core', 'hopfield']);
    expect(parsed.find((p) => p.name === 'core')!.contributes.model).to.deep.equal(['core/graph']);
  });

  describe('demo', function () {
    let out: { dir: string; cleanup: () => void };
    before(() => (out = tempDir()));
    after(() => out.cleanup());

    it('streams a non-increasing energy, completes occluded images and writes the report', async () => {
      const before = tf.memory().numTensors;
      const { code, io } = await cli(['demo', '--images', '24', '--source', 'subset', '--out', out.dir]);
      expect(code, io.err).to.equal(0);
      expect(io.out).to.match(/^backend: wasm$/m);
      const energies = [...io.out.matchAll(/^step +\d+ .* energy +(-?[\d.e+-]+)/gm)].map((m) => Number(m[1]));
      expect(energies.length).to.be.greaterThan(5);
      for (let i = 1; i < energies.length; i++) expect(energies[i]!).to.be.at.most(energies[i - 1]! + 1e-3 * Math.abs(energies[i - 1]!));
      const acc = Number(/retrieval accuracy: \d+\/24 = ([\d.]+)%/.exec(io.out)![1]);
      const [, mse, base] = /pixel MSE on the hidden half: ([\d.]+) \(query before completion: ([\d.]+)\)/.exec(io.out)!.map(Number);
      // Completion must beat the uncompleted query by far and find most images.
      expect(acc).to.be.at.least(75);
      expect(mse!).to.be.below(base! / 2);
      for (const f of ['report.html', 'completion.png', 'steps.png', 'energy.svg', 'results.json']) expect(existsSync(join(out.dir, f)), f).to.equal(true);
      expect([...readFileSync(join(out.dir, 'completion.png')).subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).to.equal('PNG');
      const html = readFileSync(join(out.dir, 'report.html'), 'utf8');
      expect(html).to.contain('src="completion.png"').and.to.contain('<svg');
      expect(tf.memory().numTensors).to.equal(before);
    });

    it('--model hopfield/modern (plugin) reaches the same completion as the core-parts memory', async () => {
      const core = await cli(['demo', '--images', '16', '--source', 'subset', '--quiet', '--out', join(out.dir, 'a')]);
      const modern = await cli(['demo', '--model', 'hopfield/modern', '--images', '16', '--source', 'subset', '--quiet', '--out', join(out.dir, 'b')]);
      expect(core.code, core.io.err).to.equal(0);
      expect(modern.code, modern.io.err).to.equal(0);
      const pick = (s: string) => /pixel MSE on the hidden half: ([\d.]+)/.exec(s)![1];
      expect(modern.io.out).to.contain('hopfield/modern plugin model');
      expect(pick(modern.io.out)).to.equal(pick(core.io.out));
    });
  });
});
