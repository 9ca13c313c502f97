import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { createEngram, initBackend } from '@engram/core';
import { loadModel, saveModel } from '@engram/core/node';
import diffusion, { ExactDenoiser, fashionPatterns } from '../src/node/index.js';
import { twoNearest } from '../src/internal/distances.js';
import { HandWrittenExact } from './reference/hand-written-exact.js';
import { relativeError } from './helpers.js';

/** The Gaussian-mixture posterior mean on host in float64. */
function referenceDenoise(x: Float32Array, b: number, xi: Float32Array, k: number, d: number, sigma: number): Float64Array {
  const out = new Float64Array(b * d);
  for (let i = 0; i < b; i++) {
    const logits = new Float64Array(k);
    for (let m = 0; m < k; m++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (x[i * d + j]! - xi[m * d + j]!) ** 2;
      logits[m] = -s / (2 * sigma * sigma);
    }
    const mx = Math.max(...logits);
    let z = 0;
    for (let m = 0; m < k; m++) z += logits[m] = Math.exp(logits[m]! - mx);
    for (let m = 0; m < k; m++) for (let j = 0; j < d; j++) out[i * d + j] += (logits[m]! / z) * xi[m * d + j]!;
  }
  return out;
}

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`diffusion/exact is core's memory synapse at beta = 1/sigma^2 (${backend})`, () => {
    before(async () => {
      await initBackend({ backend });
    });
    after(async () => {
      await initBackend({ backend: 'wasm' });
    });

    it('matches the previous hand-written denoiser to 1e-5 relative, update and energy', () => {
      const xi = tf.randomUniform([12, 20], -1, 1, 'float32', 3) as tf.Tensor2D;
      const x = tf.randomNormal([5, 20], 0, 1.2, 'float32', 4) as tf.Tensor2D;
      const model = ExactDenoiser.fromPatterns(xi);
      const reference = new HandWrittenExact(xi);
      for (const sigma of [0.3, 1, 4]) {
        const got = model.denoiseWithEnergy(x, sigma);
        const want = { denoised: reference.denoise(x, sigma), energy: reference.energy(x, sigma) };
        expect(relativeError(got.denoised, want.denoised), `update at sigma ${sigma}`).to.be.below(1e-5);
        expect(relativeError(got.energy, want.energy), `energy at sigma ${sigma}`).to.be.below(1e-5);
        tf.dispose([got.denoised, got.energy, want.denoised, want.energy]);
      }
      reference.dispose();
      model.dispose();
      tf.dispose([xi, x]);
    });

    it('is built from core parts: an identity layer and an lse memory synapse with beta = 1/sigma^2 on [xi, -|xi|^2/2]', () => {
      const xi = tf.tensor2d([
        [1, 0],
        [0, 2],
      ]);
      const model = ExactDenoiser.fromPatterns(xi);
      const graph = model.graphAt(0.5);
      expect(graph.layers.map((l) => [l.name, l.shape, l.lagrangian.kind])).to.deep.equal([['x', [3], 'core/identity']]);
      const memory = graph.synapses.get('memory')!;
      expect(memory.kind).to.equal('core/memory');
      expect(memory.config).to.include({ separation: 'lse', beta: 4, memories: 2, size: 3 });
      expect(memory.variables['patterns']!.arraySync()).to.deep.equal([
        [1, 0, -0.5],
        [0, 2, -2],
      ]);
      graph.dispose();
      model.dispose();
      xi.dispose();
    });
  });
}

