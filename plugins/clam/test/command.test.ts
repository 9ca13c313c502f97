import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngram, ErrorCodes, parseConfig, type Engram } from '@engram/core';
import { clamCommandOptions, clamPlugin } from '../src/node/index.js';
import { expectCode, expectRejectCode } from './helpers.js';

/** `engram clam --quick`: the table, the JSON and the plots, through the registered command. */
describe('engram clam command', () => {
  let engram: Engram;
  let dir: string;
  before(async () => {
    engram = await createEngram({ plugins: [clamPlugin], backend: 'wasm' });
    dir = mkdtempSync(join(tmpdir(), 'clam-cmd-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const run = (options: Record<string, unknown>, out: string[]) => {
    const command = engram.commands().find((c) => c.id === 'clam/clam')!;
    const parsed = parseConfig(clamCommandOptions, options, 'clam', 'options');
    return command.run({ options: parsed, positionals: [] } as never, { stdout: (s) => out.push(s), stderr: () => {}, isTTY: false, cwd: dir }, engram);
  };

  it('--quick writes table.md, results.json, silhouette.svg, trajectories.svg and landscape.svg and prints the table', async () => {
    const out: string[] = [];
    expect(await run({ quick: true, out: 'q' }, out)).to.equal(0);
    const text = out.join('');
    expect(text).to.contain('| data set | k | ClAM silhouette (beta, lr) | k-means | soft k-means | agglomerative |');
    expect(text).to.match(/\| Zoo \(101x16\) \| 7 \| -?\d\.\d{3} \(1\.5, 0\.01\) \|/);
    for (const f of ['table.md', 'results.json', 'silhouette.svg', 'trajectories.svg', 'landscape.svg', 'partial.md']) expect(existsSync(join(dir, 'q', f)), f).to.equal(true);
    const json = JSON.parse(readFileSync(join(dir, 'q', 'results.json'), 'utf8'));
    expect(json.rows).to.have.length(1);
    const row = json.rows[0];
    for (const m of ['clam', 'kmeans', 'softKmeans', 'agglomerative']) {
      expect(row[m].silhouette, m).to.be.within(-1, 1);
      expect(row[m].ari, m).to.be.within(-1, 1);
    }
    expect(json.blobs.trajectory.length).to.equal(4); // 3 epochs + the start
    expect(readFileSync(join(dir, 'q', 'landscape.svg'), 'utf8')).to.contain('<image');
  });

  it('bad options are coded errors naming the option', async () => {
    expectCode(() => parseConfig(clamCommandOptions, { epoch: 3 }, 'clam', 'options'), ErrorCodes.INVALID_CONFIG);
    await expectRejectCode(run({ datasets: 'zoo,iris', plots: false, out: 'bad' }, []), ErrorCodes.INVALID_CONFIG);
    await expectRejectCode(run({ datasets: 'zoo', betas: '1,x', plots: false, out: 'bad' }, []), ErrorCodes.INVALID_CONFIG);
    await expectRejectCode(run({ datasets: 'zoo', fills: 'median', plots: false, out: 'bad' }, []), ErrorCodes.INVALID_CONFIG);
  });
});
