/**
 * End-to-end: the built `engram` binary (packages/cli/dist/bin.js, made by
 * `npm run build`), run as a user would, in child processes.
 */
import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'packages', 'cli', 'dist', 'bin.js');

describe('the built engram binary', function () {
  let tmp: string;
  before(function () {
    if (!existsSync(bin)) throw new Error(`${bin} is missing: run 'npm run build' first (npm test does)`);
    tmp = mkdtempSync(join(tmpdir(), 'engram-e2e-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('starts with a node shebang', () => {
    expect(readFileSync(bin, 'utf8').split('\n')[0]).to.equal('#!/usr/bin/env node');
  });

  it('engram demo streams energies, prints the backend and scores, writes the report', () => {
    const r = spawnSync(process.execPath, [bin, 'demo', '--images', '16', '--source', 'subset', '--out', join(tmp, 'out')], { encoding: 'utf8', timeout: 110000 });
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^backend: (wasm|cpu)$/m);
    expect(r.stdout).to.match(/^step +0 .* energy/m);
    expect(r.stdout).to.match(/^retrieval accuracy: \d+\/16 = [\d.]+%$/m);
    expect(existsSync(join(tmp, 'out', 'report.html'))).to.equal(true);
    expect(existsSync(join(tmp, 'out', 'completion.png'))).to.equal(true);
  });

  it('a bad spec is one line on stderr and exit code 1; a bad option exit code 2', () => {
    const r = spawnSync(process.execPath, [bin, 'run', join(tmp, 'missing.json')], { encoding: 'utf8' });
    expect(r.status).to.equal(1);
    expect(r.stderr.trim().split('\n')).to.have.length(1);
    expect(r.stderr).to.contain('missing.json');
    const u = spawnSync(process.execPath, [bin, 'plugins', '--bogus'], { encoding: 'utf8' });
    expect(u.status).to.equal(2);
    expect(u.stderr.trim().split('\n')).to.have.length(1);
  });

  it('loads a third-party plugin package by name (--plugin or $ENGRAM_PLUGINS)', () => {
    const r = spawnSync(process.execPath, [bin, '--plugin', 'engram-plugin-softsign', 'plugins'], { encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^softsign@0\.1\.0/m);
    expect(r.stdout).to.contain('softsign/cosine-memory');
    const e = spawnSync(process.execPath, [bin, 'plugins'], { encoding: 'utf8', env: { ...process.env, ENGRAM_PLUGINS: 'engram-plugin-softsign' } });
    expect(e.stdout).to.match(/^softsign@0\.1\.0/m);
  });

  it('engram serve listens on loopback, serves the page and stops on SIGINT', async () => {
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 60000);
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /engram playground on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
        child.on('exit', () => reject(new Error(`serve exited early: ${out}`)));
      });
      const html = await (await fetch(url)).text();
      expect(html).to.contain('<title>engram playground</title>');
      expect(html).to.match(/window\.ENGRAM_SERVER = \{"token":"[0-9a-f]{32}"\}/);
      const code = await new Promise<number | null>((resolve) => {
        child.removeAllListeners('exit');
        child.on('exit', (c) => resolve(c));
        child.kill('SIGINT');
      });
      expect(code).to.equal(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
