import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { gradCheckArgs, gradCheckVariables, gradGradCheckArgs, initBackend } from '@engram/core';
import { applyRotary, attention, causalMask, crossEntropy, gelu, Gpt, layerNorm, rotateBefore, rotaryTables, smearKeys } from '../src/index.js';

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`numerical primitives: finite-difference gradient checks (${backend})`, () => {
    before(async () => {
      await initBackend({ backend });
    });
    const opts = { eps: 1e-2, tolerance: 2e-2, seed: 1 };

    it('layerNorm w.r.t. input, gain and bias', () => {
      const r = gradCheckArgs((x, g, b) => tf.sum(tf.mul(layerNorm(x, g, b), tf.range(0, 12).reshape([3, 4]))), [tf.randomNormal([3, 4], 0, 1, 'float32', 2), tf.randomNormal([4], 1, 0.1, 'float32', 3), tf.randomNormal([4], 0, 0.1, 'float32', 4)], opts);
      expect(r.ok, r.summary).to.equal(true);
    });

    it('gelu', () => {
      const r = gradCheckArgs((x) => tf.sum(tf.mul(gelu(x), x)), [tf.randomNormal([10], 0, 2, 'float32', 5)], opts);
      expect(r.ok, r.summary).to.equal(true);
    });

    it('rotary positions (and they preserve norms and relative dot products)', () => {
      const tables = rotaryTables(6, 4);
      const x = tf.randomNormal([1, 2, 6, 4], 0, 1, 'float32', 6);
      const r = gradCheckArgs((a) => tf.sum(tf.square(tf.sub(applyRotary(a, tables), 0.3))), [x], opts);
      expect(r.ok, r.summary).to.equal(true);
      const normsBefore = tf.norm(x, 'euclidean', -1).dataSync();
      const normsAfter = tf.norm(applyRotary(x, tables), 'euclidean', -1).dataSync();
      normsBefore.forEach((n, i) => expect(normsAfter[i]).to.be.closeTo(n, 1e-4));
      // The same q and k at positions (1, 0) and (5, 4) give the same score: only the distance counts.
      const q = tf.randomNormal([1, 1, 1, 4], 0, 1, 'float32', 7);
      const k = tf.randomNormal([1, 1, 1, 4], 0, 1, 'float32', 8);
      const at = (t: tf.Tensor, p: number): tf.Tensor => applyRotary(tf.concat(Array.from({ length: 6 }, () => t), 2), tables).slice([0, 0, p, 0], [1, 1, 1, 4]);
      const s1 = tf.sum(tf.mul(at(q, 1), at(k, 0))).dataSync()[0]!;
      const s2 = tf.sum(tf.mul(at(q, 5), at(k, 4))).dataSync()[0]!;
      expect(s2).to.be.closeTo(s1, 1e-4);
      tf.dispose([tables.cos, tables.sin, tables.rotateHalf]);
    });

    it('smeared keys w.r.t. keys and mixing logits, first and second order; the first token keeps only its own share', () => {
      const keys = tf.randomNormal([1, 2, 4, 3], 0, 1, 'float32', 40);
      const logits = tf.tensor4d([0.3, -0.5], [1, 2, 1, 1]);
      const w = tf.randomNormal([1, 2, 4, 3], 0, 1, 'float32', 41);
      const f = (k: tf.Tensor, s: tf.Tensor): tf.Scalar => tf.sum(tf.mul(tf.square(smearKeys(k as tf.Tensor4D, s)), w));
      const r = gradCheckArgs(f, [keys, logits], opts);
      expect(r.ok, r.summary).to.equal(true);
      const r2 = gradGradCheckArgs(f, [keys, logits], opts);
      expect(r2.ok, r2.summary).to.equal(true);
      const out = smearKeys(keys as tf.Tensor4D, logits).arraySync();
      const k = keys.arraySync() as number[][][][];
      const own = 1 / (1 + Math.exp(-0.3));
      k[0]![0]![0]!.forEach((x, i) => expect(out[0]![0]![0]![i]).to.be.closeTo(own * x, 1e-6));
      k[0]![0]![2]!.forEach((x, i) => expect(out[0]![0]![2]![i]).to.be.closeTo(own * x + (1 - own) * k[0]![0]![1]![i]!, 1e-6));
      tf.dispose([keys, logits, w]);
    });

    it('rotateBefore puts a key n tokens before the window: a query at p scores it as a key p + n back', () => {
      const d = 4;
      const tables = rotaryTables(12, d);
      const q = tf.randomNormal([1, 1, 1, d], 0, 1, 'float32', 60);
      const k = tf.randomNormal([1, 1, 1, d], 0, 1, 'float32', 61);
      // Row m of a window holding x at position m is x rotated at m.
      const at = (x: tf.Tensor, m: number): tf.Tensor => applyRotary(tf.concat([tf.zeros([1, 1, m, d]), x], 2), tables).slice([0, 0, m, 0], [1, 1, 1, d]);
      for (const [p, n] of [[0, 3], [2, 5], [6, 4]] as const) {
        const viaMemory = tf.sum(tf.mul(at(q, p), rotateBefore(k as tf.Tensor4D, Float32Array.of(n), tables))).dataSync()[0]!;
        const local = tf.sum(tf.mul(at(q, p + n), at(k, 0))).dataSync()[0]!;
        expect(viaMemory).to.be.closeTo(local, 1e-4);
      }
      tf.dispose([tables.cos, tables.sin, tables.rotateHalf]);
      tf.dispose([q, k]);
    });

    it('rotateBefore w.r.t. the keys, first and second order; distances not one per key are a coded error', () => {
      const tables = rotaryTables(4, 4);
      const keys = tf.randomNormal([1, 2, 3, 4], 0, 1, 'float32', 62);
      const w = tf.randomNormal([1, 2, 3, 4], 0, 1, 'float32', 63);
      const distances = Float32Array.of(1, 5, 200, 0, 7, 130);
      const f = (k: tf.Tensor): tf.Scalar => tf.sum(tf.mul(tf.square(rotateBefore(k as tf.Tensor4D, distances, tables)), w));
      const r = gradCheckArgs(f, [keys], opts);
      expect(r.ok, r.summary).to.equal(true);
      const r2 = gradGradCheckArgs(f, [keys], opts);
      expect(r2.ok, r2.summary).to.equal(true);
      expect(() => rotateBefore(keys as tf.Tensor4D, Float32Array.of(1, 2), tables)).to.throw(/one per key/).with.property('code', 'ENGRAM_ERR_INVALID_ARGUMENT');
      tf.dispose([tables.cos, tables.sin, tables.rotateHalf, keys, w]);
    });

    it('attention with memory entries, w.r.t. queries, keys, values, memory keys and memory values', () => {
      const visible = tf.tensor4d([1, 0, 1, 1, 0, 1, 1, 1, 1, 0, 0, 1], [1, 1, 4, 3]);
      const mask = causalMask(4);
      const w = tf.randomNormal([1, 2, 4, 3], 0, 1, 'float32', 9);
      const f = (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, mk: tf.Tensor, mv: tf.Tensor): tf.Scalar => tf.sum(tf.mul(attention(q, k, v, mask, { queries: q, keys: mk, values: mv, visible }), w));
      const r = gradCheckArgs(f, [0, 1, 2, 3, 4].map((i) => tf.randomNormal([1, 2, i < 3 ? 4 : 3, 3], 0, 1, 'float32', 10 + i)), opts);
      expect(r.ok, r.summary).to.equal(true);
    });

    it('attention with no visible memory equals plain causal attention; hidden entries get no gradient', () => {
      const [q, k, v, mk, mv] = [0, 1, 2, 3, 4].map((i) => tf.randomNormal([1, 2, 4, 3], 0, 1, 'float32', 20 + i)) as tf.Tensor[];
      const none = tf.zeros([1, 1, 4, 4]);
      const plain = attention(q!, k!, v!, causalMask(4)).dataSync();
      const withHidden = attention(q!, k!, v!, causalMask(4), { queries: q!, keys: mk!, values: mv!, visible: none }).dataSync();
      plain.forEach((x, i) => expect(withHidden[i]).to.be.closeTo(x, 1e-6));
      const g = tf.grad((m: tf.Tensor) => tf.sum(attention(q!, k!, v!, causalMask(4), { queries: q!, keys: mk!, values: m, visible: none })))(mv!);
      expect(tf.max(tf.abs(g)).dataSync()[0]).to.equal(0);
    });

    it('a memory score bias shifts every memory entry in the shared softmax: very negative leaves local attention only', () => {
      const [q, k, v, mk, mv] = [0, 1, 2, 3, 4].map((i) => tf.randomNormal([1, 2, 4, 3], 0, 1, 'float32', 50 + i)) as tf.Tensor[];
      const visible = tf.ones([1, 1, 4, 4]);
      const plain = attention(q!, k!, v!, causalMask(4)).dataSync();
      const far = attention(q!, k!, v!, causalMask(4), { queries: q!, keys: mk!, values: mv!, visible, bias: -1e4 }).dataSync();
      plain.forEach((x, i) => expect(far[i]).to.be.closeTo(x, 1e-6));
      // A positive bias moves weight onto the memory entries: the output changes.
      const none = attention(q!, k!, v!, causalMask(4), { queries: q!, keys: mk!, values: mv!, visible }).dataSync();
      const near = attention(q!, k!, v!, causalMask(4), { queries: q!, keys: mk!, values: mv!, visible, bias: 2 }).dataSync();
      expect(Math.max(...Array.from(near, (x, i) => Math.abs(x - none[i]!)))).to.be.above(1e-3);
      const r = gradCheckArgs((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(attention(a, k!, v!, causalMask(4), { queries: a, keys: b, values: mv!, visible, bias: -1.5 }), v!)), [q!, mk!], opts);
      expect(r.ok, r.summary).to.equal(true);
    });

    it('a per-entry memory bias: all equal is the scalar bias; w.r.t. queries and memory keys, first and second order', () => {
      const [q, k, v, mk, mv] = [0, 1, 2, 3, 4].map((i) => tf.randomNormal([1, 2, 4, 3], 0, 1, 'float32', 60 + i)) as tf.Tensor[];
      const visible = tf.ones([1, 1, 4, 4]);
      const memory = (b: tf.Tensor, bias: number | Float32Array) => ({ queries: q!, keys: b, values: mv!, visible, bias });
      const scalar = attention(q!, k!, v!, causalMask(4), memory(mk!, -1.5)).dataSync();
      const each = attention(q!, k!, v!, causalMask(4), memory(mk!, new Float32Array(4).fill(-1.5))).dataSync();
      scalar.forEach((x, i) => expect(each[i]).to.be.closeTo(x, 1e-6));
      // Far entries very negative: as if only the near ones were there.
      const halves = attention(q!, k!, v!, causalMask(4), memory(mk!, Float32Array.of(0, 0, -1e4, -1e4))).dataSync();
      const near = attention(q!, k!, v!, causalMask(4), { queries: q!, keys: tf.slice(mk!, [0, 0, 0, 0], [1, 2, 2, 3]), values: tf.slice(mv!, [0, 0, 0, 0], [1, 2, 2, 3]), visible: tf.ones([1, 1, 4, 2]) }).dataSync();
      near.forEach((x, i) => expect(halves[i]).to.be.closeTo(x, 1e-5));
      const bias = Float32Array.of(0.5, -1, 0, -2);
      const f = (a: tf.Tensor, b: tf.Tensor): tf.Tensor => tf.sum(tf.mul(attention(a, k!, v!, causalMask(4), { queries: a, keys: b, values: mv!, visible, bias }), v!));
      const r = gradCheckArgs(f, [q!, mk!], opts);
      expect(r.ok, r.summary).to.equal(true);
      const r2 = gradGradCheckArgs(f, [q!, mk!], opts);
      expect(r2.ok, r2.summary).to.equal(true);
    });

    it('cross-entropy', () => {
      const targets = tf.tensor1d([0, 2, 1], 'int32');
      const r = gradCheckArgs((l) => crossEntropy(l as tf.Tensor2D, targets), [tf.randomNormal([3, 4], 0, 1, 'float32', 30)], opts);
      expect(r.ok, r.summary).to.equal(true);
    });

    it('the GPT training loss w.r.t. its weights (rotary and learned positions, smeared keys)', () => {
      for (const [positions, smear] of [['rotary', false], ['learned', false], ['rotary', true]] as const) {
        const model = new Gpt({ vocabulary: 'abcdef', contextLength: 6, size: 8, heads: 2, blocks: 2, hiddenSize: 12, positions, smearKeys: smear, seed: 4 });
        const windows = tf.tensor2d([[0, 1, 2, 3, 4, 5, 0], [5, 4, 3, 2, 1, 0, 1]], [2, 7]);
        const vars = model.variables();
        const pick = Object.fromEntries(['embedding', 'block0.attention.qkv', 'block1.mlp.in', 'block1.ln2.gamma', positions === 'learned' ? 'position' : smear ? 'block1.attention.smear' : 'block0.attention.out'].map((k) => [k, vars[k]!]));
        // Whole-model float32 check: eps small enough for the layer norms over 0.02-scale weights; central differences of
        // f ~ 1.8 carry ~2e-4 of round-off, so derivatives are compared against a floor of 1e-2 (the largest are ~0.1).
        const r = gradCheckVariables(() => model.loss(windows), pick, { ...opts, eps: 3e-3, floor: 1e-2, coordinates: 6, directions: 1 });
        expect(r.ok, `${positions}${smear ? ', smeared keys' : ''}: ${r.summary}`).to.equal(true);
        model.dispose();
      }
    });
  });
}
