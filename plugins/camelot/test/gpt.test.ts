import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { lastValueFrom, toArray } from 'rxjs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngram, initBackend, trainModel, type Engram } from '@engram/core';
import { loadModel, saveModel } from '@engram/core/node';
import { camelotPlugin, Gpt, BROWN_VOCABULARY } from '../src/node/index.js';
import { camelotPlugin as browserPlugin, textDataset, applyRotary, rotaryTables, type AttentionHook, type AttentionLayerView, type MemoryPlacement } from '../src/index.js';
import { definePlugin, z } from '@engram/core';

describe('camelot/gpt on the model protocol', () => {
  let engram: Engram;
  before(async () => {
    await initBackend({ backend: 'wasm' });
    engram = await createEngram({ plugins: [camelotPlugin] });
  });

  it('is created from its example, runs 3 steps, saves and loads with the same outputs (the registry-wide checks)', async () => {
    const entry = engram.get('model', 'camelot/gpt');
    const model = await engram.createModel('camelot/gpt', entry.example as object);
    expect(model).to.be.instanceOf(Gpt);
    const initial = model.initialState(2);
    const steps = await lastValueFrom(model.run({ initial, maxSteps: 3, snapshot: true }).pipe(toArray()));
    expect(steps.length).to.be.greaterThan(0);
    const dir = mkdtempSync(join(tmpdir(), 'camelot-gpt-'));
    await saveModel(model, join(dir, 'gpt'), { engram });
    const copy = await loadModel<Gpt>(engram, join(dir, 'gpt'));
    const tokens = tf.tensor2d([[1, 2, 3, 4, 5, 6]], [1, 6], 'int32');
    expect(Array.from(copy.logits(tokens).dataSync())).to.deep.equal(Array.from(model.logits(tokens).dataSync()));
    expect(copy.getConfig()).to.deep.equal(model.getConfig());
    tf.dispose([initial['tokens']!, tokens]);
    model.dispose();
    copy.dispose();
  });

  it('generates greedily in run(): each step appends the argmax and drops the oldest token', async () => {
    const model = await engram.createModel('camelot/gpt', { vocabulary: 'abcd', contextLength: 5, size: 8, heads: 2, blocks: 1, hiddenSize: 8 });
    const start = tf.tensor2d([[0, 1, 2, 3, 0]]);
    const logits = model.logits(start);
    const expected = tf.argMax(logits.slice([0, 4, 0], [1, 1, 4]).reshape([4])).dataSync()[0];
    let final: number[] = [];
    await lastValueFrom(model.run({ initial: start, maxSteps: 1, onFinal: (s) => (final = Array.from(s['tokens']!.dataSync())) }));
    expect(final).to.deep.equal([1, 2, 3, 0, expected]);
    tf.dispose([start, logits]);
    model.dispose();
  });

  it('trains one epoch through its training face on Brown windows (limit 16, batch 8) and the loss is finite', async () => {
    const model = await engram.createModel('camelot/gpt', { contextLength: 16, size: 16, heads: 2, blocks: 2, hiddenSize: 32 });
    const events = await lastValueFrom(trainModel(model, { engram, settings: { limit: 16, batchSize: 8, epochs: 1 } }).pipe(toArray()));
    const epoch = events.find((e) => e.type === 'epoch')!;
    expect(Number.isFinite(epoch.loss)).to.equal(true);
    expect(epoch.metrics!['heldOutBitsPerChar']).to.be.a('number');
    model.dispose();
  });

  it('reads its corpus from the registry: without one a coded error says what to load; any text data set under the id works', async () => {
    const bare = await createEngram({ plugins: [browserPlugin] });
    const model = await bare.createModel('camelot/gpt', { vocabulary: 'ab ', contextLength: 8, size: 8, heads: 2, blocks: 1, hiddenSize: 8 });
    const err = await lastValueFrom(trainModel(model, { engram: bare, settings: { limit: 4, batchSize: 4 } })).then(() => undefined, (e: unknown) => e);
    expect(err).to.have.property('code', 'ENGRAM_ERR_UNKNOWN_KIND');
    expect(String((err as Error).message)).to.contain('@engram/camelot/node');
    // A browser app registers its own documents (10 here: the 10th is held out).
    const docs = Array.from({ length: 10 }, (_, i) => 'ab '.repeat(10 + i));
    const corpus = definePlugin({ name: 'corpus', version: '0.1.0', engram: '^0.1.0', register: (ctx) => ctx.dataset('text', { schema: z.strictObject({}), load: async () => textDataset(docs) }) });
    const withCorpus = await createEngram({ plugins: [browserPlugin, corpus] });
    const events = await lastValueFrom(trainModel(model, { engram: withCorpus, settings: { limit: 4, batchSize: 4, data: 'corpus/text' } }).pipe(toArray()));
    expect(events.find((e) => e.type === 'epoch')!.metrics!['heldOutBitsPerChar']).to.be.a('number');
    model.dispose();
  });

  it('is causal: changing a later token leaves earlier logits unchanged', () => {
    const model = new Gpt({ vocabulary: 'abcdefgh', contextLength: 10, size: 16, heads: 4, blocks: 2, hiddenSize: 16 });
    const a = tf.tensor2d([[1, 2, 3, 4, 5, 6, 7]], [1, 7], 'int32');
    const b = tf.tensor2d([[1, 2, 3, 4, 0, 0, 0]], [1, 7], 'int32');
    const la = model.logits(a).slice([0, 0, 0], [1, 4, 8]).dataSync();
    const lb = model.logits(b).slice([0, 0, 0], [1, 4, 8]).dataSync();
    expect(Array.from(lb)).to.deep.equal(Array.from(la));
    tf.dispose([a, b]);
    model.dispose();
  });

  it('rejects bad configs and inputs with coded errors; fails with ENGRAM_ERR_DISPOSED after dispose', async () => {
    await engram.createModel('camelot/gpt', { size: 10, heads: 3 }).then(
      () => expect.fail('size 10 with 3 heads was accepted'),
      (e: unknown) => expect(e).to.have.property('code', 'ENGRAM_ERR_INVALID_CONFIG'),
    );
    expect(() => new Gpt({ vocabulary: 'aab' })).to.throw().with.property('code', 'ENGRAM_ERR_INVALID_CONFIG');
    expect(() => new Gpt({ contextLenght: 4 } as never)).to.throw(/did you mean 'contextLength'/);
    const model = new Gpt({ vocabulary: 'abc', contextLength: 4, size: 4, heads: 1, blocks: 1, hiddenSize: 4 });
    const long = tf.zeros([1, 5], 'int32') as tf.Tensor2D;
    expect(() => model.logits(long)).to.throw().with.property('code', 'ENGRAM_ERR_INVALID_ARGUMENT');
    model.dispose();
    expect(() => model.variables()).to.throw().with.property('code', 'ENGRAM_ERR_DISPOSED');
    long.dispose();
  });

  it('uses the Brown vocabulary by default (85 distinct characters)', () => {
    expect(new Set(BROWN_VOCABULARY).size).to.equal(85);
    const model = new Gpt({ contextLength: 4, size: 4, heads: 1, blocks: 1, hiddenSize: 4 });
    expect(model.tokenizer.decode(model.tokenizer.encode('The jury said "no".'))).to.equal('The jury said "no".');
    model.dispose();
  });

  it('shows its hook the queries memory is scored with: rotated at their positions, unrotated, or rotated by a fixed distance', () => {
    const model = new Gpt({ vocabulary: 'abcdefgh', contextLength: 8, size: 8, heads: 2, blocks: 1, hiddenSize: 8, seed: 2 });
    const tokens = tf.tensor2d([[1, 2, 3, 4, 5]], [1, 5], 'int32');
    const kept: tf.Tensor[] = [];
    const keep = (t: tf.Tensor4D): tf.Tensor4D => (kept.push(tf.keep(t.clone())), kept[kept.length - 1] as tf.Tensor4D);
    const seen = (placement: MemoryPlacement): AttentionLayerView => {
      let view: AttentionLayerView | undefined;
      const hook: AttentionHook = { placement, attend: (v) => ((view = { ...v, queries: keep(v.queries), ...(v.memoryQueries ? { memoryQueries: keep(v.memoryQueries) } : {}) }), null) };
      tf.dispose(model.logitsWithHook(tokens, hook));
      return view!;
    };
    const tables = rotaryTables(8, 4);
    const start = seen('window-start');
    // 'window-start': each query rotated at its own position.
    const own = applyRotary(start.queries, tables).dataSync();
    start.memoryQueries!.dataSync().forEach((x, i) => expect(x).to.be.closeTo(own[i]!, 1e-5));
    expect(seen('query').memoryQueries).to.equal(undefined);
    // A distance n: every query rotated by n, i.e. as the last row of a window of n + 1 positions.
    const at3 = seen(3);
    const q = start.queries.arraySync() as number[][][][];
    const m = at3.memoryQueries!.arraySync() as number[][][][];
    for (const [h, t] of [[0, 0], [1, 4]] as const) {
      const padded = tf.tensor4d([...Array.from({ length: 3 }, () => [0, 0, 0, 0]), q[0]![h]![t]!].flat(), [1, 1, 4, 4]);
      const expected = applyRotary(padded, tables).slice([0, 0, 3, 0], [1, 1, 1, 4]).dataSync();
      expected.forEach((x, i) => expect(m[0]![h]![t]![i]).to.be.closeTo(x, 1e-5));
      padded.dispose();
    }
    expect(() => model.logitsWithHook(tokens, { placement: 8, attend: () => null })).to.throw().with.property('code', 'ENGRAM_ERR_INVALID_ARGUMENT');
    tf.dispose([tables.cos, tables.sin, tables.rotateHalf]);
    tf.dispose([...kept, tokens]);
    model.dispose();
  });
});
