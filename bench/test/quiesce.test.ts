import { expect } from 'chai';
import { cpuTimes, waitForIdle } from '../src/quiesce.js';

/** A fake /proc/stat whose busy jiffies grow by `busy[i]` (of 10 per window) in window i. */
function counters(busy: number[]): () => { busy: number; total: number } {
  let i = 0;
  let b = 0;
  let t = 0;
  return () => {
    const add = busy[Math.min(i, busy.length - 1)]!;
    if (i > 0) {
      b += add;
      t += 10;
    }
    i++;
    return { busy: b, total: t };
  };
}

describe('quiesce (waiting for idle CPUs between runs)', () => {
  it('reads busy and total jiffies from /proc/stat text (idle and iowait are not busy)', () => {
    const r = cpuTimes(() => 'cpu  100 5 20 800 10 1 2 3 0 0\ncpu0 1 2 3 4\n');
    expect(r).to.deep.equal({ busy: 131, total: 941 });
    expect(cpuTimes(() => 'nonsense')).to.equal(undefined);
    expect(cpuTimes(() => {
      throw new Error('no /proc');
    })).to.equal(undefined);
  });

  it('waits while a spinning thread keeps a CPU busy, returns at the first idle window', async () => {
    const r = await waitForIdle({ windowMs: 1, times: counters([5, 5, 5, 0]) });
    expect(r.idle).to.equal(true);
  });

  it('gives up at the timeout on a machine that never goes idle, and says so', async () => {
    const r = await waitForIdle({ windowMs: 1, timeoutMs: 20, times: counters([10]) });
    expect(r.idle).to.equal(false);
    expect(r.waitedMs).to.be.at.least(20);
  });

  it('returns at once where there are no CPU counters', async () => {
    const r = await waitForIdle({ times: () => undefined });
    expect(r).to.deep.equal({ waitedMs: 0, idle: false });
  });
});
