import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { lastValueFrom, toArray } from 'rxjs';
import { initBackend, seededRandom } from '@engram/core';
import { ClamModel } from '../src/index.js';
import { BACKENDS, hostEnergy, hostSettle, randomRows } from './helpers.js';

/**
 * The assignment dynamics: energy descent, so the energy never rises (for
 * any dt <= 1: the Hessian of E is at most the identity, and the descent
 * lemma applies), streamed through core's engine with clamp masks, and the
 * assignment is the nearest prototype of the settled state.
 */
for (const backend of BACKENDS) {
  describe(`ClAM assignment dynamics (${backend})`, () => {
    before(async () => {
      await initBackend({ backend });
    });

    for (const dt of [0.1, 0.5, 1]) {
      it(`dt = ${dt}: the energy never rises along the streamed run (random prototypes, betas, masks; 6 cases)`, async () => {
        const rand = seededRandom(Math.round(dt * 1000) + 7);
        for (let c = 0; c < 6; c++) {
          const k = 2 + Math.floor(rand() * 5);
          const d = 1 + Math.floor(rand() * 6);
          const beta = 0.2 + 4 * rand();
          const rho = randomRows(k, d, 100 + c, 1 + 2 * rand());
          const model = new ClamModel({ size: d, memories: k, beta, dt }, rho);
          const x = randomRows(5, d, 200 + c, 3);
          const clamp = c % 2 === 0 ? undefined : randomRows(5, d, 300 + c).map((r) => r.map((v) => (v > 0 ? 1 : 0)));
          const steps = await lastValueFrom(model.run({ initial: x, maxSteps: 25, ...(clamp ? { clamp } : {}) }).pipe(toArray()));
          expect(steps.length).to.equal(26);
          for (let s = 1; s < steps.length; s++) {
            const prev = steps[s - 1]!.energies!;
            const cur = steps[s]!.energies!;
            cur.forEach((e, i) => expect(e, `case ${c} step ${s} sample ${i}`).to.be.at.most(prev[i]! + 1e-5 * Math.max(1, Math.abs(prev[i]!))));
          }
          model.dispose();
        }
      });
    }

    it('the streamed energy is the ClAM energy and the streamed states follow the float64 dynamics', async () => {
      const rho = randomRows(3, 2, 11, 2);
      const x = randomRows(4, 2, 12, 2);
      const model = new ClamModel({ size: 2, memories: 3, beta: 1.3, dt: 0.1 }, rho);
      const steps = await lastValueFrom(model.run({ initial: x, snapshot: true }).pipe(toArray()));
      expect(steps.length).to.equal(11); // T = 1/dt = 10 steps by default, plus the initial state
      const e0 = hostEnergy(x, rho, 1.3);
      Array.from(steps[0]!.energies!).forEach((e, i) => expect(e).to.be.closeTo(e0[i]!, 1e-4));
      const ref = hostSettle(x, rho, 1.3, 0.1, 10);
      const last = steps[10]!.states!['x']!.data;
      ref.flat().forEach((v, i) => expect(last[i]).to.be.closeTo(v, 1e-4));
      expect(steps[10]!.energyTree).to.have.key('prototypes');
      model.dispose();
    });

    it('clamped entries stay put; free entries move towards the prototypes (the masked update)', async () => {
      const rho = randomRows(2, 3, 13, 2);
      const x = randomRows(2, 3, 14, 2);
      const held = [[1, 0, 1], [0, 1, 1]];
      const model = new ClamModel({ size: 3, memories: 2, beta: 2 }, rho);
      const steps = await lastValueFrom(model.run({ initial: x, clamp: held, snapshot: true }).pipe(toArray()));
      const last = steps[steps.length - 1]!.states!['x']!.data;
      const ref = hostSettle(x, rho, 2, 0.1, 10, held.map((r) => r.map((v) => 1 - v)));
      ref.flat().forEach((v, i) => expect(last[i]).to.be.closeTo(v, 1e-4));
      held.flat().forEach((h, i) => h === 1 && expect(last[i]).to.be.closeTo(x.flat()[i]!, 1e-6));
      model.dispose();
    });

    it('assignment = the nearest prototype after T unmasked steps (float64 reference)', () => {
      const rho = randomRows(5, 4, 15, 1.5);
      const x = randomRows(40, 4, 16, 2);
      const model = new ClamModel({ size: 4, memories: 5, beta: 1.9 }, rho);
      const labels = model.assign(x);
      const settled = hostSettle(x, rho, 1.9, 0.1, 10);
      const nearest = settled.map((row) => {
        const d = rho.map((p) => p.reduce((s, v, j) => s + (row[j]! - v) ** 2, 0));
        return d.indexOf(Math.min(...d));
      });
      expect(Array.from(labels)).to.deep.equal(nearest);
      // ... which is what settle + nearest give, and differs from the nearest prototype of the raw points somewhere
      // only when the dynamics matter; both are computed so the test says which one assign is.
      const direct = tf.tidy(() => model.nearest(tf.tensor2d(settled)));
      expect(Array.from(direct)).to.deep.equal(nearest);
      model.dispose();
    });
  });
}
