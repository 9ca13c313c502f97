import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/backend.js';
import { createEngram } from '../../src/plugins/create-engram.js';
import { EnergyModel } from '../../src/model/energy-model.js';
import { lagrangians } from '../../src/lagrangians/index.js';
import { memorySynapse } from '../../src/synapses/memory.js';
import { loadModel, saveModel } from '../../src/node/model-files.js';
import { seededRandom } from '../../src/dataset.js';

/**
 * A save killed at a random point (SIGKILL, 40 trials, a 4 MB model saved
 * over an existing one) always leaves a loadable model: the previous one or
 * the new one, never a mix and never neither. The child uses the built core
 * (packages/core/dist), which `npm test` builds first.
 */
const child = resolve(import.meta.dirname, 'save-child.mjs');
const dist = resolve(import.meta.dirname, '..', '..', 'dist', 'node', 'index.js');

describe('kill during save', function () {
  this.timeout(300000);
  let dir: string;
  before(async () => {
    if (!existsSync(dist)) throw new Error(`${dist} is missing: build first (npm run build; npm test does it)`);
    await initBackend({ backend: 'wasm' });
    dir = mkdtempSync(join(tmpdir(), 'engram-kill-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('40 random kills during saves: the model always loads, whole', async () => {
    const engram = await createEngram();
    const path = join(dir, 'model.json');
    const first = new EnergyModel()
      .addLayer('v', { shape: [1000], lagrangian: lagrangians.identity() })
      .addSynapse('mem', memorySynapse({ memories: 1000, size: 1000 }), ['v']);
    first.variables()['mem/patterns']!.assign(tf.zeros([1000, 1000]));
    await saveModel(first, path, { engram });
    first.dispose();
    const rand = seededRandom(40);
    const seen = new Set<number>();
    for (let trial = 0; trial < 40; trial++) {
      const proc = spawn(process.execPath, [child, path], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
      proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
      await new Promise<void>((res, rej) => {
        const t = setInterval(() => {
          if (out.includes('ready')) {
            clearInterval(t);
            res();
          }
        }, 5);
        proc.on('exit', (code) => {
          clearInterval(t);
          rej(new Error(`child exited early (${code}): ${err}`));
        });
      });
      await new Promise((r) => setTimeout(r, rand() * 400));
      const exited = new Promise((r) => proc.on('exit', r));
      proc.kill('SIGKILL');
      await exited;
      const model = await loadModel(engram, path);
      const data = model.variables()['mem/patterns']!.dataSync() as Float32Array;
      const v = data[0]!;
      expect(data.every((x) => x === v), `trial ${trial}: a mix of two saves`).to.equal(true);
      seen.add(v);
      model.dispose();
    }
    // The kills landed at different points: several saves completed across the trials.
    expect(seen.size, `values seen: ${[...seen].join(', ')}`).to.be.greaterThan(1);
    const leftovers = readdirSync(dir).filter((f) => f.endsWith('.weights.bin'));
    expect(leftovers.length, `weights files left: ${leftovers.join(', ')}`).to.be.at.most(3);
  });
});
