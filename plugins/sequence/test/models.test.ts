import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { lastValueFrom, take, toArray } from 'rxjs';
import { EngramError, ErrorCodes, createEngram, deserializeModel, initBackend, serializeModel, type EngramModel } from '@engram/core';
import sequencePlugin, {
  BipartiteSequenceNet,
  MixedNet,
  SequenceNetwork,
  bipartiteNet,
  denseNet,
  gpiNet,
  mixedNet,
  recallSequence,
  seqNet,
  type SequenceMemoryBase,
} from '../src/index.js';
import { randomSequences } from './helpers.js';

/** One transition of any model from a state built from `cue` (host copy of v). */
function oneStep(model: SequenceMemoryBase, cue: tf.Tensor): Float32Array {
  const s = model.initialState(cue);
  const next = model.system().step(s, { step: 0, t: 0, dt: 1 }).next;
  const v = next['v']!.dataSync() as Float32Array;
  for (const t of [...Object.values(s), ...Object.values(next)]) t.dispose();
  return v;
}

describe('@engram/sequence models', function () {
  this.timeout(30000);
  let start = 0;
  before(async () => {
    await initBackend({ backend: 'wasm' });
    start = tf.memory().numTensors;
  });
  after(() => expect(tf.memory().numTensors).to.equal(start));

  describe('the plugin', () => {
    it('registers the five models and the capacity command under the sequence namespace', async () => {
      const engram = await createEngram({ plugins: [sequencePlugin] });
      expect(engram.ids('model')).to.include.members(['sequence/seqnet', 'sequence/dense', 'sequence/gpi', 'sequence/mixed', 'sequence/bipartite']);
      expect(engram.ids('command')).to.include('sequence/capacity');
      const m = await engram.createModel<SequenceNetwork>('sequence/dense', { neurons: 50, length: 10, separation: { kind: 'exponential' }, seed: 2 });
      expect(m).to.be.instanceOf(SequenceNetwork);
      expect(m.getConfig()).to.deep.equal({ neurons: 50, length: 10, sequences: 1, separation: { kind: 'exponential' }, excludeSelf: true });
      m.dispose();
      await expectReject(engram.createModel('sequence/dense', { neurons: 50, length: 10, separation: { kind: 'cubic' } }), /polynomial/);
    });
  });

  describe('JSON spec + weights round trip through the core serialization', () => {
    const cases: Array<[string, () => SequenceMemoryBase]> = [
      ['sequence/seqnet', () => seqNet({ neurons: 60, length: 5, seed: 1 })],
      ['sequence/dense', () => denseNet({ neurons: 60, length: 20, separation: { kind: 'exponential' }, seed: 2 })],
      ['sequence/gpi', () => gpiNet({ neurons: 60, length: 12, bias: 0.75, separation: { kind: 'polynomial', degree: 2 }, seed: 3 })],
      ['sequence/mixed', () => mixedNet({ neurons: 60, length: 8, tau: 3, lambda: 2, symmetric: { kind: 'polynomial', degree: 4 }, asymmetric: { kind: 'exponential' }, seed: 4 })],
      ['sequence/bipartite', () => {
        const b = bipartiteNet({ neurons: 60, length: 10, separation: { kind: 'polynomial', degree: 3 }, seed: 5 });
        b.silence(3);
        return b;
      }],
    ];
    for (const [kind, make] of cases) {
      it(kind, async () => {
        const engram = await createEngram({ plugins: [sequencePlugin] });
        const model = make();
        const artifacts = serializeModel(model, { engram });
        expect(artifacts.spec.kind).to.equal(kind);
        // through JSON text, as a file would be
        const spec = JSON.parse(JSON.stringify(artifacts.spec));
        const fresh = await createEngram({ plugins: [sequencePlugin] });
        const loaded = await deserializeModel<SequenceMemoryBase & EngramModel>(fresh, { spec, weights: artifacts.weights });
        try {
          expect(loaded.kind).to.equal(kind);
          expect(loaded.getConfig()).to.deep.equal(model.getConfig());
          const a = model.getPatterns();
          const b = loaded.getPatterns();
          expect(Array.from(b.dataSync())).to.deep.equal(Array.from(a.dataSync()));
          a.dispose();
          b.dispose();
          for (const k of [0, 3, 4]) {
            const cue = model.patternAt(k);
            expect(Array.from(oneStep(loaded, cue))).to.deep.equal(Array.from(oneStep(model, cue)));
            cue.dispose();
          }
        } finally {
          model.dispose();
          loaded.dispose();
        }
      });
    }
  });

  describe('streaming through the core engine', () => {
    it('every step carries the overlaps [B, P]; the active element advances by one per step', async () => {
      const net = denseNet({ neurons: 80, length: 12, separation: { kind: 'polynomial', degree: 3 }, seed: 7 });
      const cue = net.patternAt(0);
      const steps = await lastValueFrom(net.run({ cue, maxSteps: 12, snapshot: ['overlaps'] }).pipe(toArray()));
      cue.dispose();
      expect(steps).to.have.length(13);
      steps.forEach((e, t) => {
        const o = e.states!['overlaps']!;
        expect(o.shape).to.deep.equal([1, 12]);
        expect(o.data[t % 12]).to.be.closeTo(1, 1e-6);
        expect(e.energy).to.equal(null);
      });
      expect(steps[12]!.done).to.equal(true);
      net.dispose();
    });

    it('cancelling runs (take, unsubscribe mid-run, early stop in recall) leaves no tensor behind', async () => {
      const models: SequenceMemoryBase[] = [
        seqNet({ neurons: 40, length: 6, seed: 1 }),
        gpiNet({ neurons: 40, length: 6, seed: 2 }),
        mixedNet({ neurons: 40, length: 6, tau: 3, seed: 3 }),
        bipartiteNet({ neurons: 40, length: 6, seed: 4 }),
      ];
      const before = tf.memory().numTensors;
      for (const m of models) {
        const cue = m.patternAt(0);
        for (let rep = 0; rep < 20; rep++) {
          await lastValueFrom(m.run({ cue, maxSteps: 1000, snapshot: true }).pipe(take(1 + (rep % 7))));
        }
        await new Promise<void>((resolve) => {
          const sub = m.run({ cue, maxSteps: 1000 }).subscribe();
          setTimeout(() => {
            sub.unsubscribe();
            resolve();
          }, 5);
        });
        await lastValueFrom(m.run({ cue, maxSteps: 30 }));
        await recallSequence(m, { stop: 'first-failure', steps: 50 });
        cue.dispose();
        expect(tf.memory().numTensors, m.kind).to.equal(before);
      }
      for (const m of models) m.dispose();
    });
  });

  describe('the bipartite form', () => {
    it('silencing hidden unit k removes exactly the transition xi^k -> xi^(k+1)', () => {
      const p = 12;
      const net = bipartiteNet({ neurons: 100, length: p, separation: { kind: 'polynomial', degree: 3 }, seed: 11 });
      const correct = (k: number): boolean => {
        const cue = net.patternAt(k);
        const want = net.patternAt(k + 1);
        const got = oneStep(net, cue);
        const ok = Array.from(got).every((x, i) => x === want.dataSync()[i]);
        cue.dispose();
        want.dispose();
        return ok;
      };
      const all = Array.from({ length: p }, (_, k) => k);
      expect(all.every(correct)).to.equal(true);
      net.silence(5);
      expect(all.filter((k) => !correct(k))).to.deep.equal([5]);
      net.restore(5);
      expect(all.every(correct)).to.equal(true);
      net.dispose();
    });

    it('equals the DenseNet rule without self-exclusion', () => {
      const patterns = randomSequences(1, 15, 70, 12);
      const sep = { kind: 'polynomial' as const, degree: 2 };
      const bi = bipartiteNet({ patterns, separation: sep });
      const dn = denseNet({ patterns, separation: sep, excludeSelf: false });
      const cue = tf.tidy(() => tf.sign(tf.randomUniform([4, 70], -1, 1, 'float32', 5)));
      expect(Array.from(oneStep(bi, cue))).to.deep.equal(Array.from(oneStep(dn, cue)));
      for (const t of [patterns, cue]) t.dispose();
      bi.dispose();
      dn.dispose();
    });
  });

  describe('bad input', () => {
    it('rejects bad patterns, cues, options and use after dispose with coded errors', () => {
      const code = (f: () => unknown, c: string, msg?: RegExp): void => {
        let err: unknown;
        try {
          f();
        } catch (e) {
          err = e;
        }
        expect(err, 'should throw').to.be.instanceOf(EngramError);
        expect((err as EngramError).code).to.equal(c);
        if (msg) expect((err as Error).message).to.match(msg);
      };
      code(() => seqNet({ patterns: [[1, 0.5, -1]] }), ErrorCodes.INVALID_ARGUMENT, /-1, \+1/);
      code(() => seqNet({ patterns: [1, -1] }), ErrorCodes.SHAPE_MISMATCH);
      code(() => seqNet({ neurons: 1, length: 3 }), ErrorCodes.INVALID_ARGUMENT);
      code(() => seqNet({ neurons: 10, length: 0 }), ErrorCodes.INVALID_ARGUMENT);
      code(() => denseNet({ neurons: 10, length: 3, separation: { kind: 'polynomial', degree: 0 } }), ErrorCodes.INVALID_ARGUMENT, /degree/);
      code(() => mixedNet({ neurons: 10, length: 3, tau: 0 }), ErrorCodes.INVALID_ARGUMENT, /tau/);
      code(() => mixedNet({ neurons: 10, length: 3, lambda: Number.NaN }), ErrorCodes.INVALID_ARGUMENT, /lambda/);
      code(() => gpiNet({ neurons: 10, length: 3, rcond: 2 }), ErrorCodes.INVALID_ARGUMENT, /rcond/);
      const net = seqNet({ neurons: 10, length: 3, sequences: 2, seed: 1 });
      code(() => net.run({ cue: [1, -1, 1] }), ErrorCodes.SHAPE_MISMATCH);
      code(() => net.run({ cue: Array(10).fill(1) }), ErrorCodes.SHAPE_MISMATCH, /one state per stored sequence/); // S = 2 needs 2 states
      code(() => net.run({ cue: [Array(10).fill(1), Array(10).fill(0.3)] }), ErrorCodes.INVALID_ARGUMENT, /-1, \+1/);
      code(() => net.run({ cue: [Array(10).fill(1), [...Array(9).fill(1), Number.NaN]] }), ErrorCodes.INVALID_ARGUMENT, /NaN/);
      code(() => net.run({}), ErrorCodes.INVALID_ARGUMENT, /exactly one/);
      const w = tf.ones([1, 3, 10]);
      code(() => net.setWeights({ patterns: w }), ErrorCodes.SHAPE_MISMATCH);
      w.dispose();
      code(() => net.patternAt(0.5), ErrorCodes.INVALID_ARGUMENT);
      net.dispose();
      code(() => net.patternAt(0), ErrorCodes.DISPOSED);
      const bi = bipartiteNet({ neurons: 10, length: 3, seed: 1 });
      code(() => bi.silence(3), ErrorCodes.INVALID_ARGUMENT, /hidden unit/);
      bi.dispose();
      const mx = new MixedNet({ neurons: 10, length: 3, seed: 1 });
      code(() => mx.next({}), ErrorCodes.INVALID_ARGUMENT, /history/);
      mx.dispose();
      expect(BipartiteSequenceNet).to.be.a('function');
    });
  });
});

async function expectReject(p: Promise<unknown>, re: RegExp): Promise<void> {
  try {
    await p;
  } catch (e) {
    expect((e as Error).message).to.match(re);
    return;
  }
  expect.fail('expected a rejection');
}
