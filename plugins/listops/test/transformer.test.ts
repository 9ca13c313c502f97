import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray, take } from 'rxjs';
import { createEngram, ErrorCodes, gradCheckVariables, initBackend, trainModel } from '@engram/core';
import { loadModel, saveModel } from '@engram/core/node';
import {
  countParameters,
  decodeChainOfThought,
  distinctExamples,
  encodeExamples,
  forwardLogits,
  ListOpsTransformer,
  listOpsPlugin,
  parameterSpecs,
  valueTokenId,
} from '../src/node/index.js';
import { block, classify, embed, readoutSelector } from '../src/models/forward.js';
import { expectCode, expectRejects } from './helpers.js';

const maxAbsDiff = (a: tf.Tensor, b: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);

const tiny = { width: 4, layers: 2, heads: 2, ffn: 2, generator: { maxDepth: 1, maxArgs: 3 } } as const;

describe('listops/transformer', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('counts its parameters: the sum of its variables, and the closed form of a 1-layer model', () => {
    const m = new ListOpsTransformer({ width: 8, layers: 1, ffn: 4, generator: { maxDepth: 2, maxArgs: 3 } });
    const sizes = Object.values(m.variables()).reduce((n, v) => n + v.size, 0);
    expect(m.parameterCount).to.equal(sizes);
    const { vocab, seqLen, classes } = m.shape;
    expect([vocab, seqLen, classes]).to.deep.equal([31, 29, 10]);
    const d = 8;
    const closed = vocab * d + seqLen * d + (2 * d + 3 * d * d + 3 * d + d * d + d) + (2 * d + d * 4 * d + 4 * d + 4 * d * d + d) + 2 * d + d * classes + classes;
    expect(m.parameterCount).to.equal(closed);
    expect(countParameters(m.config, m.shape)).to.equal(closed);
    const noFfn = new ListOpsTransformer({ width: 8, ffn: 0, generator: { maxDepth: 2, maxArgs: 3 } });
    expect(parameterSpecs(noFfn.config, noFfn.shape).some((s) => s.name.includes('ffn'))).to.equal(false);
    expect(noFfn.parameterCount).to.equal(closed - (2 * d + d * 4 * d + 4 * d + 4 * d * d + d));
    m.dispose();
    noFfn.dispose();
  });

  it('gives the same answer logits through the readout-only path and the full layer-by-layer pass', () => {
    for (const readout of ['last', 'cls'] as const) {
      const m = new ListOpsTransformer({ ...tiny, format: 'answer', readout, seed: 3, initStd: 0.5 });
      const e = m.encode(distinctExamples(m.shape.generator, 12, 1));
      const tokens = tf.tensor2d(e.tokens, [e.count, e.seqLen], 'int32');
      const fast = m.logits(tokens);
      const slow = tf.tidy(() => {
        let x = embed(m.variables(), tokens);
        for (let l = 0; l < m.config.layers; l++) x = block(m.variables(), l, x, tokens, m.config, m.shape);
        return classify(m.variables(), tf.sum(tf.mul(x, tf.expandDims(readoutSelector(tokens, readout), 2)), 1) as tf.Tensor2D);
      });
      expect(maxAbsDiff(fast, slow)).to.be.below(1e-4);
      tf.dispose([tokens, fast, slow]);
      m.dispose();
    }
  });

  for (const backend of ['cpu', 'wasm'] as const) {
    it(`passes finite-difference gradient checks of both losses on ${backend}`, async () => {
      await initBackend({ backend });
      try {
        for (const format of ['cot', 'answer'] as const) {
          const m = new ListOpsTransformer({ ...tiny, format, seed: 1, initStd: 0.4 });
          const e = m.encode(distinctExamples(m.shape.generator, 6, 2));
          const batch = {
            tokens: tf.tensor2d(e.tokens, [e.count, e.seqLen], 'int32'),
            labels: tf.tensor1d(e.labels, 'int32'),
            ...(e.targets ? { targets: tf.tensor2d(e.targets, [e.count, e.seqLen], 'int32') } : {}),
          };
          const r = gradCheckVariables(() => m.loss(batch), m.variables(), { eps: 3e-3, coordinates: 4, directions: 1, tolerance: 2e-2, seed: 5 });
          expect(r.ok, `${format} on ${backend}: ${r.summary}`).to.equal(true);
          tf.dispose(Object.values(batch));
          m.dispose();
        }
      } finally {
        await initBackend({ backend: 'wasm' });
      }
    });
  }

  it('decodes the chain of thought greedily: an oracle scores 1, a model that is wrong once carries its mistake', () => {
    const m = new ListOpsTransformer({ ...tiny });
    const data = encodeExamples(distinctExamples(m.shape.generator, 20, 4), m.shape.seqLen, 'cot');
    const oracle = (tokens: tf.Tensor2D): tf.Tensor2D => tf.tensor2d(Int32Array.from(data.targets!, (t) => Math.max(t, 0)), tokens.shape, 'int32');
    expect(decodeChainOfThought(data, oracle)).to.include({ accuracy: 1, stepAccuracy: 1 });
    // A history-dependent SUM solver, wrong at the first slot: its error carries on, so no answer is right,
    // while teacher forcing (true history) only sees the first slot wrong.
    const sums = encodeExamples(distinctExamples({ ops: ['SUM'], maxDepth: 1, maxArgs: 3 }, 20, 4), m.shape.seqLen, 'cot');
    const solver = (tokens: tf.Tensor2D): tf.Tensor2D => {
      const rows = tokens.arraySync() as number[][];
      return tf.tensor2d(
        rows.map((row) =>
          row.map((id, j) => {
            const digit = id - 3; // digit ids are 3..12
            let prev = 0;
            for (let i = j - 1; i >= 0; i--) if (row[i]! >= valueTokenId(0)) (prev = row[i]! - valueTokenId(0)), (i = -1);
            return (prev + digit + (j === 1 ? 1 : 0) + 100) % 10;
          }),
        ),
        tokens.shape,
        'int32',
      );
    };
    const r = decodeChainOfThought(sums, solver);
    expect(r.accuracy).to.equal(0);
    expect(r.stepAccuracy).to.be.within(0.3, 0.75);
    expect(valueTokenId(3)).to.equal(m.shape.vocab - m.shape.classes + 3);
    m.dispose();
  });

  it('streams the forward pass layer by layer through run(), ending in the logits of the next value', async () => {
    const m = new ListOpsTransformer({ ...tiny, format: 'answer' });
    const start = tf.memory().numTensors;
    const initial = m.initialState(3, { seed: 2 });
    let final: Record<string, tf.Tensor> | undefined;
    const steps = await lastValueFrom(m.run({ initial, snapshot: ['logits'], onFinal: (s) => (final = s) }).pipe(toArray()));
    expect(steps.map((s) => s.step)).to.deep.equal([0, 1, 2, 3, 4]);
    const ids = initial.tokens!.toInt() as tf.Tensor2D;
    const direct = m.logits(ids);
    expect(maxAbsDiff(direct, final!.logits!)).to.be.below(1e-4);
    tf.dispose([ids, direct, ...Object.values(final!), ...Object.values(initial)]);
    // Cancelling frees everything.
    const again = m.initialState(3);
    await lastValueFrom(m.run({ initial: again }).pipe(take(2)));
    tf.dispose(Object.values(again));
    expect(tf.memory().numTensors).to.equal(start);
    m.dispose();
  });

  it('works through the registry: created from its example, run for 3 steps, saved and loaded, trained one epoch', async () => {
    const engram = await createEngram({ plugins: [listOpsPlugin] });
    const example = { width: 8, layers: 1, generator: { maxDepth: 1, maxArgs: 3 } };
    const m = await engram.createModel('listops/transformer', example);
    const initial = m.initialState(2);
    const steps = await lastValueFrom(m.run({ initial, maxSteps: 3 }).pipe(toArray()));
    expect(steps[steps.length - 1]!.step).to.equal(3);
    const dir = mkdtempSync(join(tmpdir(), 'listops-'));
    try {
      await saveModel(m, join(dir, 'model.json'), { engram });
      const loaded = await loadModel<ListOpsTransformer>(engram, join(dir, 'model.json'));
      const tokens = initial.tokens!.toInt() as tf.Tensor2D;
      const a = m.logits(tokens);
      const b = loaded.logits(tokens);
      expect(maxAbsDiff(a, b)).to.equal(0);
      tf.dispose([tokens, a, b]);
      loaded.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    tf.dispose(Object.values(initial));
    const before = tf.memory().numTensors;
    const events = await lastValueFrom(trainModel(m, { engram, settings: { limit: 16, batchSize: 8, epochs: 1 } }).pipe(toArray()));
    expect(events.filter((e) => e.type === 'batch').length).to.equal(2);
    expect(events[events.length - 1]!.metrics!.heldOutAccuracy).to.be.within(0, 1);
    expect(tf.memory().numTensors).to.equal(before);
    m.dispose();
  });

  it('rejects bad configs, tokens and use after dispose with coded errors', async () => {
    expectCode(() => new ListOpsTransformer({ width: 6, heads: 4 }), ErrorCodes.INVALID_ARGUMENT, /multiple of heads/);
    expectCode(() => new ListOpsTransformer({ widht: 8 } as never), ErrorCodes.INVALID_CONFIG, /did you mean 'width'/);
    expectCode(() => new ListOpsTransformer({ layers: 0 }), ErrorCodes.INVALID_CONFIG, /layers/);
    const m = new ListOpsTransformer({ ...tiny });
    const bad = tf.fill([1, m.shape.seqLen], 99, 'int32') as tf.Tensor2D;
    expectCode(() => m.logits(bad), ErrorCodes.INVALID_ARGUMENT, /token ids must be integers in 0\.\./);
    expectCode(() => m.logits(tf.zeros([1, 3], 'int32') as tf.Tensor2D), ErrorCodes.SHAPE_MISMATCH);
    await expectRejects(lastValueFrom(m.run({ initial: { tokens: [[1.5, ...new Array(m.shape.seqLen - 1).fill(0)]] } })), ErrorCodes.INVALID_ARGUMENT, /integers/);
    bad.dispose();
    m.dispose();
    expectCode(() => m.variables(), ErrorCodes.DISPOSED);
    expectCode(() => m.accuracy([]), ErrorCodes.DISPOSED);
    expect(() => forwardLogits).to.not.throw();
  });
});
