import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { lastValueFrom, take, toArray } from 'rxjs';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, seededRandom } from '@engram/core';
import { CamelotMemory, collectLosses, deserializeMemory, Gpt, loadMemory, memoryFromBytes, memoryToBytes, saveMemory, serializeMemory, streamDocuments, weightsFingerprint, type AttentionModel, type MemoryConfigInput, type MemoryEntries } from '../src/node/index.js';
import { TinyAttentionLm } from './helpers/tiny-attention-lm.js';

/** Writes one window of `k` as every layer's queries, keys and values, and returns the next window's hook. */
const afterOneWindow = (memory: CamelotMemory, k: tf.Tensor4D): ReturnType<CamelotMemory['windowHook']> => {
  const first = memory.windowHook();
  for (let layer = 0; layer < memory.layers.length; layer++) first.attend({ layer, queries: k, keys: k, values: k });
  first.commit();
  return memory.windowHook();
};

/** A hook's attend inside a tidy that keeps the entries' tensors (tf.tidy's types take tensor containers only). */
const attendKept = (hook: ReturnType<CamelotMemory['windowHook']>, view: Parameters<ReturnType<CamelotMemory['windowHook']>['attend']>[0]): MemoryEntries | null => {
  const box: { entries: MemoryEntries | null } = { entries: null };
  tf.tidy(() => {
    box.entries = hook.attend(view);
    return box.entries ? [box.entries.keys, box.entries.values, box.entries.visible] : [];
  });
  return box.entries;
};

const randomDocs = (count: number, length: number, vocab: number, seed: number): Int32Array[] => {
  const rand = seededRandom(seed);
  return Array.from({ length: count }, () => Int32Array.from({ length }, () => Math.floor(rand() * vocab)));
};

