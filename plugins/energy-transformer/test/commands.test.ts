import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { createEngram, ErrorCodes, initBackend, parseConfig, type CommandContribution, type CommandIO, type Engram } from '@engram/core';
import dataPlugin from '@engram/data/node';
import et from '../src/node/index.js';
import { errorOf } from './helpers.js';

const exec = promisify(execFile);
const here = fileURLToPath(new URL('.', import.meta.url));

function captureIO(cwd: string): CommandIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), isTTY: false, cwd };
}

describe('et-train and et-graph', () => {
  let engram: Engram;
  let dir: string;
  const command = (name: string): CommandContribution => engram.commands().find((c) => c.name === name)!;
  /** Runs a command as the CLI does: options checked by its schema (defaults filled in), then its body. */
  const run = (name: string, options: object, io: CommandIO): Promise<number> => {
    const c = command(name);
    return c.run({ options: parseConfig(c.options, options, `engram ${name}`, 'options') as never, positionals: [] }, io, engram);
  };

  before(async () => {
    await initBackend({ backend: 'wasm' });
    engram = await createEngram({ plugins: [dataPlugin, et] });
    dir = await mkdtemp(join(tmpdir(), 'et-commands-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('declare every option with a description, and reject a bad option with a coded error naming it', () => {
    for (const name of ['et-train', 'et-graph']) {
      const c = command(name);
      expect(c.description).to.be.a('string').and.not.empty;
      for (const [key, schema] of Object.entries(c.options.shape)) expect((schema as { description?: string }).description, `${name} --${key}`).to.be.a('string');
    }
    const typo = errorOf(() => parseConfig(command('et-train').options, { epochz: 2 }, 'engram et-train', 'options'));
    expect(typo.code).to.equal(ErrorCodes.INVALID_CONFIG);
    expect(typo.message).to.match(/epochz/).and.match(/did you mean 'epochs'/);
    expect(errorOf(() => parseConfig(command('et-graph').options, { nodes: 5 }, 'engram et-graph', 'options')).message).to.match(/'nodes'/);
  });

  it('et-train trains, checkpoints, resumes with the Adam state and writes PNGs (reduced scale)', async () => {
    const small = { source: 'subset', train: 32, test: 16, batchSize: 16, size: 8, heads: 2, memories: 16, maxSteps: 2, transformer: false };
    const io = captureIO(dir);
    expect(await run('et-train', { ...small, out: 'run', epochs: 1, transformer: true }, io), io.err.join('')).to.equal(0);
    expect(io.out.join('')).to.match(/energy transformer\s+\d\.\d+/).and.match(/mean training patch\s+\d\.\d+/).and.match(/transformer encoder\s+\d\.\d+/).and.match(/backend wasm/);
    expect(io.err.join('')).to.match(/\[#+\] 2\/2 loss/);
    const spec = JSON.parse(await readFile(join(dir, 'run', 'checkpoint', 'et.json'), 'utf8')) as { kind: string; weights: { file: string; entries: { name: string; shape: number[] }[] } };
    const state = JSON.parse(await readFile(join(dir, 'run', 'checkpoint', 'et.optimizer.json'), 'utf8')) as { weights: { file: string } };
    for (const f of ['completions.png', 'completion-steps.png', 'results.json', 'checkpoint/et.json', `checkpoint/${spec.weights.file}`, 'checkpoint/et.optimizer.json', `checkpoint/${state.weights.file}`]) {
      expect((await stat(join(dir, 'run', f))).size, f).to.be.greaterThan(0);
    }
    expect(spec.kind).to.equal('energy-transformer/image');
    expect(spec.weights.entries.find((e) => e.name === 'block/hopfield/patterns')!.shape).to.deep.equal([16, 8]);
    const io2 = captureIO(dir);
    expect(await run('et-train', { ...small, out: 'run', epochs: 2, resume: 'run/checkpoint/et.json' }, io2), io2.err.join('')).to.equal(0);
    expect(io2.err.join('')).to.match(/et epoch 2\/2/).and.match(/resumed the Adam state of .*et\.json \(step 2\)/).and.not.match(/et epoch 1\/2/);
    // ... and ends where an uninterrupted two-epoch run ends.
    const io3 = captureIO(dir);
    expect(await run('et-train', { ...small, out: 'straight', epochs: 2 }, io3), io3.err.join('')).to.equal(0);
    const mse = async (d: string): Promise<number> => (JSON.parse(await readFile(join(dir, d, 'results.json'), 'utf8')) as { etMse: number }).etMse;
    expect(Math.abs((await mse('run')) - (await mse('straight')))).to.be.at.most(1e-6);
  });

  it('et-graph prints the ROC-AUCs and writes results.json (reduced scale)', async () => {
    const io = captureIO(dir);
    const code = await run('et-graph', { out: 'graph', nodes: 60, cliques: 1, cliqueSize: 5, contextual: 5, maxSteps: 2, size: 8, heads: 2, memories: 16, epochs: 3, encodingSize: 3 }, io);
    expect(code, io.err.join('')).to.equal(0);
    expect(io.out.join('')).to.match(/energy transformer\s+0\.\d+/).and.match(/feature-only MLP\s+0\.\d+/).and.match(/degree\/feature heuristic\s+0\.\d+/).and.match(/backend wasm/);
    const r = JSON.parse(await readFile(join(dir, 'graph', 'results.json'), 'utf8')) as { etAuc: number; nodes: number };
    expect(r.nodes).to.equal(60);
    expect(r.etAuc).to.be.within(0, 1);
  });

  it('examples/run-command.ts runs a command from JSON options', async () => {
    const script = join(here, '..', 'examples', 'run-command.ts');
    const node = (args: string[]) => exec(process.execPath, ['--conditions=engram-source', '--import=tsx', script, ...args], { cwd: join(here, '..'), timeout: 60000 });
    const { stdout } = await node(['et-graph', JSON.stringify({ out: join(dir, 'ex'), nodes: 40, maxSteps: 1, size: 8, heads: 2, memories: 8, epochs: 1, encodingSize: 2 })]);
    expect(stdout).to.match(/energy transformer\s+0\.\d+/);
  });
});
