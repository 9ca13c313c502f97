import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { lastValueFrom, toArray } from 'rxjs';
import { initBackend } from '../../src/backend/backend.js';
import { randomGraph } from '../helpers.js';

describe('energy descent (property)', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  for (const dt of [1e-3, 1e-2, 1e-1]) {
    for (const batch of [1, 6]) {
      it(`never raises the energy over 50 steps on random graphs (dt=${dt}, batch=${batch})`, async () => {
        for (let seed = 1; seed <= 6; seed++) {
          const model = randomGraph(seed * 7 + batch);
          const init = model.initialState(batch, { std: 1, seed });
          const steps = await lastValueFrom(model.run({ initial: init, maxSteps: 50, dt, yieldEvery: 50 }).pipe(toArray()));
          expect(steps).to.have.length(51);
          for (let k = 1; k < steps.length; k++) {
            const prev = steps[k - 1]!.energies!;
            const cur = steps[k]!.energies!;
            for (let b = 0; b < batch; b++) {
              // float32 round-off allowance relative to the energy's magnitude
              const slack = 1e-5 * Math.max(1, Math.abs(prev[b]!));
              expect(cur[b]!, `seed ${seed} step ${k} sample ${b}`).to.be.at.most(prev[b]! + slack);
            }
          }
          // and it did move: the last energy is lower than the first for some sample
          expect(steps[50]!.energy!).to.be.lessThan(steps[0]!.energy!);
          tf.dispose(Object.values(init));
          model.dispose();
        }
      });
    }
  }
});
