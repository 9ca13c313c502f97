import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { readFileSync, readdirSync } from 'node:fs';
import { createEngram, initBackend, EnergyModel, gradCheck, gradGradCheck, serializeModel, deserializeModel, isEngramError, ErrorCodes } from '@engram/core';
import { lastValueFrom, toArray } from 'rxjs';

describe('example (b): a third-party plugin loaded by package name', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('imports nothing but the public entry point of @engram/core', () => {
    const dir = new URL('../src/', import.meta.url);
    for (const f of readdirSync(dir)) {
      const text = readFileSync(new URL(f, dir), 'utf8');
      const specs = [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]!);
      for (const s of specs) expect(['@engram/core', '@tensorflow/tfjs'].includes(s) || s.startsWith('./'), `${f} imports ${s}`).to.equal(true);
    }
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(Object.keys(pkg.dependencies ?? {})).to.deep.equal([]);
  });

  it('is loaded by name, contributes its kinds, and they work in a graph that round-trips', async () => {
    const engram = await createEngram({ plugins: ['engram-plugin-softsign'] });
    expect(engram.plugins().map((p) => `${p.name}@${p.version}`)).to.deep.equal(['core@0.1.0', 'softsign@0.1.0']);
    const lag = engram.lagrangian('softsign/softsign');
    const x = tf.tensor2d([[-3, 0.5, 2]]);
    const g = lag.activation(x).dataSync();
    expect(Array.from(g).map((v) => +v.toFixed(5))).to.deep.equal([-0.75, 0.33333, 0.66667]);
    // closed form = autodiff of L, and L is correct at second order
    const auto = tf.grad((z: tf.Tensor) => lag.lagrangian(z).sum())(x).dataSync();
    expect(Array.from(auto).map((v) => +v.toFixed(5))).to.deep.equal(Array.from(g).map((v) => +v.toFixed(5)));
    expect(gradGradCheck((z) => lag.lagrangian(z).sum() as tf.Scalar, x).ok).to.equal(true);
    const syn = engram.synapse('softsign/cosine-memory', { memories: 4, size: 3, beta: 2, seed: 2 });
    expect(gradCheck((z) => syn.energy([z]).sum() as tf.Scalar, tf.randomNormal([2, 3], 0, 1, 'float32', 3)).ok).to.equal(true);
    const model = new EnergyModel().addLayer('v', { shape: [3], lagrangian: lag }).addSynapse('m', syn, ['v']);
    const steps = await lastValueFrom(model.run({ initial: { v: x }, maxSteps: 30, dt: 0.05 }).pipe(toArray()));
    for (let k = 1; k < steps.length; k++) expect(steps[k]!.energy!).to.be.at.most(steps[k - 1]!.energy! + 1e-6);
    const back = await deserializeModel<EnergyModel>(engram, serializeModel(model, { engram }));
    expect(back.getConfig()).to.deep.equal(model.getConfig());
    const core = await createEngram();
    const err = await deserializeModel(core, serializeModel(model)).catch((e: unknown) => e);
    expect(isEngramError(err, ErrorCodes.UNKNOWN_KIND)).to.equal(true);
    expect(String(err)).to.match(/plugin 'softsign'/);
    expect(() => engram.synapse('softsign/cosine-memory', { memories: 0, size: 3 })).to.throw(/config key 'memories' of softsign\/cosine-memory must be a number > 0, got 0/);
    expect(() => engram.synapse('softsign/cosine-memory', { memories: 2, sise: 3 })).to.throw(/did you mean 'size'\?/);
    tf.dispose(x);
    model.dispose();
    back.dispose();
  });
});
