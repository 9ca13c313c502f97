import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/backend.js';
import { createEngram } from '../../src/plugins/create-engram.js';
import type { Engram } from '../../src/plugins/engram.js';
import { EnergyModel } from '../../src/model/energy-model.js';
import { lagrangians } from '../../src/lagrangians/index.js';
import { denseSynapse } from '../../src/synapses/dense.js';
import { memorySynapse } from '../../src/synapses/memory.js';
import { loadModel, saveModel } from '../../src/node/model-files.js';
import { EngramError } from '../../src/errors/index.js';
import { seededRandom } from '../../src/dataset.js';
import type { Model } from '../../src/model/model.js';

/**
 * A seeded fuzz of model files: 2,000 mutated specs and weights files
 * (truncations, bit flips in weights and spec, wrong shapes and dtypes, huge
 * declared sizes, missing or empty CRCs, path tricks, prototype keys, deep
 * nesting, inconsistent configs). Every load must either reject with an
 * EngramError or return exactly the saved model; no crash, no hang, no silent
 * acceptance of corrupted data, no leaked tensor, bounded memory.
 */
type Json = Record<string, unknown>;

describe('fuzz: 2,000 mutated model files', function () {
  this.timeout(180000);
  let dir: string;
  let engram: Engram;
  let specText: string;
  let spec: Json;
  let weights: Uint8Array;
  let reference: Record<string, Float32Array>;
  let refConfig: string;

  before(async () => {
    await initBackend({ backend: 'wasm' });
    engram = await createEngram();
    dir = mkdtempSync(join(tmpdir(), 'engram-fuzz-'));
    const model = new EnergyModel()
      .addLayer('v', { shape: [8], lagrangian: lagrangians.tanh() })
      .addLayer('h', { shape: [4], lagrangian: lagrangians.softmax() })
      .addSynapse('mem', memorySynapse({ memories: 6, size: 8, beta: 2, seed: 1 }), ['v'])
      .addSynapse('w', denseSynapse({ inSize: 8, outSize: 4, seed: 2 }), ['v', 'h']);
    const saved = await saveModel(model, join(dir, 'base'), { engram });
    const fs = await import('node:fs');
    specText = fs.readFileSync(saved.spec, 'utf8');
    spec = JSON.parse(specText) as Json;
    weights = new Uint8Array(fs.readFileSync(saved.weights));
    reference = Object.fromEntries(Object.entries(model.variables()).map(([k, v]) => [k, Float32Array.from(v.dataSync() as Float32Array)]));
    refConfig = JSON.stringify(model.getConfig());
    model.dispose();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** The mutations, each turning (spec, weights) into a file pair to load. */
  function mutate(rand: () => number, i: number): { specText: string; weights: Uint8Array; what: string } {
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const s = structuredClone(spec) as Json & { weights: Json & { entries: Json[] }; config: Json };
    let w = weights;
    let text: string | undefined;
    const kind = i % 12;
    let what = '';
    switch (kind) {
      case 0: {
        const n = Math.floor(rand() * weights.length);
        w = weights.slice(0, n);
        what = `weights truncated to ${n}`;
        break;
      }
      case 1: {
        w = Uint8Array.from(weights);
        const bit = Math.floor(rand() * w.length * 8);
        w[bit >> 3]! ^= 1 << (bit & 7);
        what = `weights bit ${bit} flipped`;
        break;
      }
      case 2: {
        const bytes = new TextEncoder().encode(specText);
        const bit = Math.floor(rand() * bytes.length * 8);
        bytes[bit >> 3]! ^= 1 << (bit & 7);
        text = new TextDecoder().decode(bytes);
        what = `spec bit ${bit} flipped`;
        break;
      }
      case 3: {
        const e = pick(s.weights.entries);
        const field = pick(['shape', 'dtype', 'offset', 'byteLength', 'name']);
        e[field] = pick([[1e9, 1e9], [-1], 'float64', 'int32', -4, 1e12, null, 'mem/patterns', [3, 3], 1.5, {}, '']);
        what = `entry ${String(e['name'])}.${field} changed`;
        break;
      }
      case 4: {
        s.weights['byteLength'] = pick([1e12, 2 ** 40, -1, 0, 7, null, '1024', 1e300]);
        what = `byteLength ${String(s.weights['byteLength'])}`;
        break;
      }
      case 5: {
        const v = pick([undefined, '', null, 0, false, 'deadbeef', 'DEADBEEF', 12345678, ['00000000']]);
        if (v === undefined) delete s.weights['crc32'];
        else s.weights['crc32'] = v;
        what = `crc32 ${JSON.stringify(v)}`;
        break;
      }
      case 6: {
        s.weights['file'] = pick(['../../../../dev/zero', '/dev/zero', '/etc/passwd', '..', './', 'a/../../b', 42, null, { a: 1 }, '', 'nul\u0000.bin', '/proc/self/mem']);
        what = `weights.file ${JSON.stringify(s.weights['file'])}`;
        break;
      }
      case 7: {
        const key = pick(['__proto__', 'constructor', 'prototype']);
        const host = pick([s, s.config, s.weights, (s.config['synapses'] as Json[])[0]!]);
        text = JSON.stringify(s).replace(/^\{/, `{"${key}":{"polluted":true},`);
        if (host !== s) {
          (host as Json)[`${key}x`] = { polluted: true };
          text = JSON.stringify(s);
        }
        what = `prototype key ${key}`;
        break;
      }
      case 8: {
        const depth = Math.floor(1000 + rand() * 50000);
        s.config['layers'] = '@@DEEP@@' as unknown as Json[];
        text = JSON.stringify(s).replace('"@@DEEP@@"', `${'['.repeat(depth)}${']'.repeat(depth)}`);
        what = `deeply nested config (${depth})`;
        break;
      }
      case 9: {
        const syn = (s.config['synapses'] as Json[])[Math.floor(rand() * 2)]!;
        const cfg = syn['config'] as Json;
        const key = pick(Object.keys(cfg));
        cfg[key] = pick([1e8, 1e12, -3, 0, 'big', null, NaN, 2.5, [1, 2]]);
        what = `synapse config ${key} = ${String(cfg[key])}`;
        break;
      }
      case 10: {
        const layer = (s.config['layers'] as Json[])[Math.floor(rand() * 2)]!;
        layer[pick(['shape', 'tau', 'name', 'lagrangian'])] = pick([[1e9], [0], [-1], -1, 0, 'x', { kind: 'core/nope' }, { kind: 'core/relu', params: { beta: 2 } }]);
        what = 'layer changed';
        break;
      }
      default: {
        const field = pick(['format', 'formatVersion', 'kind', 'plugin', 'config', 'weights']);
        (s as Json)[field] = pick([null, 'engram-model', 2, 'core/nope', 'nope', {}, [], 'core/graph']);
        what = `top-level ${field}`;
      }
    }
    return { specText: text ?? JSON.stringify(s), weights: w, what };
  }

  it('rejects every corrupted file with an EngramError, and loads only what was saved', async () => {
    const rand = seededRandom(20261201);
    const counts = { tried: 0, rejected: 0, loadedIntact: 0, other: 0 };
    const problems: string[] = [];
    const rss0 = process.memoryUsage().rss;
    const tensors0 = tf.memory().numTensors;
    const t0 = Date.now();
    for (let i = 0; i < 2000; i++) {
      const m = mutate(rand, i);
      const base = `m${i}`;
      writeFileSync(join(dir, `${base}.json`), m.specText);
      const named = (() => {
        try {
          const f = (JSON.parse(m.specText) as { weights?: { file?: unknown } }).weights?.file;
          return typeof f === 'string' && /^[\w-][\w.-]*$/.test(f) ? f : undefined;
        } catch {
          return undefined;
        }
      })();
      // The weights go where the (mutated) spec points when that is a plain name in the folder.
      writeFileSync(join(dir, named ?? `${base}.bin`), m.weights);
      counts.tried++;
      let model: Model | undefined;
      try {
        model = await Promise.race([
          loadModel(engram, join(dir, `${base}.json`)),
          new Promise<never>((_, reject) => setTimeout(() => reject(new Error('HANG')), 5000)),
        ]);
      } catch (err) {
        if (err instanceof EngramError) counts.rejected++;
        else {
          counts.other++;
          problems.push(`${m.what}: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
        }
        continue;
      }
      // Accepted: the weights must be exactly the saved ones, and the config the file's own
      // (a mutation may leave a valid config that only changes, e.g., an init seed).
      const vars = model.variables();
      const fileConfig = JSON.stringify((JSON.parse(m.specText) as { config: unknown }).config);
      const config = JSON.stringify(model.getConfig());
      const same =
        (config === refConfig || config === fileConfig) &&
        Object.keys(vars).length === Object.keys(reference).length &&
        Object.keys(reference).every((k) => vars[k] && (vars[k]!.dataSync() as Float32Array).every((x, j) => x === reference[k]![j]));
      model.dispose();
      if (same) counts.loadedIntact++;
      else {
        counts.other++;
        problems.push(`${m.what}: loaded silently with different content`);
      }
    }
    const ms = Date.now() - t0;
    console.log(`      fuzz model files: ${JSON.stringify(counts)} in ${ms} ms, rss +${((process.memoryUsage().rss - rss0) / 2 ** 20).toFixed(0)} MiB`);
    expect(problems.slice(0, 20), problems.slice(0, 20).join('\n')).to.deep.equal([]);
    expect(counts.rejected + counts.loadedIntact).to.equal(2000);
    expect(counts.rejected).to.be.greaterThan(1500);
    expect(tf.memory().numTensors, 'leaked tensors').to.equal(tensors0);
    expect(process.memoryUsage().rss - rss0, 'rss growth').to.be.lessThan(200 * 2 ** 20);
  });
});
