import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { createEngram, initBackend, type CommandIO } from '@engram/core';
import sequencePlugin, { benchSequenceTransition, doubleFactorialOdd, measureSequenceCapacity, theorySequenceCapacity, theoryTransitionCapacity } from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));

function captureIO(cwd: string): CommandIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), isTTY: false, cwd };
}

describe('capacity theory, protocol, command and example', function () {
  this.timeout(60000);
  let dir = '';
  before(async () => {
    await initBackend({ backend: 'wasm' });
    dir = mkdtempSync(join(tmpdir(), 'engram-seq-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('theory: (2d-1)!! and P_S = N^d / (2 (d+1) (2d-1)!! ln N), P_T = (d+1) P_S', () => {
    expect([1, 2, 3, 4].map(doubleFactorialOdd)).to.deep.equal([1, 3, 15, 105]);
    expect(theorySequenceCapacity(100, 1)).to.be.closeTo(100 / (4 * Math.log(100)), 1e-12);
    expect(theorySequenceCapacity(100, 2)).to.be.closeTo(1e4 / (18 * Math.log(100)), 1e-9);
    expect(theoryTransitionCapacity(50, 3)).to.be.closeTo(4 * theorySequenceCapacity(50, 3), 1e-9);
  });

  it('the protocol lowers P by 1% (at least 1) from 2x theory until all sequences succeed', async () => {
    const tried: number[] = [];
    const r = await measureSequenceCapacity({ neurons: 40, separation: { kind: 'polynomial', degree: 2 }, sequences: 20, seed: 1, onTry: (p) => tried.push(p) });
    expect(r.tried).to.deep.equal(tried);
    expect(tried[0]).to.equal(Math.round(2 * theorySequenceCapacity(40, 2)));
    for (let i = 1; i < tried.length; i++) expect(tried[i]).to.equal(Math.max(1, Math.min(tried[i - 1]! - 1, Math.floor(0.99 * tried[i - 1]!))));
    expect(r.capacity).to.equal(tried.at(-1));
    // Within a factor of 2 of the theory at this small N.
    expect(r.capacity / r.theory).to.be.within(0.5, 2);
  });

  it('`capacity` command (reduced grid) writes JSON, the capacity plot and the overlap heatmap', async () => {
    const engram = await createEngram({ plugins: [sequencePlugin] });
    const cmd = engram.find('command', 'sequence/capacity') as unknown as { run: (a: string[], io: CommandIO, e: unknown) => Promise<number> };
    const io = captureIO(dir);
    const code = await cmd.run(['--ns', '10,20', '--degrees', '1,2', '--sequences', '10', '--out', 'cap'], io, engram);
    expect(code, io.err.join('')).to.equal(0);
    const json = JSON.parse(readFileSync(join(dir, 'cap', 'capacity.json'), 'utf8'));
    expect(json.points).to.have.length(4);
    for (const p of json.points) {
      expect(p.measured[0]).to.be.a('number').and.to.be.at.least(1);
      expect(p.theory).to.be.closeTo(theorySequenceCapacity(p.neurons, p.degree), 1e-9);
    }
    const svg = readFileSync(join(dir, 'cap', 'capacity.svg'), 'utf8');
    expect(svg).to.match(/^<svg|^<\?xml/);
    expect(svg).to.contain('theory d=2');
    expect(readFileSync(join(dir, 'cap', 'overlaps.svg'), 'utf8')).to.contain('<svg');
    expect(io.out.join('')).to.match(/ratio/);
    const bad = captureIO(dir);
    expect(await cmd.run(['--ns', '10,x'], bad, engram)).to.equal(2);
    expect(bad.err.join('')).to.match(/--ns/);
    const help = captureIO(dir);
    expect(await cmd.run(['--help'], help, engram)).to.equal(0);
    expect(help.out.join('')).to.match(/engram capacity/);
  });

  it('examples/capacity.ts runs in a reduced configuration', async () => {
    const out = join(dir, 'example');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--conditions=engram-source', '--import', 'tsx', join(here, '..', 'examples', 'capacity.ts'), '--ns', '10', '--degrees', '1', '--sequences', '5', '--out', out],
      { cwd: join(here, '..') },
    );
    expect(stdout).to.match(/d=1 N=10/);
    expect(existsSync(join(out, 'capacity.svg'))).to.equal(true);
  });

  it('bench case sequence-transition runs (small N here) and recalls', async () => {
    const before = tf.memory().numTensors;
    const r = await benchSequenceTransition({ neurons: 200, length: 100, steps: 10, warmup: 1 });
    expect(r.name).to.equal('sequence-transition');
    expect(r.recalled).to.equal(true);
    expect(r.msPerStep).to.be.greaterThan(0);
    expect(tf.memory().numTensors).to.equal(before);
  });
});
