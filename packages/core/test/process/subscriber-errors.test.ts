import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * With the wasm backend, a user's exception in a subscriber must behave as in
 * any Node program: the application's own uncaughtException handler sees it,
 * and without one Node prints the stack and exits with code 1 (the wasm
 * module's rethrowing handlers would exit 7 with ~38 KB of minified code).
 */
const core = resolve(import.meta.dirname, '..', '..', 'src', 'index.ts');

function script(withHandler: boolean): string {
  return `
import { EnergyModel, lagrangians, memorySynapse, initBackend } from ${JSON.stringify(core)};
await initBackend({ backend: 'wasm' });
${withHandler ? "process.on('uncaughtException', (err) => { console.log('APP HANDLER: ' + err.message); process.exit(0); });" : ''}
const model = new EnergyModel()
  .addLayer('v', { shape: [4], lagrangian: lagrangians.identity() })
  .addSynapse('mem', memorySynapse({ memories: 2, size: 4 }), ['v']);
model.run({ initial: { v: [[1, 2, 3, 4]] }, maxSteps: 5 }).subscribe(() => {
  throw new Error('boom in my subscriber');
});
`;
}

describe('process behaviour with the wasm backend', function () {
  this.timeout(60000);
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'engram-proc-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const run = (withHandler: boolean) => {
    const file = join(dir, `s${withHandler ? 1 : 0}.mts`);
    writeFileSync(file, script(withHandler));
    return spawnSync(process.execPath, ['--import=tsx', file], { encoding: 'utf8', timeout: 50000 });
  };

  it("the application's own uncaughtException handler sees a subscriber's error", () => {
    const r = run(true);
    expect(r.stdout, r.stderr).to.contain('APP HANDLER: boom in my subscriber');
    expect(r.status).to.equal(0);
  });

  it("without a handler Node prints the error's stack and exits with code 1", () => {
    const r = run(false);
    expect(r.status, r.stderr.slice(0, 500)).to.equal(1);
    expect(r.stderr).to.contain('Error: boom in my subscriber');
    expect(r.stderr.length).to.be.lessThan(8000);
  });
});
