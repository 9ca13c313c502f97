import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'chai';

const run = promisify(execFile);
const here = fileURLToPath(new URL('.', import.meta.url));
const examples = join(here, '..', 'examples');

async function runExample(file: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, ['--conditions=engram-source', '--import=tsx', join(examples, file), ...args], { cwd: join(here, '..'), timeout: 60000 });
}

describe('et examples (reduced scale)', () => {
  it('graph-anomaly.ts prints the three ROC-AUCs and writes results.json', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'et-graph-'));
    try {
      const { stdout } = await runExample('graph-anomaly.ts', ['--nodes', '60', '--cliques', '1', '--clique-size', '5', '--contextual', '5', '--steps', '2', '--dim', '8', '--heads', '2', '--memories', '16', '--train-steps', '3', '--pe-dim', '3', '--out', dir]);
      expect(stdout).to.match(/energy transformer\s+0\.\d+/).and.match(/feature-only MLP\s+0\.\d+/).and.match(/degree\/feature heuristic\s+0\.\d+/);
      const r = JSON.parse(await readFile(join(dir, 'results.json'), 'utf8')) as { etAuc: number; nodes: number };
      expect(r.nodes).to.equal(60);
      expect(r.etAuc).to.be.within(0, 1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('train-image.ts trains on the committed subset and writes PNGs', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'et-image-'));
    try {
      const { stdout } = await runExample('train-image.ts', ['--source', 'subset', '--train', '32', '--test', '16', '--batch', '16', '--dim', '8', '--heads', '2', '--memories', '16', '--steps', '2', '--no-transformer', '--out', dir]);
      expect(stdout).to.match(/energy transformer\s+\d\.\d+/);
      expect((await stat(join(dir, 'completions.png'))).size).to.be.greaterThan(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
