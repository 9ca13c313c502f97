import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { ErrorCodes, createEngram, initBackend, parseConfig, toJsonSchema, type CommandIO } from '@engram/core';
import sequencePlugin, { capacityOptionsSchema, doubleFactorialOdd, measureSequenceCapacity, theorySequenceCapacity, theoryTransitionCapacity } from '../src/node/index.js';
import { benchSequenceTransition } from '../src/bench.js';
import { expectCode, expectRejectCode } from './helpers.js';

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
    const r = await measureSequenceCapacity({ size: 40, separation: { kind: 'power', n: 2 }, sequences: 20, seed: 1, onTry: (p) => tried.push(p) });
    expect(r.tried).to.deep.equal(tried);
    expect(tried[0]).to.equal(Math.round(2 * theorySequenceCapacity(40, 2)));
    for (let i = 1; i < tried.length; i++) expect(tried[i]).to.equal(Math.max(1, Math.min(tried[i - 1]! - 1, Math.floor(0.99 * tried[i - 1]!))));
    expect(r.capacity).to.equal(tried.at(-1));
    // Within a factor of 2 of the theory at this small N.
    expect(r.capacity / r.theory).to.be.within(0.5, 2);
    await expectRejectCode(measureSequenceCapacity({ size: 2, separation: { kind: 'power' } }), ErrorCodes.INVALID_ARGUMENT, /size/);
    await expectRejectCode(measureSequenceCapacity({ size: 20, separation: { kind: 'exp', beta: 3 } }), ErrorCodes.INVALID_ARGUMENT, /startP/);
  });

  it('the options schema: defaults, comma lists as a command line gives them, coded errors naming the flag key', () => {
    const d = parseConfig(capacityOptionsSchema, {}, 'sequence/capacity', 'options');
    expect(d).to.deep.include({ sizes: [10, 20, 30, 40, 50, 60, 70, 80, 90, 100], degrees: [1, 2, 3], sequences: 100, trials: 1, startFactor: 2, seed: 0, out: 'engram-out/capacity' });
    expect(parseConfig(capacityOptionsSchema, { sizes: '10, 20,30', degrees: [2] }, 'sequence/capacity', 'options')).to.deep.include({ sizes: [10, 20, 30], degrees: [2] });
    expectCode(() => parseConfig(capacityOptionsSchema, { sizes: '10,x' }, 'sequence/capacity', 'options'), ErrorCodes.INVALID_CONFIG, /sizes/);
    expectCode(() => parseConfig(capacityOptionsSchema, { sizes: '2,10' }, 'sequence/capacity', 'options'), ErrorCodes.INVALID_CONFIG, /sizes/);
    expectCode(() => parseConfig(capacityOptionsSchema, { ns: '10' }, 'sequence/capacity', 'options'), ErrorCodes.INVALID_CONFIG, /unknown key 'ns'/);
    expectCode(() => parseConfig(capacityOptionsSchema, { startFactr: 2 }, 'sequence/capacity', 'options'), ErrorCodes.INVALID_CONFIG, /did you mean 'startFactor'/);
    expectCode(() => parseConfig(capacityOptionsSchema, { trials: 0 }, 'sequence/capacity', 'options'), ErrorCodes.INVALID_CONFIG, /trials/);
    // every option is described (the CLI prints --help from it)
    const props = toJsonSchema(capacityOptionsSchema)['properties'] as Record<string, { description?: string }>;
    for (const [k, v] of Object.entries(props)) expect(v.description, k).to.be.a('string');
  });

  it('`capacity` command (reduced grid) reports the backend, writes JSON, the capacity plot and the overlap heatmap', async () => {
    const engram = await createEngram({ plugins: [sequencePlugin] });
    const cmd = engram.commands().find((c) => c.id === 'sequence/capacity')!;
    expect(cmd.name).to.equal('capacity');
    const io = captureIO(dir);
    const options = parseConfig(cmd.options, { sizes: '10,20', degrees: '1,2', sequences: 10, out: 'cap' }, 'sequence/capacity', 'options');
    const before = tf.memory().numTensors;
    const code = await cmd.run({ options, positionals: [] } as never, io, engram);
    expect(code, io.err.join('')).to.equal(0);
    expect(tf.memory().numTensors).to.equal(before);
    expect(io.out.join('')).to.match(/^backend: wasm/);
    const json = JSON.parse(readFileSync(join(dir, 'cap', 'capacity.json'), 'utf8'));
    expect(json.points).to.have.length(4);
    for (const p of json.points) {
      expect(p.measured[0]).to.be.a('number').and.to.be.at.least(1);
      expect(p.theory).to.be.closeTo(theorySequenceCapacity(p.size, p.degree), 1e-9);
    }
    const svg = readFileSync(join(dir, 'cap', 'capacity.svg'), 'utf8');
    expect(svg).to.match(/^<svg|^<\?xml/);
    expect(svg).to.contain('theory d=2');
    expect(readFileSync(join(dir, 'cap', 'overlaps.svg'), 'utf8')).to.contain('<svg');
    expect(io.out.join('')).to.match(/ratio/);
  });

  it('examples/capacity.ts runs in a reduced configuration', async () => {
    const out = join(dir, 'example');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--conditions=engram-source', '--import', 'tsx', join(here, '..', 'examples', 'capacity.ts'), JSON.stringify({ sizes: [10], degrees: [1], sequences: 5, out })],
      { cwd: join(here, '..') },
    );
    expect(stdout).to.match(/d=1 N=10/);
    expect(existsSync(join(out, 'capacity.svg'))).to.equal(true);
  });

  it('bench case sequence-transition (@engram/sequence/bench) runs (small N here) and recalls', async () => {
    const before = tf.memory().numTensors;
    const r = await benchSequenceTransition({ size: 200, length: 100, steps: 10, warmup: 1 });
    expect(r.name).to.equal('sequence-transition');
    expect(r.recalled).to.equal(true);
    expect(r.msPerStep).to.be.greaterThan(0);
    expect(tf.memory().numTensors).to.equal(before);
  });
});
