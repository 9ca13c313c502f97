import { expect } from 'chai';
import { ErrorCodes, initBackend } from '@engram/core';
import { Clam, gaussianBlobs, searchClam, standardize, trainBank, clamOptionsSchema, type HostMatrix } from '../src/index.js';
import { PlateauSchedule } from '../src/internal/plateau.js';
import { expectRejectCode, tensors } from './helpers.js';

/** The hyper-parameter search: the batched bank equals separate fits, the best Silhouette wins, the schedule is the authors'. */
function data(): HostMatrix {
  const b = gaussianBlobs({ count: 40, size: 3, clusters: 3, seed: 9, spread: 0.6 });
  return standardize({ n: 40, d: 3, data: Float64Array.from(b.data) });
}

describe('hyper-parameter search', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('the batched bank gives each grid point the prototypes of its own separate fit', async () => {
    const x = data();
    const configs = [
      { beta: 1.1, lr: 0.01, fill: 'mean' as const },
      { beta: 2.4, lr: 0.1, fill: 'max' as const },
      { beta: 1.5, lr: 0.05, fill: 'min' as const },
    ];
    const start = tensors();
    const bank = await trainBank(x, 3, configs, clamOptionsSchema.parse({ k: 3, epochs: 3 }));
    expect(tensors()).to.equal(start);
    for (const [c, cfg] of configs.entries()) {
      const clam = new Clam({ k: 3, epochs: 3, ...cfg });
      await clam.fit(x);
      const p = clam.prototypes().flat();
      p.forEach((v, i) => expect(bank[c]!.prototypes[i]!, `config ${c} entry ${i}`).to.be.closeTo(v, 1e-4));
      bank[c]!.losses.forEach((l, e) => expect(l).to.be.closeTo(clam.history[e]!.loss, 1e-4));
      clam.dispose();
    }
  });

  it('searchClam scores every grid point and keeps the best Silhouette (batched and one by one agree)', async () => {
    const x = data();
    const grid = { betas: [1.1, 2.4], lrs: [0.05], fills: ['mean' as const] };
    const a = await searchClam(x, 3, grid, { epochs: 2 });
    const b = await searchClam(x, 3, grid, { epochs: 2 }, { batched: false });
    expect(a.trials).to.have.length(2);
    expect(a.best.silhouette).to.equal(Math.max(...a.trials.map((t) => t.silhouette)));
    a.trials.forEach((t, i) => expect(t.silhouette).to.be.closeTo(b.trials[i]!.silhouette, 1e-3));
    await expectRejectCode(searchClam(x, 1, grid), ErrorCodes.INVALID_CONFIG);
    await expectRejectCode(searchClam(x, 50, grid), ErrorCodes.INVALID_ARGUMENT);
  });

  it('minClusterFraction keeps the best fit among those that use enough of the k clusters, and says when none does', async () => {
    const x = data();
    // Seven prototypes on three blobs: some fits leave prototypes empty.
    const grid = { betas: [1.1, 2.4], lrs: [0.01, 0.1], fills: ['mean' as const] };
    const any = await searchClam(x, 7, grid, { epochs: 3 });
    const counts = any.trials.map((t) => t.clusters);
    expect(any.minClustersMet).to.equal(true);
    for (const fraction of [0.5, 1]) {
      const r = await searchClam(x, 7, grid, { epochs: 3 }, { minClusterFraction: fraction });
      const need = Math.ceil(fraction * 7);
      const ok = r.trials.filter((t) => t.clusters >= need);
      expect(r.minClustersMet).to.equal(ok.length > 0);
      if (ok.length) {
        expect(r.best.clusters).to.be.at.least(need);
        expect(r.best.silhouette).to.equal(Math.max(...ok.map((t) => t.silhouette)));
      } else expect(r.best.silhouette).to.equal(any.best.silhouette);
    }
    expect(counts.length).to.equal(4);
    await expectRejectCode(searchClam(x, 3, grid, { epochs: 1 }, { minClusterFraction: 1.5 }), ErrorCodes.INVALID_ARGUMENT);
  });

  it("the plateau schedule decays by 0.8 after 5 flat epochs past the 10-epoch window, and stops below 1e-6", () => {
    const s = new PlateauSchedule(0.01);
    const rates = Array.from({ length: 20 }, () => s.update(1));
    // Epoch 10 opens the window (no previous mean), epochs 11..15 are five flat ones: the decay comes with epoch 15.
    expect(rates.slice(0, 14)).to.deep.equal(new Array(14).fill(0.01));
    expect(rates[14]).to.be.closeTo(0.008, 1e-12);
    const falling = new PlateauSchedule(0.01);
    for (let e = 0; e < 30; e++) falling.update(100 - e);
    expect(falling.lr).to.equal(0.01);
    const tiny = new PlateauSchedule(1.1e-6);
    for (let e = 0; e < 15; e++) tiny.update(1);
    expect(tiny.exhausted).to.equal(true);
  });
});
