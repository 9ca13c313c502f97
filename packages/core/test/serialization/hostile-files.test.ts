import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/backend.js';
import { createEngram } from '../../src/plugins/create-engram.js';
import type { Engram } from '../../src/plugins/engram.js';
import { EnergyModel } from '../../src/model/energy-model.js';
import { lagrangians } from '../../src/lagrangians/index.js';
import { memorySynapse } from '../../src/synapses/memory.js';
import { loadModel, saveModel } from '../../src/node/model-files.js';
import { ErrorCodes, isEngramError, type ErrorCode } from '../../src/errors/index.js';
import { trainStream } from '../../src/training/train.js';

async function rejects(p: Promise<unknown>, code: ErrorCode, pattern?: RegExp): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isEngramError(err, code), `expected ${code}, got ${String(err)}`).to.equal(true);
  if (pattern) expect((err as Error).message).to.match(pattern);
}

/** Resolves with whatever `p` does, or rejects after `ms` (a hang is a failure, not a stuck test). */
function within<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms (hang)`)), ms))]);
}

describe('model files survive hostile specs and paths', () => {
  let dir: string;
  let engram: Engram;
  let spec: string;
  let specJson: { weights: { file: unknown; crc32?: unknown; byteLength: number }; config: { synapses: { config: Record<string, unknown> }[] } };

  before(async () => {
    await initBackend({ backend: 'wasm' });
    engram = await createEngram();
    dir = mkdtempSync(join(tmpdir(), 'engram-hostile-'));
    const model = new EnergyModel()
      .addLayer('v', { shape: [6], lagrangian: lagrangians.identity() })
      .addSynapse('mem', memorySynapse({ memories: 5, size: 6, beta: 2, seed: 1 }), ['v']);
    spec = (await saveModel(model, join(dir, 'good'), { engram })).spec;
    model.dispose();
    specJson = JSON.parse(readFileSync(spec, 'utf8'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const variant = (name: string, edit: (s: typeof specJson) => void): string => {
    const s = structuredClone(specJson);
    edit(s);
    const p = join(dir, `${name}.json`);
    writeFileSync(p, JSON.stringify(s));
    return p;
  };

  it("weights.file must stay inside the spec's folder and be a string", async () => {
    for (const file of ['../../../../dev/zero', '/dev/zero', '/etc/passwd', '..', 'sub/../../x.bin', 42, null, ['a'], '']) {
      await rejects(loadModel(engram, variant('path', (s) => (s.weights.file = file))), ErrorCodes.INVALID_SPEC, /weights\.file must be a file name or a relative path inside the spec's folder/);
    }
  });

  it('refuses FIFOs, devices and symlinks to devices without hanging or reading', async () => {
    const fifo = join(dir, 'fifo.bin');
    execFileSync('mkfifo', [fifo]);
    await within(rejects(loadModel(engram, variant('fifo', (s) => (s.weights.file = 'fifo.bin'))), ErrorCodes.CORRUPT_WEIGHTS, /not a regular file/), 5000);
    const fifoSpec = join(dir, 'fifo-spec.json');
    execFileSync('mkfifo', [fifoSpec]);
    await within(rejects(loadModel(engram, fifoSpec), ErrorCodes.INVALID_SPEC, /not a regular file/), 5000);
    symlinkSync('/dev/zero', join(dir, 'zero.bin'));
    await within(rejects(loadModel(engram, variant('zero', (s) => (s.weights.file = 'zero.bin'))), ErrorCodes.CORRUPT_WEIGHTS, /kernel pseudo file/), 5000);
    await rejects(loadModel(engram, variant('dir', (s) => (s.weights.file = '.'))), ErrorCodes.INVALID_SPEC);
  });

  it('the CRC-32 is mandatory unless asked otherwise, and a flipped bit never loads silently', async () => {
    for (const crc of [undefined, '', null, 0, false, 'xyz', '1234567']) {
      const p = variant('crc', (s) => {
        if (crc === undefined) delete s.weights.crc32;
        else s.weights.crc32 = crc;
      });
      await rejects(loadModel(engram, p), ErrorCodes.INVALID_SPEC, /'crc32' must be the weights' CRC-32/);
    }
    const none = variant('nocrc', (s) => delete s.weights.crc32);
    const m = await loadModel(engram, none, { allowMissingChecksum: true });
    m.dispose();
  });

  it('checks declared sizes against the limit and the file before reading, and a config against its weights before allocating', async () => {
    await rejects(loadModel(engram, spec, { maxBytes: 16 }), ErrorCodes.CORRUPT_WEIGHTS, /more than the limit of 16/);
    const rss = process.memoryUsage().rss;
    const before = tf.memory().numTensors;
    const t0 = Date.now();
    const huge = variant('huge', (s) => (s.config.synapses[0]!.config['memories'] = 1e8));
    await rejects(loadModel(engram, huge), ErrorCodes.INVALID_SPEC, /would allocate more than \d+ bytes/);
    expect(Date.now() - t0).to.be.lessThan(5000);
    expect(process.memoryUsage().rss - rss).to.be.lessThan(200 * 2 ** 20);
    expect(tf.memory().numTensors).to.equal(before);
  });

  it('refuses to save into /proc, and a save replaces the previous pair (old weights removed)', async () => {
    const model = new EnergyModel().addLayer('v', { shape: [2], lagrangian: lagrangians.identity() });
    await rejects(saveModel(model, '/proc/self/engram-model.json'), ErrorCodes.INVALID_ARGUMENT, /kernel pseudo file system/);
    model.dispose();
    const a = new EnergyModel()
      .addLayer('v', { shape: [3], lagrangian: lagrangians.identity() })
      .addSynapse('mem', memorySynapse({ memories: 2, size: 3, seed: 1 }), ['v']);
    const first = await saveModel(a, join(dir, 'twice'), { engram });
    a.variables()['mem/patterns']!.assign(tf.ones([2, 3]));
    const second = await saveModel(a, join(dir, 'twice'), { engram });
    expect(second.weights).to.not.equal(first.weights);
    expect(() => readFileSync(first.weights)).to.throw(/ENOENT/);
    const back = await loadModel(engram, second.spec);
    expect(Array.from(back.variables()['mem/patterns']!.dataSync())).to.deep.equal([1, 1, 1, 1, 1, 1]);
    back.dispose();
    a.dispose();
  });

  it('trainStream rejects clipNorm <= 0 and other bad options as error notifications', async () => {
    const v = tf.variable(tf.scalar(1));
    for (const clipNorm of [0, -1, NaN, Infinity]) {
      const err = await new Promise<unknown>((resolve) =>
        trainStream({ variables: [v], optimizer: tf.train.sgd(0.1), batches: () => [0], disposeBatch: () => {}, loss: () => tf.square(v) as tf.Scalar, clipNorm }).subscribe({
          error: resolve,
          complete: () => resolve(undefined),
        }),
      );
      expect(isEngramError(err, ErrorCodes.INVALID_ARGUMENT), `clipNorm ${clipNorm}: ${String(err)}`).to.equal(true);
    }
    v.dispose();
  });
});
