/**
 * The five kinds through core's model protocol: registration and typed
 * creation, config schemas, run options, streaming and clamping, saving and
 * loading, weights, disposal, coded errors (run errors as notifications), and
 * no tensor left after a run completes, is cancelled or fails.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { lastValueFrom, take, toArray, type SchedulerLike } from 'rxjs';
import { ErrorCodes, createEngram, deserializeModel, disposeState, initBackend, serializeModel, type DynamicsStep, type Engram, type Model } from '@engram/core';
import { loadModel, saveModel } from '@engram/core/node';
import sequencePlugin, { BipartiteNet, DenseNet, GpiNet, MixedNet, SeqNet, recallSequence, sequencePlugin as named, type SequenceMemory } from '../src/index.js';
import { drain, expectCode, expectRejectCode, expectStreamCode, randomSequences } from './helpers.js';

const kinds = ['sequence/seqnet', 'sequence/dense', 'sequence/gpi', 'sequence/mixed', 'sequence/bipartite'] as const;

/** One transition of any model from a cue (host copy of v). */
function oneStep(model: SequenceMemory, cue: tf.Tensor): Float32Array {
  const next = model.next(cue);
  const v = Float32Array.from(next['v']!.dataSync() as Float32Array);
  disposeState(next);
  return v;
}

/** A small instance of every kind, built directly (not through the registry). */
function smallModels(): SequenceMemory[] {
  return [
    new SeqNet({ size: 40, length: 6, seed: 1 }),
    new DenseNet({ size: 40, length: 6, separation: { kind: 'exp' }, seed: 2 }),
    new GpiNet({ size: 40, length: 6, bias: 0.7, seed: 3 }),
    new MixedNet({ size: 40, length: 6, delay: 3, seed: 4 }),
    new BipartiteNet({ size: 40, length: 6, seed: 5 }),
  ];
}