describe('CamelotMemory attached to attention models', () => {
  let gpt: Gpt;
  let tiny: TinyAttentionLm;
  before(async () => {
    await initBackend({ backend: 'wasm' });
    gpt = new Gpt({ vocabulary: 'abcdefgh', contextLength: 16, size: 16, heads: 2, blocks: 2, hiddenSize: 32, seed: 1 });
    tiny = new TinyAttentionLm();
  });
  after(() => {
    gpt.dispose();
    tiny.dispose();
  });

  const models = (): [string, AttentionModel][] => [
    ['the GPT (2 layers, 2 heads of 8, rotary)', gpt],
    ['a second model (1 layer, 3 heads of 5, learned positions)', tiny],
  ];

  for (const [name, get] of [0, 1].map((i) => [i === 0 ? 'the GPT (2 layers, 2 heads of 8, rotary)' : 'a second model (1 layer, 3 heads of 5, learned positions)', i] as const)) {
    describe(name, () => {
      const model = (): AttentionModel => models()[get]![1];

      it('changes nothing in the first window (memory empty) and changes later windows', async () => {
        const m = model();
        const docs = randomDocs(2, 3 * m.contextLength + 1, m.vocabularySize, 5);
        const plain = await collectLosses(m, docs, null);
        const mem = await collectLosses(m, docs, { policy: 'unbounded' });
        const w = m.contextLength;
        for (let d = 0; d < 2; d++) {
          for (let i = 0; i < w; i++) expect(mem.losses[d]![i]).to.be.closeTo(plain.losses[d]![i]!, 1e-5);
          let diff = 0;
          for (let i = w; i < 3 * w; i++) diff = Math.max(diff, Math.abs(mem.losses[d]![i]! - plain.losses[d]![i]!));
          expect(diff).to.be.greaterThan(1e-4);
        }
      });

      it('stays causal: a token\'s loss does not depend on later tokens of its window', async () => {
        const m = model();
        const w = m.contextLength;
        const [a] = randomDocs(1, 2 * w + 1, m.vocabularySize, 6);
        const b = a!.slice();
        for (let p = w + w / 2 + 1; p < 2 * w + 1; p++) b[p] = (b[p]! + 1) % m.vocabularySize;
        for (const read of ['shared', 'own'] as const) {
          const la = (await collectLosses(m, [a!], { policy: 'camelot', memories: 4, threshold: 0.5, read })).losses[0]!;
          const lb = (await collectLosses(m, [b], { policy: 'camelot', memories: 4, threshold: 0.5, read })).losses[0]!;
          // Position p's loss (index p - 1) only sees tokens < p: identical up to the first changed token.
          for (let p = 1; p <= w + w / 2; p++) expect(lb[p - 1], `${read} position ${p}`).to.be.closeTo(la[p - 1]!, 1e-5);
        }
      });

      it('leaves the frozen model\'s weights bit-identical', async () => {
        const m = model();
        const before = weightsFingerprint(m.variables());
        await collectLosses(m, randomDocs(2, 4 * m.contextLength, m.vocabularySize, 7), { policy: 'camelot', memories: 5, threshold: 0.3 });
        expect(weightsFingerprint(m.variables())).to.equal(before);
      });

      it('round-trips its state through save and load: the continued stream is identical', async () => {
        const m = model();
        const docs = randomDocs(2, 2 * m.contextLength + 1, m.vocabularySize, 8);
        const config: MemoryConfigInput = { policy: 'camelot', memories: 6, threshold: 0.4, topK: 2 };
        const memory = CamelotMemory.for(m, config, 2);
        await lastValueFrom(streamDocuments(m, docs, { memory }));
        const json = JSON.parse(JSON.stringify(serializeMemory(memory)));
        const copy = deserializeMemory(json);
        expect(copy.snapshot()).to.deep.equal(memory.snapshot());
        const file = join(mkdtempSync(join(tmpdir(), 'camelot-')), 'memory.json');
        await saveMemory(memory, file);
        const fromFile = await loadMemory(file);
        // Bytes in, bytes out (the browser-safe entry): the same bytes as the file.
        const bytes = memoryToBytes(memory);
        expect(Buffer.from(bytes).equals(readFileSync(file))).to.equal(true);
        const fromBytes = memoryFromBytes(bytes);
        const next = randomDocs(2, m.contextLength + 1, m.vocabularySize, 9);
        const [a, b, c, d] = await Promise.all([memory, copy, fromFile, fromBytes].map((mem) => lastValueFrom(streamDocuments(m, next, { memory: mem }).pipe(toArray()))));
        expect(Array.from(b![0]!.losses)).to.deep.equal(Array.from(a![0]!.losses));
        expect(Array.from(c![0]!.losses)).to.deep.equal(Array.from(a![0]!.losses));
        expect(Array.from(d![0]!.losses)).to.deep.equal(Array.from(a![0]!.losses));
        expect(copy.snapshot()).to.deep.equal(memory.snapshot());
      });

      it('streams its state: slot counts, ages, merges and evictions', async () => {
        const m = model();
        const memory = CamelotMemory.for(m, { policy: 'camelot', memories: 3, threshold: 0.9999 }, 1);
        const steps = await lastValueFrom(streamDocuments(m, randomDocs(1, 3 * m.contextLength + 1, m.vocabularySize, 10), { memory, snapshot: true }).pipe(toArray()));
        expect(steps).to.have.length(3);
        const last = steps[2]!;
        const layer0 = last.memory![0]![0]!;
        expect(layer0.filled).to.equal(3);
        expect(layer0.counts.reduce((a, b) => a + b, 0)).to.be.at.most(3 * m.contextLength);
        expect(Math.min(...layer0.ages)).to.equal(0);
        expect(last.totals![0]!.written).to.equal(3 * m.contextLength);
        expect(last.totals![0]!.merges + last.totals![0]!.inserts + last.totals![0]!.evictions).to.equal(3 * m.contextLength);
        expect(last.totals![0]!.inserts).to.equal(3);
        expect(last.totals![0]!.evictions).to.be.greaterThan(0);
        expect(steps[0]!.writes![0]!.written).to.equal(m.contextLength);
        // Threshold -1: every token merges into the first slot.
        const all = CamelotMemory.for(m, { policy: 'camelot', memories: 3, threshold: -1 }, 1);
        const s2 = await lastValueFrom(streamDocuments(m, randomDocs(1, 2 * m.contextLength + 1, m.vocabularySize, 12), { memory: all, snapshot: true }).pipe(toArray()));
        expect(s2[1]!.memory![0]![0]!.counts).to.deep.equal([2 * m.contextLength]);
        expect(s2[1]!.totals![0]!.merges).to.equal(2 * m.contextLength - 1);
      });

      it('leaks no tensors when the stream completes, is cancelled or errors', async () => {
        const m = model();
        const docs = randomDocs(2, 3 * m.contextLength + 1, m.vocabularySize, 11);
        const start = tf.memory().numTensors;
        await lastValueFrom(streamDocuments(m, docs, { memory: CamelotMemory.for(m, { policy: 'unbounded' }, 2) }));
        expect(tf.memory().numTensors, 'after complete').to.equal(start);
        // The read with far copies and per-entry biases.
        const far = { policy: 'camelot', memories: 8, placement: 'age', maxDistance: m.contextLength - 1, beyond: 'window-start', beyondBias: -2, topK: 2 } as const;
        await lastValueFrom(streamDocuments(m, docs, { memory: CamelotMemory.for(m, far, 2) }));
        expect(tf.memory().numTensors, 'after complete, far read').to.equal(start);
        await lastValueFrom(streamDocuments(m, docs, { memory: CamelotMemory.for(m, { policy: 'camelot', memories: 4 }, 2) }).pipe(take(1)));
        await new Promise((r) => setTimeout(r, 20));
        expect(tf.memory().numTensors, 'after cancel').to.equal(start);
        const bad = docs.map((d) => d.slice());
        bad[1]![m.contextLength + 3] = m.vocabularySize + 5;
        const err = await lastValueFrom(streamDocuments(m, bad, { memory: CamelotMemory.for(m, {}, 2) })).catch((e: unknown) => e);
        expect(err).to.have.property('code', 'ENGRAM_ERR_INVALID_ARGUMENT');
        expect(tf.memory().numTensors, 'after error').to.equal(start);
      });
    });
  }

  it('the memory of one model refuses a differently shaped model (mismatched key dims)', async () => {
    const memory = CamelotMemory.for(gpt, {}, 1);
    const err = await lastValueFrom(streamDocuments(tiny, randomDocs(1, 30, 7, 1), { memory })).catch((e: unknown) => e);
    expect(err).to.have.property('code', 'ENGRAM_ERR_SHAPE_MISMATCH');
    const json = serializeMemory(CamelotMemory.for(gpt, {}, 1));
    json.stores[0]![0]!.keySize = 15;
    expect(() => deserializeMemory(json)).to.throw().with.property('code', 'ENGRAM_ERR_SHAPE_MISMATCH');
    // A hook whose layer view has other head sizes than the memory's:
    const hook = CamelotMemory.for(tiny, {}, 1).windowHook();
    const view = tf.zeros([1, 2, 4, 8]) as tf.Tensor4D;
    expect(() => hook.attend({ layer: 0, queries: view, keys: view, values: view })).to.throw().with.property('code', 'ENGRAM_ERR_SHAPE_MISMATCH');
    view.dispose();
  });

  it('rejects bad configs with coded errors naming the key', () => {
    const bad: [MemoryConfigInput, string][] = [
      [{ memories: 0 }, 'memories'],
      [{ memories: 2.5 }, 'memories'],
      [{ threshold: 1.5 }, 'threshold'],
      [{ threshold: -2 }, 'threshold'],
      [{ topK: 0 }, 'topK'],
      [{ policy: 'lru' as never }, 'policy'],
      [{ scoreBias: 50 }, 'scoreBias'],
      [{ placement: -1 }, 'placement'],
      [{ readHeads: [[0, 1, 2]] as never }, 'readHeads'],
      [{ maxDistance: 127 }, 'maxDistance'],
      [{ placement: 'age', maxDistance: 0 }, 'maxDistance'],
      [{ placement: 'age', beyond: 'window-start' }, 'beyond'],
      [{ placement: 'age', maxDistance: 127, beyondBias: -2 }, 'beyondBias'],
    ];
    for (const [config, key] of bad) {
      let caught: unknown;
      try {
        CamelotMemory.for(gpt, config);
      } catch (e) {
        caught = e;
      }
      expect(caught, key).to.have.property('code', 'ENGRAM_ERR_INVALID_CONFIG');
      expect(String((caught as Error).message), key).to.contain(key);
    }
    expect(() => CamelotMemory.for(gpt, { threshhold: 0.5 } as never)).to.throw(/did you mean 'threshold'/);
    expect(() => new CamelotMemory({}, [])).to.throw().with.property('code', 'ENGRAM_ERR_INVALID_ARGUMENT');
    expect(() => new CamelotMemory({}, gpt.attentionLayers, 0)).to.throw().with.property('code', 'ENGRAM_ERR_INVALID_ARGUMENT');
    // Layers and heads the model does not have (the GPT here: 2 layers of 2 heads).
    expect(() => CamelotMemory.for(gpt, { readLayers: [2] })).to.throw(/readLayers/).with.property('code', 'ENGRAM_ERR_INVALID_ARGUMENT');
    expect(() => CamelotMemory.for(gpt, { readHeads: [[1, 2]] })).to.throw(/readHeads/).with.property('code', 'ENGRAM_ERR_INVALID_ARGUMENT');
    expect(() => deserializeMemory({ format: 'nope' })).to.throw().with.property('code', 'ENGRAM_ERR_INVALID_SPEC');
    expect(() => memoryFromBytes(new TextEncoder().encode('{"format": '))).to.throw().with.property('code', 'ENGRAM_ERR_INVALID_SPEC');
    expect(() => memoryFromBytes(Uint8Array.of(0xff, 0xfe))).to.throw().with.property('code', 'ENGRAM_ERR_INVALID_SPEC');
    // A damaged base64 array is corrupt data, never silently decoded.
    const json = serializeMemory(CamelotMemory.for(gpt, { memories: 2 }, 1));
    const damaged = { ...json, stores: [[{ ...json.stores[0]![0]!, keys: 'AAA*' }, ...json.stores[0]!.slice(1)]] };
    expect(() => deserializeMemory(damaged)).to.throw().with.property('code', 'ENGRAM_ERR_CORRUPT_DATA');
  });

  it('retrieval by query . key finds the slot a query attends to most', () => {
    // One layer, one head of size 2; three slots. The query [1, 0] scores 3, -1 and 0.5 against them.
    const memory = new CamelotMemory({ policy: 'unbounded', topK: 1, read: 'own' }, [{ heads: 1, headSize: 2 }], 1);
    const hook = memory.windowHook();
    const k = tf.tensor4d([3, 0, -1, 0, 0.5, 0.5], [1, 1, 3, 2]);
    hook.attend({ layer: 0, queries: k, keys: k, values: k });
    hook.commit();
    const q = tf.tensor4d([1, 0], [1, 1, 1, 2]);
    const entries = tf.tidy(() => {
      const e = memory.windowHook().attend({ layer: 0, queries: q, keys: q, values: q })!;
      return [e.keys.dataSync(), e.visible.dataSync()];
    });
    expect(Array.from(entries[0]!)).to.deep.equal([3, 0]);
    expect(Array.from(entries[1]!)).to.deep.equal([1]);
    // By key cosine the same query picks [3, 0] too (cos 1), and a key [0, 1] picks [0.5, 0.5].
    const byKey = new CamelotMemory({ policy: 'unbounded', retrieval: 'key', read: 'own' }, [{ heads: 1, headSize: 2 }], 1);
    const h2 = byKey.windowHook();
    h2.attend({ layer: 0, queries: k, keys: k, values: k });
    h2.commit();
    const up = tf.tensor4d([0, 1], [1, 1, 1, 2]);
    const picked = tf.tidy(() => byKey.windowHook().attend({ layer: 0, queries: up, keys: up, values: up })!.keys.dataSync());
    expect(Array.from(picked)).to.deep.equal([0.5, 0.5]);
    tf.dispose([k, q, up]);
  });

  it('ranks slots with the queries the layer scores memory with (memoryQueries: rotated ones), when the model gives them', () => {
    const memory = new CamelotMemory({ policy: 'unbounded', topK: 1, read: 'own' }, [{ heads: 1, headSize: 2 }], 1);
    const hook = memory.windowHook();
    const k = tf.tensor4d([3, 0, 0, 2], [1, 1, 2, 2]);
    hook.attend({ layer: 0, queries: k, keys: k, values: k });
    hook.commit();
    // Unrotated, [1, 0] prefers [3, 0]; the layer scores memory with [0, 1] (its query rotated), which prefers [0, 2].
    const q = tf.tensor4d([1, 0], [1, 1, 1, 2]);
    const rotated = tf.tensor4d([0, 1], [1, 1, 1, 2]);
    const plain = tf.tidy(() => memory.windowHook().attend({ layer: 0, queries: q, keys: q, values: q })!.keys.dataSync());
    const withRotated = tf.tidy(() => memory.windowHook().attend({ layer: 0, queries: q, keys: q, values: q, memoryQueries: rotated })!.keys.dataSync());
    expect(Array.from(plain)).to.deep.equal([3, 0]);
    expect(Array.from(withRotated)).to.deep.equal([0, 2]);
    tf.dispose([k, q, rotated]);
  });

  it('readLayers: only the listed layers read the memory; every layer is still written', () => {
    const memory = new CamelotMemory({ policy: 'unbounded', readLayers: [1] }, [{ heads: 1, headSize: 2 }, { heads: 1, headSize: 2 }], 1);
    const k = tf.tensor4d([1, 0], [1, 1, 1, 2]);
    const next = afterOneWindow(memory, k);
    const layer0 = attendKept(next, { layer: 0, queries: k, keys: k, values: k });
    const layer1 = attendKept(next, { layer: 1, queries: k, keys: k, values: k });
    expect(layer0).to.equal(null);
    expect(layer1).to.not.equal(null);
    tf.dispose([layer1!.keys, layer1!.values, layer1!.visible]);
    expect(memory.snapshot()[0]!.map((l) => l.filled)).to.deep.equal([1, 1]);
    tf.dispose(k);
  });

  it('readHeads: only the listed [layer, head] pairs see memory entries', () => {
    const memory = new CamelotMemory({ policy: 'unbounded', readHeads: [[0, 1]] }, [{ heads: 2, headSize: 1 }, { heads: 2, headSize: 1 }], 1);
    const k = tf.tensor4d([1, 2], [1, 2, 1, 1]);
    const next = afterOneWindow(memory, k);
    const layer0 = attendKept(next, { layer: 0, queries: k, keys: k, values: k })!;
    const visible = Array.from(layer0.visible.dataSync());
    tf.dispose([layer0.keys, layer0.values, layer0.visible]);
    const layer1 = attendKept(next, { layer: 1, queries: k, keys: k, values: k });
    expect(visible).to.deep.equal([0, 1]); // head 0 sees nothing, head 1 its pick
    expect(layer1).to.equal(null);
    tf.dispose(k);
  });

  it("placement 'age' gives each entry its distance before the window: the slot's age + 1", () => {
    const memory = new CamelotMemory({ policy: 'unbounded', placement: 'age', read: 'own' }, [{ heads: 1, headSize: 2 }], 1);
    const hook = memory.windowHook();
    const k = tf.tensor4d([3, 0, 0, 2, 1, 1], [1, 1, 3, 2]);
    hook.attend({ layer: 0, queries: k, keys: k, values: k });
    hook.commit();
    // Queries [1, 0] and [0, 1] pick the first token (2 tokens older than the last) and the second.
    const q = tf.tensor4d([1, 0, 0, 1], [1, 1, 2, 2]);
    const entries = attendKept(memory.windowHook(), { layer: 0, queries: q, keys: q, values: q })!;
    expect(Array.from(entries.distances!)).to.deep.equal([3, 2]);
    tf.dispose([k, q, entries.keys, entries.values, entries.visible]);
  });

  it("maxDistance hides an entry from queries farther than it; beyond 'window-start' shows them a copy at the window start, with beyondBias", () => {
    // One head of size 2: three tokens written (ages 2, 1, 0: distances 3, 2, 1 before the window).
    const write = (config: MemoryConfigInput): CamelotMemory => {
      const memory = new CamelotMemory({ policy: 'unbounded', placement: 'age', topK: 3, ...config }, [{ heads: 1, headSize: 2 }], 1);
      const k = tf.tensor4d([3, 0, 0, 2, 1, 1], [1, 1, 3, 2]);
      afterOneWindow(memory, k);
      k.dispose();
      return memory;
    };
    // Four queries; with shared reads, query 0's three picks are visible to every query within 4 tokens of them.
    const q = tf.tensor4d([1, 1, 1, 1, 1, 1, 1, 1], [1, 1, 4, 2]);
    const read = (memory: CamelotMemory): { visible: number[][]; distances: number[]; bias: number | Float32Array | undefined; entries: number } => {
      const e = attendKept(memory.windowHook(), { layer: 0, queries: q, keys: q, values: q })!;
      const [, , tokens, entries] = e.visible.shape;
      const flat = Array.from(e.visible.dataSync());
      const out = { visible: Array.from({ length: tokens }, (_, t) => flat.slice(t * entries, t * entries + 3)), distances: Array.from(e.distances!).slice(0, 3), bias: e.bias, entries };
      tf.dispose([e.keys, e.values, e.visible]);
      return out;
    };
    const hidden = read(write({ maxDistance: 4 }));
    expect(hidden.entries).to.equal(12);
    // The entry written 1 token before the window (distance 1) reaches queries 0..3, distance 2: 0..2, distance 3: 0..1.
    const byDistance = (r: typeof hidden, d: number): number[] => r.visible.map((row) => row[r.distances.indexOf(d)]!);
    expect(byDistance(hidden, 1)).to.deep.equal([1, 1, 1, 1]);
    expect(byDistance(hidden, 2)).to.deep.equal([1, 1, 1, 0]);
    expect(byDistance(hidden, 3)).to.deep.equal([1, 1, 0, 0]);
    expect(hidden.bias).to.equal(undefined);
    // beyond 'window-start': every pick also as a far entry at distance 0, visible where the near one is hidden.
    const memory = write({ maxDistance: 4, beyond: 'window-start', beyondBias: -2 });
    const e = attendKept(memory.windowHook(), { layer: 0, queries: q, keys: q, values: q })!;
    const entries = e.visible.shape[3];
    expect(entries).to.equal(24);
    const visible = Array.from(e.visible.dataSync());
    const distances = Array.from(e.distances!);
    expect(distances.slice(12)).to.deep.equal(new Array(12).fill(0));
    for (let r = 0; r < 12; r++) {
      for (let t = 0; t < 4; t++) {
        const near = visible[t * entries + r]!;
        const far = visible[t * entries + 12 + r]!;
        expect(near + far, `entry ${r}, query ${t}`).to.be.at.most(1);
        if (near) expect(t + distances[r]!).to.be.at.most(4);
        if (far) expect(t + distances[r]!).to.be.above(4);
      }
    }
    expect(visible.filter((v, i) => v && i % entries >= 12)).to.have.length(3);
    expect(Array.from(e.bias as Float32Array)).to.deep.equal([...new Array(12).fill(0), ...new Array(12).fill(-2)]);
    tf.dispose([e.keys, e.values, e.visible, q]);
  });

  it('the GPT honours per-entry biases: far copies at beyondBias -20 change nothing against hiding them; at 0 they do', async () => {
    const docs = randomDocs(2, 64, 8, 5);
    const base = { policy: 'unbounded', placement: 'age', maxDistance: 15, topK: 2 } as const;
    const hidden = (await collectLosses(gpt, docs, base)).losses;
    const silenced = (await collectLosses(gpt, docs, { ...base, beyond: 'window-start', beyondBias: -20 })).losses;
    const shown = (await collectLosses(gpt, docs, { ...base, beyond: 'window-start' })).losses;
    const gap = (a: Float32Array[], b: Float32Array[]): number => Math.max(...a.flatMap((x, d) => Array.from(x, (v, i) => Math.abs(v - b[d]![i]!))));
    expect(gap(hidden, silenced)).to.be.below(1e-5);
    expect(gap(hidden, shown)).to.be.above(1e-4);
  });
});
