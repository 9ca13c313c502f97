import { expect } from 'chai';
import { captureIo, eta, formatDuration, loadEngram, PausableScheduler, ProgressBar } from '../src/index.js';
import { cli } from './helpers.js';

describe('cli units', function () {
  it('loadEngram skips a package that fails to import or has no plugin, with one warning each', async () => {
    const { engram, warnings } = await loadEngram(['@engram/hopfield', 'no-such-engram-plugin', '@engram/viz']);
    expect(engram.plugins().map((p) => p.name)).to.deep.equal(['core', 'hopfield']);
    expect(warnings).to.have.length(2);
    expect(warnings[0]).to.match(/^plugin package 'no-such-engram-plugin' failed to import/);
    expect(warnings[1]).to.match(/^plugin package '@engram\/viz' has no plugin as its default export/);
    for (const w of warnings) expect(w).not.to.contain('\n');
  });

  it('formatDuration and eta', () => {
    expect(formatDuration(0)).to.equal('0:00');
    expect(formatDuration(61_000)).to.equal('1:01');
    expect(formatDuration(3_723_000)).to.equal('1:02:03');
    expect(formatDuration(NaN)).to.equal('?');
    expect(eta(1000, 1, 5)).to.equal(4000);
  });

  it('ProgressBar prints about ten plain lines per epoch without a terminal', () => {
    const io = captureIo();
    const bar = new ProgressBar(io);
    for (let b = 0; b < 40; b++) bar.update({ type: 'batch', epoch: 0, epochs: 1, batch: b, batches: 40, loss: 1 / (b + 1), elapsedMs: (b + 1) * 100 });
    bar.update({ type: 'epoch', epoch: 0, epochs: 1, batch: 40, batches: 40, loss: 0.1, elapsedMs: 4000, metrics: { acc: 0.5 } });
    bar.finish();
    const lines = io.out.trim().split('\n');
    // Batches 1, 5, ..., 37 (every 4th), the last batch, and the epoch line.
    expect(lines.length).to.equal(12);
    expect(lines[10]).to.match(/^epoch 1\/1 batch 40\/40  loss 0\.02500  ETA 0:00$/);
    expect(lines[0]).to.equal('epoch 1/1 batch 1/40  loss 1.00000  ETA 0:04');
    expect(lines.at(-1)).to.equal('epoch 1/1  mean loss 0.10000  acc 0.5000  elapsed 0:04  ETA 0:00');
  });

  it('PausableScheduler holds work while paused and runs it on resume', async () => {
    const s = new PausableScheduler();
    let ran = 0;
    s.pause();
    s.schedule(() => void ran++);
    await new Promise((r) => setTimeout(r, 20));
    expect(ran).to.equal(0);
    s.resume();
    await new Promise((r) => setTimeout(r, 20));
    expect(ran).to.equal(1);
    const sub = s.schedule(() => void ran++);
    sub.unsubscribe();
    await new Promise((r) => setTimeout(r, 20));
    expect(ran).to.equal(1);
  });

  it('serve with a bad spec fails before listening, in one line', async () => {
    const { code, io } = await cli(['serve', '/nonexistent/model.json', '--port', '0']);
    expect(code).to.equal(1);
    expect(io.err.trim().split('\n')).to.have.length(1);
    expect(io.err).to.contain('/nonexistent/model.json');
  });
});
