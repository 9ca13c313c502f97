import { expect } from 'chai';
import { SlotStore } from '../src/memory/slot-store.js';

const policy = (extra: Partial<ConstructorParameters<typeof SlotStore>[0]> = {}) => ({ policy: 'camelot' as const, memories: 2, threshold: 0.9, consolidate: 'mean' as const, evict: 'oldest' as const, ...extra });
const f = (...xs: number[]): Float32Array => Float32Array.from(xs);

describe('SlotStore write rules (hand-made sequences)', () => {
  it('merges a close token into its nearest slot: count-weighted running mean, count + 1, age reset', () => {
    const s = new SlotStore(policy(), 2, 1);
    s.write(f(1, 0), f(10)); // slot 0
    s.write(f(0, 1), f(20)); // novel: slot 1
    expect(s.ages()).to.deep.equal([1, 0]);
    const d = s.write(f(1, 0.1), f(30)); // cos = 0.995 with slot 0 -> merge
    expect(d).to.deep.equal({ written: 1, merges: 1, inserts: 0, evictions: 0 });
    expect(s.counts()).to.deep.equal([2, 1]);
    expect(Array.from(s.keys)).to.deep.equal([1, Math.fround(0.05), 0, 1].map(Math.fround));
    expect(s.values[0]).to.equal(20); // (10 + 30) / 2
    expect(s.ages()).to.deep.equal([0, 1]);
    s.write(f(1, 0.1), f(60)); // merge again: mean of three
    expect(s.counts()[0]).to.equal(3);
    expect(s.values[0]).to.be.closeTo((10 + 30 + 60) / 3, 1e-5);
    expect(s.ages()).to.deep.equal([0, 2]);
  });

  it('replaces the least recently written slot with a novel token once full (count 1, age 0)', () => {
    const s = new SlotStore(policy(), 2, 1);
    s.write(f(1, 0), f(1));
    s.write(f(0, 1), f(2));
    s.write(f(0, 1), f(3)); // merge into slot 1: slot 0 is now the least recent
    const d = s.write(f(-1, 0), f(4)); // novel (cos -1 / 0): evicts slot 0
    expect(d.evictions).to.equal(1);
    expect(Array.from(s.keys.subarray(0, 2))).to.deep.equal([-1, 0]);
    expect(s.counts()).to.deep.equal([1, 2]);
    expect(s.ages()).to.deep.equal([0, 1]);
    expect(s.stats).to.deep.equal({ written: 4, merges: 1, inserts: 2, evictions: 1 });
  });

  it("consolidate 'none' keeps the slot's first key and value but counts and refreshes it", () => {
    const s = new SlotStore(policy({ consolidate: 'none' }), 2, 1);
    s.write(f(1, 0), f(10));
    s.write(f(1, 0.1), f(30));
    expect(Array.from(s.keys)).to.deep.equal([1, 0]);
    expect(Array.from(s.values)).to.deep.equal([10]);
    expect(s.counts()).to.deep.equal([2]);
  });

  it("evict 'never' merges a novel token into its nearest slot when full", () => {
    const s = new SlotStore(policy({ evict: 'never' }), 2, 1);
    s.write(f(1, 0), f(1));
    s.write(f(0, 1), f(2));
    const d = s.write(f(1, -0.5), f(3)); // novel, nearest is slot 0
    expect(d).to.deep.equal({ written: 1, merges: 1, inserts: 0, evictions: 0 });
    expect(s.counts()).to.deep.equal([2, 1]);
  });

  it('fifo keeps exactly the last M tokens; camelot with an unreachable threshold is the same FIFO', () => {
    const fifo = new SlotStore({ ...policy(), policy: 'fifo', memories: 3 }, 2, 2);
    const noMerge = new SlotStore(policy({ memories: 3, threshold: 1 }), 2, 2);
    const keys = new Float32Array(20);
    for (let i = 0; i < 20; i++) keys[i] = Math.sin(i * 1.7) + (i % 3);
    fifo.write(keys, keys);
    noMerge.write(keys, keys);
    const last = (s: SlotStore): number[][] => {
      const rows: number[][] = [];
      const ages = s.ages();
      const order = ages.map((a, i) => [a, i] as const).sort((a, b) => b[0] - a[0]);
      for (const [, i] of order) rows.push(Array.from(s.keys.subarray(i * 2, i * 2 + 2)));
      return rows;
    };
    expect(last(fifo)).to.deep.equal([Array.from(keys.subarray(14, 16)), Array.from(keys.subarray(16, 18)), Array.from(keys.subarray(18, 20))]);
    expect(last(noMerge)).to.deep.equal(last(fifo));
  });

  it('unbounded keeps every token and grows', () => {
    const s = new SlotStore({ ...policy(), policy: 'unbounded' }, 1, 1);
    const keys = Float32Array.from({ length: 200 }, (_, i) => i + 1);
    s.write(keys, keys);
    expect(s.filled).to.equal(200);
    expect(s.keys[199]).to.equal(200);
    expect(s.ages()[0]).to.equal(199);
  });

  it('rejects keys that are not whole tokens and non-finite keys with coded errors', () => {
    const s = new SlotStore(policy(), 2, 1);
    expect(() => s.write(f(1, 2, 3), f(1))).to.throw().with.property('code', 'ENGRAM_ERR_SHAPE_MISMATCH');
    expect(() => s.write(f(NaN, 1), f(1))).to.throw().with.property('code', 'ENGRAM_ERR_NON_FINITE');
  });

  it('round-trips through its data', () => {
    const s = new SlotStore(policy({ memories: 4 }), 2, 1);
    s.write(f(1, 0, 0, 1, 1, 0.05, -1, 0), f(1, 2, 3, 4));
    const r = SlotStore.fromData(policy({ memories: 4 }), s.toData());
    expect(r.toData()).to.deep.equal(s.toData());
    expect(r.nearest([1, 0])).to.deep.equal(s.nearest([1, 0]));
  });
});