describe('diffusion/exact', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('equals the float64 posterior mean of the Gaussian mixture', () => {
    const [K, D, B] = [12, 20, 5];
    const xi = tf.randomNormal([K, D], 0, 1, 'float32', 3);
    const x = tf.randomNormal([B, D], 0, 1.2, 'float32', 4) as tf.Tensor2D;
    const model = ExactDenoiser.fromPatterns(xi);
    for (const sigma of [0.3, 1, 4]) {
      const d = model.denoise(x, sigma);
      const ref = referenceDenoise(x.dataSync() as Float32Array, B, xi.dataSync() as Float32Array, K, D, sigma);
      const got = d.dataSync();
      expect(Math.max(...Array.from(got, (v, i) => Math.abs(v - ref[i]!))), `sigma ${sigma}`).to.be.below(1e-4);
      d.dispose();
    }
    tf.dispose([xi, x]);
    model.dispose();
  });

  it('reports -log p_sigma(x) exactly (against a float64 mixture density)', () => {
    const pts = [
      [0, 0],
      [3, 1],
      [-1, 2],
    ];
    const model = ExactDenoiser.fromPatterns(pts);
    const sigma = 0.7;
    const queries = [
      [0.5, 0.2],
      [2, 2],
    ];
    const e = model.energy(queries, sigma).total.dataSync();
    queries.forEach((p, i) => {
      let dens = 0;
      for (const q of pts) dens += Math.exp(-((p[0]! - q[0]!) ** 2 + (p[1]! - q[1]!) ** 2) / (2 * sigma * sigma)) / (2 * Math.PI * sigma * sigma);
      expect(e[i]!).to.be.closeTo(-Math.log(dens / 3), 1e-4);
    });
    model.dispose();
  });

  it('K = 50 Fashion-MNIST images: every Heun sample lands on a training image, -log p reported per step and falling', async () => {
    const K = 50;
    const pats = fashionPatterns({ count: K, source: 'subset', seed: 1 });
    const model = new ExactDenoiser({ memories: K, size: pats.size }, { patterns: tf.tensor2d(pats.data, [K, pats.size]) });
    const initial = model.initialState(64, { seed: 5 });
    const steps = await lastValueFrom(model.run({ initial, levels: 18 }).pipe(toArray()));
    expect(steps.length).to.equal(19);
    for (const s of steps) expect(s.energies).to.not.equal(null);
    expect(steps[18]!.energy!).to.be.below(steps[0]!.energy!);
    const out = await model.sample({ count: 64, seed: 5 });
    const nn = twoNearest(out.dataSync() as Float32Array, 64, pats.data, K, pats.size);
    out.dispose();
    initial['x']!.dispose();
    let memorized = 0;
    for (let i = 0; i < 64; i++) if (nn.d1[i]! / nn.d2[i]! < 1 / 3 && nn.d1[i]! < 1e-2) memorized++;
    expect(memorized).to.equal(64);
    expect(new Set(nn.idx).size, 'samples are spread over many memories').to.be.above(20);
    model.dispose();
  });

  it('saves and loads through core (patterns only; the augmented layout is never saved)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'engram-exact-'));
    try {
      const engram = await createEngram({ plugins: [diffusion] });
      const model = await engram.createModel('diffusion/exact', { memories: 3, size: 4 });
      model.setWeights({ patterns: tf.tensor2d([[1, 2, 3, 4], [0, 1, 0, 1], [-1, 0, 2, 0]]) });
      expect(Object.keys(model.variables())).to.deep.equal(['patterns']);
      await saveModel(model, join(dir, 'm'), { engram });
      const back = await loadModel<ExactDenoiser>(engram, join(dir, 'm.json'));
      const x = tf.randomNormal([2, 4], 0, 1, 'float32', 1) as tf.Tensor2D;
      const [a, b] = [model.denoise(x, 0.6), back.denoise(x, 0.6)];
      expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).to.equal(0);
      tf.dispose([a, b, x]);
      back.dispose();
      model.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('setWeights refreshes the cached graphs', () => {
    const model = ExactDenoiser.fromPatterns([[1, 0]]);
    const x = tf.tensor2d([[0, 0]]);
    const before = model.denoise(x, 1);
    model.setWeights({ patterns: tf.tensor2d([[0, 3]]) });
    const after = model.denoise(x, 1);
    expect(Array.from(before.dataSync())).to.deep.equal([1, 0]);
    expect(Array.from(after.dataSync())).to.deep.equal([0, 3]);
    tf.dispose([x, before, after]);
    model.dispose();
  });
});
