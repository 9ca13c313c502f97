import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The native path as a process sees it, in child processes (fresh heap, own
 * environment): the heap grows inside a product and the result is still
 * right; the process exits by itself once the work is done (a pool that
 * outlives main must not hang it); a missing library or addon is reported in
 * ONE line (with the fix) however often initBackend runs, and the results are
 * the same on the fallback; $ENGRAM_NATIVE=0 is silent; $ENGRAM_NATIVE_ISA
 * picks the vector kernels' instruction set, and one the CPU lacks is said once.
 */
/** The child: two initBackend calls, one product that grows the heap, a host check; prints RESULT {...}. */
const CHILD = resolve(import.meta.dirname, 'fixtures', 'native-child.ts');

interface Child {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  result?: { native: boolean; off: string | null; isa: string | null; grew: boolean; worst: number };
}

function run(file: string, env: Record<string, string>): Promise<Child> {
  return new Promise((done) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, ['--import=tsx', file], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
      done({ code, stdout, stderr, ms: Date.now() - t0, ...(line ? { result: JSON.parse(line.slice(7)) } : {}) });
    });
  });
}

const offLines = (s: string): string[] => s.split('\n').filter((l) => l.includes('native BLAS off'));

describe('native path in a process: heap growth, exit, fallback messages', function () {
  this.timeout(120_000);
  let dir: string;
  let children: Record<string, Child>;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'engram-native-'));
    const file = CHILD;
    const envs: Record<string, Record<string, string>> = {
      default: {},
      noLibrary: { ENGRAM_OPENBLAS: join(dir, 'no-such-libopenblas.so') },
      noAddon: { ENGRAM_NATIVE_ADDON: join(dir, 'no-such-addon.node') },
      off: { ENGRAM_NATIVE: '0' },
      isaBaseline: { ENGRAM_NATIVE_ISA: 'baseline' },
      isaUnknown: { ENGRAM_NATIVE_ISA: 'sse9' },
    };
    const names = Object.keys(envs);
    const runs = await Promise.all(names.map((n) => run(file, envs[n]!)));
    children = Object.fromEntries(names.map((n, i) => [n, runs[i]!]));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('exits by itself after native work (no hang at exit) with right results, the heap grown inside the product', () => {
    const c = children['default']!;
    expect(c.code, c.stderr).to.equal(0);
    expect(c.result?.grew, 'the 32 MiB output grew the heap').to.equal(true);
    expect(c.result?.worst, 'max |error| against the host').to.be.lessThan(1e-3);
    if (c.result?.native) expect(offLines(c.stderr)).to.deep.equal([]);
    else expect(offLines(c.stderr)).to.have.length(1);
  });

  it('without OpenBLAS: one line naming the apt package, the wasm path, the same results', () => {
    const c = children['noLibrary']!;
    expect(c.code, c.stderr).to.equal(0);
    expect(c.result?.native).to.equal(false);
    expect(c.result?.worst).to.be.lessThan(1e-3);
    const lines = offLines(c.stderr);
    expect(lines, c.stderr).to.have.length(1);
    expect(lines[0]).to.match(/apt-get install libopenblas0-pthread/);
  });

  it('without the addon built: one line saying how to build it', () => {
    const c = children['noAddon']!;
    expect(c.code, c.stderr).to.equal(0);
    expect(c.result?.native).to.equal(false);
    const lines = offLines(c.stderr);
    expect(lines, c.stderr).to.have.length(1);
    expect(lines[0]).to.match(/not built|does not load/).and.match(/build:native/);
  });

  it('ENGRAM_NATIVE_ISA=baseline: the vector kernels on the baseline set, right results; an unknown set: one line, the widest set', function () {
    if (!children['default']!.result?.native) this.skip(); // the native path is not usable here
    const base = children['isaBaseline']!;
    expect(base.code, base.stderr).to.equal(0);
    expect(base.result?.native).to.equal(true);
    expect(base.result?.isa).to.equal('baseline');
    expect(base.result?.worst).to.be.lessThan(1e-3);
    expect(base.stderr).to.not.match(/ENGRAM_NATIVE_ISA/);
    const unknown = children['isaUnknown']!;
    expect(unknown.code, unknown.stderr).to.equal(0);
    expect(unknown.result?.isa).to.equal(children['default']!.result?.isa);
    const lines = unknown.stderr.split('\n').filter((l) => l.includes('ENGRAM_NATIVE_ISA'));
    expect(lines, unknown.stderr).to.have.length(1);
    expect(lines[0]).to.match(/ENGRAM_NATIVE_ISA=sse9 is not a set this CPU runs \(.*baseline\)/);
  });

  it('ENGRAM_NATIVE=0: the wasm path, silently', () => {
    const c = children['off']!;
    expect(c.code, c.stderr).to.equal(0);
    expect(c.result?.native).to.equal(false);
    expect(c.result?.off).to.match(/turned off/);
    expect(offLines(c.stderr)).to.deep.equal([]);
  });
});