describe('@engram/sequence models (core model protocol)', function () {
  this.timeout(30000);
  let start = 0;
  let engram: Engram;
  before(async () => {
    await initBackend({ backend: 'wasm' });
    engram = await createEngram({ plugins: [sequencePlugin] });
    start = tf.memory().numTensors;
  });
  after(() => expect(tf.memory().numTensors).to.equal(start));

  describe('the plugin', () => {
    it('is the named and default export and registers the five kinds (the capacity command is in the node plugin)', () => {
      expect(named).to.equal(sequencePlugin);
      expect(engram.ids('model')).to.include.members([...kinds]);
      expect(engram.ids('command')).to.deep.equal([]);
    });

    it('creates every kind from its example: typed, runs initialState(2) for 3 steps, saves and loads with the same outputs', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'engram-seq-models-'));
      try {
        for (const id of kinds) {
          const entry = engram.find('model', id)!;
          const model = await engram.createModel(id as string, entry.example); // an id known only at run time: untyped
          try {
            expect(model.kind).to.equal(id);
            const init = model.initialState(2);
            const steps = await lastValueFrom(model.run({ initial: init, maxSteps: 3, snapshot: true }).pipe(toArray()));
            expect(steps, id).to.have.length(4);
            const paths = await saveModel(model, join(dir, id.replace('/', '-')), { engram });
            const loaded = await loadModel<Model>(engram, paths.spec);
            try {
              expect(loaded.getConfig()).to.deep.equal(model.getConfig());
              const again = await lastValueFrom(loaded.run({ initial: init, maxSteps: 3, snapshot: true }).pipe(toArray()));
              expect(again.map((e) => e.states)).to.deep.equal(steps.map((e) => e.states));
            } finally {
              loaded.dispose();
              disposeState(init);
            }
          } finally {
            model.dispose();
          }
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('createModel is typed by id (no cast) and getConfig rebuilds the same model', async () => {
      const m: DenseNet = await engram.createModel('sequence/dense', { size: 50, length: 10, separation: { kind: 'exp' }, seed: 2 });
      expect(m).to.be.instanceOf(DenseNet);
      // beta resolved to the paper's N - 1; the config is complete and round-trips
      expect(m.getConfig()).to.deep.equal({ size: 50, length: 10, sequences: 1, seed: 2, bias: 0.5, separation: { kind: 'exp', beta: 49 }, excludeSelf: true });
      const again = await engram.createModel('sequence/dense', m.getConfig());
      expect(Array.from(again.variables()['patterns']!.dataSync())).to.deep.equal(Array.from(m.variables()['patterns']!.dataSync()));
      m.dispose();
      again.dispose();
    });
  });

  describe('config schemas (ENGRAM_ERR_INVALID_CONFIG naming the key and the kind)', () => {
    const base = { size: 20, length: 4 };
    it('a typo is rejected with the nearest key', async () => {
      await expectRejectCode(engram.createModel('sequence/dense', { ...base, seperation: { kind: 'power' } } as never), ErrorCodes.INVALID_CONFIG, /unknown key 'seperation'.*sequence\/dense.*did you mean 'separation'\?/);
      await expectRejectCode(engram.createModel('sequence/seqnet', { ...base, lenght: 4 } as never), ErrorCodes.INVALID_CONFIG, /did you mean 'length'/);
      await expectRejectCode(engram.createModel('sequence/mixed', { ...base, tau: 5 } as never), ErrorCodes.INVALID_CONFIG, /unknown key 'tau'/);
      await expectRejectCode(engram.createModel('sequence/dense', { ...base, neurons: 20 } as never), ErrorCodes.INVALID_CONFIG, /unknown key 'neurons'/);
      await expectRejectCode(engram.createModel('sequence/dense', { ...base, separation: { kind: 'power', degree: 2 } } as never), ErrorCodes.INVALID_CONFIG, /unknown key 'degree'/);
      // SeqNet is F(x) = x: it takes no separation
      await expectRejectCode(engram.createModel('sequence/seqnet', { ...base, separation: { kind: 'power', n: 2 } } as never), ErrorCodes.INVALID_CONFIG, /unknown key 'separation'/);
    });

    it('wrong types, out-of-range values and missing keys are rejected for every kind', async () => {
      for (const id of kinds) {
        await expectRejectCode(engram.createModel(id, { ...base, size: 'big' } as never), ErrorCodes.INVALID_CONFIG, new RegExp(`'size' of ${id}`));
        await expectRejectCode(engram.createModel(id, { ...base, size: 1 } as never), ErrorCodes.INVALID_CONFIG, /size/);
        await expectRejectCode(engram.createModel(id, { ...base, length: 2.5 } as never), ErrorCodes.INVALID_CONFIG, /length/);
        await expectRejectCode(engram.createModel(id, { ...base, bias: 2 } as never), ErrorCodes.INVALID_CONFIG, /bias/);
        await expectRejectCode(engram.createModel(id, { length: 4 } as never), ErrorCodes.INVALID_CONFIG, /needs 'size'/);
        await expectRejectCode(engram.createModel(id, { size: 100000, length: 10000 } as never), ErrorCodes.INVALID_CONFIG, /stored entries/);
      }
      await expectRejectCode(engram.createModel('sequence/mixed', { ...base, delay: 0 }), ErrorCodes.INVALID_CONFIG, /delay/);
      await expectRejectCode(engram.createModel('sequence/mixed', { ...base, lambda: -1 }), ErrorCodes.INVALID_CONFIG, /lambda/);
      await expectRejectCode(engram.createModel('sequence/gpi', { ...base, rcond: 2 }), ErrorCodes.INVALID_CONFIG, /rcond/);
      await expectRejectCode(engram.createModel('sequence/dense', { ...base, excludeSelf: 'yes' } as never), ErrorCodes.INVALID_CONFIG, /excludeSelf/);
    });

    it("separations are core's kinds: the old names, 'lse', non-integer powers and non-separable choices are rejected", async () => {
      await expectRejectCode(engram.createModel('sequence/dense', { ...base, separation: { kind: 'polynomial' } } as never), ErrorCodes.INVALID_CONFIG, /'power', 'rectified-power', 'exp'/);
      await expectRejectCode(engram.createModel('sequence/dense', { ...base, separation: { kind: 'lse' } } as never), ErrorCodes.INVALID_CONFIG, /separation.kind/);
      await expectRejectCode(engram.createModel('sequence/dense', { ...base, separation: { kind: 'power', n: 2.5 } }), ErrorCodes.INVALID_CONFIG, /integer/);
      await expectRejectCode(engram.createModel('sequence/dense', { ...base, separation: { kind: 'power', n: 0 } }), ErrorCodes.INVALID_CONFIG, /separation.n/);
      await expectRejectCode(engram.createModel('sequence/dense', { ...base, separation: { kind: 'exp', beta: -1 } }), ErrorCodes.INVALID_CONFIG, /beta/);
      // the MixedNet's window mean is real-valued: rectified-power cannot leave neuron i out there
      await expectRejectCode(engram.createModel('sequence/mixed', { ...base, asymmetric: { kind: 'rectified-power', n: 2 } }), ErrorCodes.INVALID_CONFIG, /'asymmetric'.*rectified-power/);
      await expectRejectCode(engram.createModel('sequence/gpi', { ...base, separation: { kind: 'rectified-power', n: 2 } }), ErrorCodes.INVALID_CONFIG, /'separation'/);
      // without self-exclusion it is fine
      const ok = await engram.createModel('sequence/gpi', { ...base, excludeSelf: false, separation: { kind: 'rectified-power', n: 2 } });
      ok.dispose();
    });

    it('direct construction checks configs and given patterns the same way', () => {
      expectCode(() => new DenseNet({ size: 10, length: 3, seperation: {} } as never), ErrorCodes.INVALID_CONFIG, /did you mean 'separation'/);
      expectCode(() => SeqNet.fromPatterns([[1, 0.5, -1]]), ErrorCodes.INVALID_ARGUMENT, /\{-1, \+1\}/);
      expectCode(() => SeqNet.fromPatterns([1, -1]), ErrorCodes.INVALID_ARGUMENT, /rank 2 or 3/);
      expectCode(() => SeqNet.fromPatterns([[1], [-1]]), ErrorCodes.SHAPE_MISMATCH, /N >= 2/);
      expectCode(() => SeqNet.fromPatterns([[1, NaN]]), ErrorCodes.NON_FINITE);
      expectCode(() => new SeqNet({ size: 3, length: 2 }, [[1, -1, 1]]), ErrorCodes.SHAPE_MISMATCH, /config sequences x length x size/);
    });
  });

  describe('run (one RunOptions)', () => {
    it('takes the cue as one tensor ([N] or [B, N]) or a state record; maxSteps defaults to one period; overlaps stream', async () => {
      const net = new DenseNet({ size: 80, length: 12, separation: { kind: 'power', n: 3 }, seed: 7 });
      const cue = net.patternAt(0);
      const steps = await lastValueFrom(net.run({ initial: cue, snapshot: ['overlaps'] }).pipe(toArray()));
      expect(steps).to.have.length(13); // 12 transitions: one period
      steps.forEach((e, t) => {
        const o = e.states!['overlaps']!;
        expect(o.shape).to.deep.equal([1, 12]);
        expect(o.data[t % 12]).to.be.closeTo(1, 1e-6);
        expect(e.energy).to.equal(null); // asymmetric transitions have no energy
      });
      const lone = await lastValueFrom(net.run({ initial: Array.from(cue.dataSync()), maxSteps: 2, snapshot: ['v'] }).pipe(toArray()));
      const rec = await lastValueFrom(net.run({ initial: { v: cue }, maxSteps: 2, snapshot: ['v'] }).pipe(toArray()));
      expect(lone.map((e) => e.states)).to.deep.equal(rec.map((e) => e.states));
      const every = await lastValueFrom(net.run({ initial: cue, maxSteps: 10, every: 4 }).pipe(toArray()));
      expect(every.map((e) => e.step)).to.deep.equal([0, 4, 8, 10]);
      cue.dispose();
      net.dispose();
    });

    it('a generated state: pattern 0 (recalls the sequence), or seeded random ±1 with { seed }', async () => {
      const net = new SeqNet({ size: 100, length: 5, seed: 3 });
      const gen = net.initialState(3);
      const p0 = net.patternAt(0);
      expect(Array.from(gen['v']!.dataSync())).to.deep.equal([...Array(3)].flatMap(() => Array.from(p0.dataSync())));
      const a = net.initialState(2, { seed: 4 });
      const b = net.initialState(2, { seed: 4 });
      const vals = Array.from(a['v']!.dataSync());
      expect(vals).to.deep.equal(Array.from(b['v']!.dataSync()));
      expect(vals.every((x) => x === 1 || x === -1)).to.equal(true);
      expect(new Set(vals).size).to.equal(2);
      for (const s of [gen, a, b]) disposeState(s);
      p0.dispose();
      net.dispose();
    });

    it('tolerance stops at a fixed point (P = 1: the pattern maps onto itself)', async () => {
      const net = new DenseNet({ size: 30, length: 1, seed: 1 });
      const init = net.initialState(1);
      const steps = await lastValueFrom(net.run({ initial: init, maxSteps: 50, tolerance: 0.5 }).pipe(toArray()));
      disposeState(init);
      expect(steps.at(-1)!.converged).to.equal(true);
      expect(steps.at(-1)!.step).to.equal(1);
      net.dispose();
    });

    it('clamp (1 = held) holds entries of v, and the overlaps stay those of the held state', async () => {
      for (const net of smallModels()) {
        const n = net.size;
        const mask = Array.from({ length: n }, (_, i) => (i < n / 2 ? 1 : 0));
        const init = net.initialState(1, { seed: 9 });
        const first = Array.from(init['v']!.dataSync());
        const steps = await lastValueFrom(net.run({ initial: init, clamp: mask, maxSteps: 4, snapshot: ['v', 'overlaps'] }).pipe(toArray()));
        const xi = net.variables()['patterns']!.arraySync() as number[][][];
        for (const e of steps) {
          const v = Array.from(e.states!['v']!.data);
          for (let i = 0; i < n / 2; i++) expect(v[i], net.kind).to.equal(first[i]);
          const o = e.states!['overlaps']!.data;
          xi[0]!.forEach((pattern, mu) => expect(o[mu]).to.be.closeTo(pattern.reduce((s, x, i) => s + x * v[i]!, 0) / n, 1e-6));
        }
        const held = await lastValueFrom(net.run({ initial: init, clamp: { v: true }, maxSteps: 2, snapshot: ['v'] }).pipe(toArray()));
        for (const e of held) expect(Array.from(e.states!['v']!.data)).to.deep.equal(first);
        disposeState(init);
        net.dispose();
      }
    });

    it('S > 1: one state per stored sequence', async () => {
      const patterns = randomSequences(3, 4, 60, 2);
      const net = DenseNet.fromPatterns(patterns, { separation: { kind: 'power', n: 2 } });
      patterns.dispose();
      expect([net.sequences, net.length, net.size]).to.deep.equal([3, 4, 60]);
      expect((await recallSequence(net)).successes).to.equal(3);
      expectCode(() => net.initialState(2), ErrorCodes.INVALID_ARGUMENT, /one state per stored sequence/);
      await expectStreamCode(() => net.run({ initial: Array(60).fill(1) }), ErrorCodes.SHAPE_MISMATCH, /S = 3/);
      net.dispose();
    });
  });

  describe('bad run input is an error notification (subscribe with error only)', () => {
    it('bad cues, unknown keys, old keys and derived-layer clamps', async () => {
      const net = new SeqNet({ size: 10, length: 3, seed: 1 });
      await expectStreamCode(() => net.run({ initial: [1, -1, 1] }), ErrorCodes.SHAPE_MISMATCH, /initial\.v/);
      await expectStreamCode(() => net.run({ initial: Array(10).fill(0.3) }), ErrorCodes.INVALID_ARGUMENT, /±1/);
      await expectStreamCode(() => net.run({ initial: [...Array(9).fill(1), Number.NaN] }), ErrorCodes.NON_FINITE);
      await expectStreamCode(() => net.run({ initial: 'cue' as never }), ErrorCodes.INVALID_ARGUMENT);
      await expectStreamCode(() => net.run({ initial: { overlaps: [0, 0, 0] } }), ErrorCodes.INVALID_ARGUMENT, /layer 'v'/);
      await expectStreamCode(() => net.run({ initial: { w: Array(10).fill(1) } }), ErrorCodes.INVALID_ARGUMENT, /layer 'w'/);
      await expectStreamCode(() => net.run({ cue: Array(10).fill(1) } as never), ErrorCodes.INVALID_CONFIG, /unknown key 'cue'/);
      await expectStreamCode(() => net.run({ initial: Array(10).fill(1), maxStep: 3 } as never), ErrorCodes.INVALID_CONFIG, /did you mean 'maxSteps'/);
      await expectStreamCode(() => net.run({ initial: Array(10).fill(1), maxSteps: -1 }), ErrorCodes.INVALID_CONFIG, /maxSteps/);
      await expectStreamCode(() => net.run(undefined as never), ErrorCodes.INVALID_CONFIG, /'initial'/);
      await expectStreamCode(() => net.run({ initial: Array(10).fill(1), clamp: Array(10).fill(0.5) }), ErrorCodes.INVALID_ARGUMENT, /0 \(free\) and 1 \(held\)/);
      await expectStreamCode(() => net.run({ initial: Array(10).fill(1), clamp: { overlaps: true } }), ErrorCodes.INVALID_ARGUMENT, /only layer 'v' can be held.*derived from v/);
      const mixed = new MixedNet({ size: 10, length: 3, seed: 1 });
      await expectStreamCode(() => mixed.run({ initial: Array(10).fill(1), clamp: { history: true } }), ErrorCodes.INVALID_ARGUMENT, /'history' follows v/);
      mixed.dispose();
      net.dispose();
    });

    it('no tensor is left after a run completes, is cancelled, fails on input or fails mid-run', async () => {
      const failing: SchedulerLike = {
        now: () => 0,
        schedule: () => {
          throw new Error('scheduler failure');
        },
      } as unknown as SchedulerLike; // a stand-in scheduler whose first pause throws
      for (const m of smallModels()) {
        const cue = m.patternAt(0);
        const mask = tf.ones([1, m.size]);
        const before = tf.memory().numTensors;
        await drain(m.run({ initial: cue, maxSteps: 30, snapshot: true }));
        await drain(m.run({ initial: cue, clamp: mask, maxSteps: 5 }));
        for (let rep = 0; rep < 5; rep++) await lastValueFrom(m.run({ initial: cue, maxSteps: 1000, snapshot: true }).pipe(take(1 + rep)));
        await new Promise<void>((resolve) => {
          const sub = m.run({ initial: cue, clamp: mask, maxSteps: 100000 }).subscribe();
          setTimeout(() => {
            sub.unsubscribe();
            resolve();
          }, 5);
        });
        await expectStreamCode(() => m.run({ initial: [1, 2] }), ErrorCodes.SHAPE_MISMATCH);
        await expectStreamCode(() => m.run({ initial: cue, clamp: { overlaps: true } }), ErrorCodes.INVALID_ARGUMENT);
        const err = await new Promise<unknown>((resolve) => m.run({ initial: cue, clamp: mask, maxSteps: 10, scheduler: failing }).subscribe({ error: resolve }));
        expect((err as Error).message).to.match(/scheduler failure/);
        await recallSequence(m, { stop: 'first-failure', steps: 20 });
        expect(tf.memory().numTensors, m.kind).to.equal(before);
        cue.dispose();
        mask.dispose();
        m.dispose();
      }
    });
  });

  describe('weights and disposal', () => {
    it('variables() is a record of every persisted tensor; setWeights checks names, shapes and values, then rebuilds', () => {
      const a = new DenseNet({ size: 50, length: 6, seed: 1 });
      const b = new DenseNet({ size: 50, length: 6, seed: 2 });
      expect(Object.keys(a.variables())).to.deep.equal(['patterns']);
      expect(a.variables()['patterns']).to.be.instanceOf(tf.Variable);
      expectCode(() => a.setWeights({}), ErrorCodes.WEIGHTS_MISMATCH, /missing: patterns/);
      const wrong = tf.ones([1, 5, 50]);
      expectCode(() => a.setWeights({ patterns: wrong }), ErrorCodes.WEIGHTS_MISMATCH);
      wrong.dispose();
      const half = tf.fill([1, 6, 50], 0.5);
      expectCode(() => a.setWeights({ patterns: half }), ErrorCodes.INVALID_ARGUMENT, /patterns/);
      half.dispose();
      a.setWeights(b.variables());
      const cue = b.patternAt(2);
      expect(Array.from(oneStep(a, cue))).to.deep.equal(Array.from(oneStep(b, cue)));
      cue.dispose();
      a.dispose();
      b.dispose();
      const bi = new BipartiteNet({ size: 10, length: 3, seed: 1 });
      expect(Object.keys(bi.variables())).to.deep.equal(['patterns', 'gain']);
      const g = tf.fill([1, 3], 0.5);
      expectCode(() => bi.setWeights({ patterns: bi.variables()['patterns']!, gain: g }), ErrorCodes.INVALID_ARGUMENT, /gain/);
      g.dispose();
      bi.dispose();
    });

    it('after dispose every method fails with ENGRAM_ERR_DISPOSED (run as a notification)', async () => {
      for (const m of smallModels()) {
        m.dispose();
        m.dispose(); // twice is fine
        expect(m.isDisposed).to.equal(true);
        expectCode(() => m.patternAt(0), ErrorCodes.DISPOSED);
        expectCode(() => m.variables(), ErrorCodes.DISPOSED);
        expectCode(() => m.getConfig(), ErrorCodes.DISPOSED);
        expectCode(() => m.initialState(1), ErrorCodes.DISPOSED);
        expectCode(() => m.next([1, -1]), ErrorCodes.DISPOSED);
        expectCode(() => m.setWeights({}), ErrorCodes.DISPOSED);
        expectCode(() => m.exactTies, ErrorCodes.DISPOSED);
        await expectStreamCode(() => m.run({ initial: [1, -1] }), ErrorCodes.DISPOSED);
        await expectRejectCode(recallSequence(m), ErrorCodes.DISPOSED);
        if (m instanceof BipartiteNet) expectCode(() => m.silence(0), ErrorCodes.DISPOSED);
        if (m instanceof GpiNet) expectCode(() => m.ranks, ErrorCodes.DISPOSED);
      }
    });

    it('the conveniences check their input: overlaps, hidden, next', () => {
      const net = new DenseNet({ size: 10, length: 3, seed: 1 });
      const bi = new BipartiteNet({ size: 10, length: 3, seed: 1 });
      expectCode(() => net.overlaps([1, -1]), ErrorCodes.SHAPE_MISMATCH, /\bv\b/);
      expectCode(() => net.overlaps(Array(10).fill(Number.NaN)), ErrorCodes.NON_FINITE);
      expectCode(() => bi.hidden('x' as never), ErrorCodes.INVALID_ARGUMENT);
      expectCode(() => net.next([[1, -1]]), ErrorCodes.SHAPE_MISMATCH);
      expectCode(() => net.next(Array(10).fill(2)), ErrorCodes.INVALID_ARGUMENT, /±1/);
      const m = net.overlaps(Array(10).fill(1));
      expect(m.shape).to.deep.equal([1, 3]);
      m.dispose();
      net.dispose();
      bi.dispose();
    });

    it('recallSequence rejects bad options with coded errors', async () => {
      const net = new SeqNet({ size: 10, length: 3, seed: 1 });
      await expectRejectCode(recallSequence(net, { hold: 0 }), ErrorCodes.INVALID_ARGUMENT, /hold/);
      await expectRejectCode(recallSequence(net, { start: 0.5 }), ErrorCodes.INVALID_ARGUMENT, /start/);
      await expectRejectCode(recallSequence(net, { stop: 'sometimes' as never }), ErrorCodes.INVALID_ARGUMENT, /stop/);
      expectCode(() => net.patternAt(0.5), ErrorCodes.INVALID_ARGUMENT);
      net.dispose();
    });
  });

  describe('the MixedNet window and the bipartite form', () => {
    it('initialStateWithPast fills the window; a generated state starts with pattern P - 1 in it', () => {
      const net = new MixedNet({ size: 20, length: 4, delay: 3, seed: 2 });
      const gen = net.initialState(1);
      const last = net.patternAt(-1);
      const first = net.patternAt(0);
      const window = gen['history']!.arraySync() as number[][][];
      expect(window[0]![0]).to.deep.equal(Array.from(last.dataSync()));
      expect(window[0]![1]).to.deep.equal(Array.from(last.dataSync()));
      expect(window[0]![2]).to.deep.equal(Array.from(first.dataSync()));
      const empty = net.initialState(first);
      expect((empty['history']!.arraySync() as number[][][])[0]![0]!.every((x) => x === 0)).to.equal(true);
      const two = tf.tile(first, [2, 1]);
      expectCode(() => net.initialStateWithPast(two, last), ErrorCodes.SHAPE_MISMATCH, /previous/);
      expectCode(() => net.initialStateWithPast(first, [0.5]), ErrorCodes.SHAPE_MISMATCH);
      for (const s of [gen, empty]) disposeState(s);
      for (const t of [last, first, two]) t.dispose();
      net.dispose();
    });

    it('silencing hidden unit k removes exactly the transition xi^k -> xi^(k+1); the gain saves and loads', async () => {
      const p = 12;
      const net = new BipartiteNet({ size: 100, length: p, separation: { kind: 'power', n: 3 }, seed: 11 });
      const correct = (m: BipartiteNet, k: number): boolean => {
        const cue = m.patternAt(k);
        const want = m.patternAt(k + 1);
        const ok = Array.from(oneStep(m, cue)).every((x, i) => x === want.dataSync()[i]);
        cue.dispose();
        want.dispose();
        return ok;
      };
      const all = Array.from({ length: p }, (_, k) => k);
      expect(all.every((k) => correct(net, k))).to.equal(true);
      net.silence(5);
      expect(all.filter((k) => !correct(net, k))).to.deep.equal([5]);
      const loaded = await deserializeModel<BipartiteNet>(engram, serializeModel(net, { engram }));
      expect(all.filter((k) => !correct(loaded, k))).to.deep.equal([5]);
      net.restore(5);
      expect(all.every((k) => correct(net, k))).to.equal(true);
      expectCode(() => net.silence(p), ErrorCodes.INVALID_ARGUMENT, /hidden unit/);
      net.dispose();
      loaded.dispose();
    });

    it('equals the DenseNet rule without self-exclusion (power and exp)', () => {
      const patterns = randomSequences(1, 15, 70, 12);
      for (const separation of [{ kind: 'power', n: 2 }, { kind: 'exp' }] as const) {
        const bi = BipartiteNet.fromPatterns(patterns, { separation });
        const dn = DenseNet.fromPatterns(patterns, { separation, excludeSelf: false });
        const cue = tf.tidy(() => tf.sign(tf.randomUniform([4, 70], -1, 1, 'float32', 5)));
        expect(Array.from(oneStep(bi, cue))).to.deep.equal(Array.from(oneStep(dn, cue)));
        const h = bi.initialState(cue);
        const m = dn.overlaps(cue);
        expect(Array.from(h['overlaps']!.dataSync())).to.deep.equal(Array.from(m.dataSync()));
        disposeState(h);
        for (const t of [cue, m]) t.dispose();
        bi.dispose();
        dn.dispose();
      }
      patterns.dispose();
    });

    it('the events of a run are the same through the registry and direct construction', async () => {
      const direct = new GpiNet({ size: 30, length: 5, bias: 0.7, separation: { kind: 'power', n: 2 }, seed: 4 });
      const viaRegistry = await engram.createModel('sequence/gpi', { size: 30, length: 5, bias: 0.7, separation: { kind: 'power', n: 2 }, seed: 4 });
      const run = async (m: Model): Promise<DynamicsStep[]> => {
        const init = m.initialState(1);
        try {
          return await lastValueFrom(m.run({ initial: init, snapshot: true }).pipe(toArray()));
        } finally {
          disposeState(init);
        }
      };
      expect((await run(viaRegistry)).map((e) => e.states)).to.deep.equal((await run(direct)).map((e) => e.states));
      expect(direct.ranks).to.deep.equal([5]);
      direct.dispose();
      viaRegistry.dispose();
    });
  });
});
