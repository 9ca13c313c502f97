import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { lastValueFrom, toArray } from 'rxjs';
import { initBackend, memorySynapse, EnergyModel, lagrangians } from '@engram/core';
import { ModernHopfield } from '@engram/hopfield';
import { ExactDenoiser, edmSigmas, fashionPatterns, sample, sampleStream } from '../src/index.js';
import { twoNearest } from '../src/internal/distances.js';

describe('diffusion/exact: the optimal denoiser is a modern Hopfield network', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  /** Reference: the Gaussian-mixture posterior mean computed on host in float64. */
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
      for (let m = 0; m < k; m++) z += (logits[m] = Math.exp(logits[m]! - mx));
      for (let m = 0; m < k; m++) for (let j = 0; j < d; j++) out[i * d + j] += (logits[m]! / z) * xi[m * d + j]!;
    }
    return out;
  }

  it('equals the float64 posterior mean and one core lse-memory descent step with beta = 1/sigma^2', () => {
    const K = 12;
    const D = 20;
    const B = 5;
    const xi = tf.randomNormal([K, D], 0, 1, 'float32', 3);
    const x = tf.randomNormal([B, D], 0, 1.2, 'float32', 4);
    const model = new ExactDenoiser({ patterns: xi });
    const xiData = xi.dataSync() as Float32Array;
    const xData = x.dataSync() as Float32Array;
    const before = tf.memory().numTensors;
    for (const sigma of [0.3, 1, 4]) {
      const d = model.denoise(x as tf.Tensor2D, sigma);
      const got = d.dataSync();
      d.dispose();
      const ref = referenceDenoise(xData, B, xiData, K, D, sigma);
      let err = 0;
      for (let i = 0; i < got.length; i++) err = Math.max(err, Math.abs(got[i]! - ref[i]!));
      expect(err, `vs float64 reference at sigma ${sigma}`).to.be.below(1e-4);

      // Core comparison: x <- x - dt dE/dg with dt = 1 on E = ||x||^2/2 + E_lse(beta) over augmented [x, 1].
      const em = model.toEnergyModel(sigma);
      const [diff, gradDiff] = tf.tidy(() => {
        const state = { x: tf.concat([x, tf.ones([B, 1])], 1) };
        const step = em.descentStep(state, 1);
        const hop = tf.slice(step.next['x']!, [0, 0], [B, D]);
        // And -dE_mem/dg read directly from the core gradient (dE/dg = x + dE_mem/dg).
        const g = em.energyGradient(state);
        const negGrad = tf.slice(tf.sub(state.x, g.dEdg['x']!), [0, 0], [B, D]);
        return [
          tf.max(tf.abs(tf.sub(hop, tf.tensor(got, [B, D])))).dataSync()[0]!,
          tf.max(tf.abs(tf.sub(negGrad, hop))).dataSync()[0]!,
        ];
      });
      expect(diff, `vs core memorySynapse step at sigma ${sigma}`).to.be.below(1e-4);
      expect(gradDiff).to.be.below(1e-5);
      em.dispose();
    }
    tf.dispose([xi, x]);
    expect(tf.memory().numTensors).to.equal(before - 2);
    model.dispose();
  });

  it('on patterns of equal norm it is exactly the plain modern Hopfield update softmax(beta Xi x) Xi', () => {
    const K = 8;
    const D = 16;
    const raw = tf.randomNormal([K, D], 0, 1, 'float32', 9);
    const xi = tf.tidy(() => tf.div(raw, tf.norm(raw, 2, 1, true)));
    const x = tf.randomNormal([3, D], 0, 0.5, 'float32', 10);
    const model = new ExactDenoiser({ patterns: xi });
    const sigma = 0.4;
    const syn = memorySynapse({ memories: K, features: D, separation: 'lse', beta: 1 / sigma ** 2, patterns: xi });
    const em = new EnergyModel().addLayer('v', { shape: [D], lagrangian: lagrangians.identity() }).addSynapse('m', syn, ['v']);
    const step = em.descentStep({ v: x }, 1);
    const d = model.denoise(x as tf.Tensor2D, sigma);
    expect(tf.max(tf.abs(tf.sub(d, step.next['v']!))).dataSync()[0]!).to.be.below(1e-5);
    tf.dispose([raw, xi, x, d, step.next['v']!]);
    model.dispose();
  });

  it("equals one update of @engram/hopfield's ModernHopfield (beta = 1/sigma^2) on augmented patterns [xi, -||xi||^2/2], query [x, 1]", () => {
    const K = 9;
    const D = 14;
    const B = 4;
    const sigma = 0.6;
    const xi = tf.randomUniform([K, D], -1, 1, 'float32', 12);
    const x = tf.randomNormal([B, D], 0, 1, 'float32', 13);
    const model = new ExactDenoiser({ patterns: xi });
    const net = new ModernHopfield({ dim: D + 1, beta: 1 / sigma ** 2 });
    const aug = tf.tidy(() => tf.concat([xi, tf.mul(tf.sum(tf.square(xi), 1, true), -0.5)], 1));
    net.store(aug);
    const q = tf.concat([x, tf.ones([B, 1])], 1);
    const hop = net.retrieve(q, 1);
    const d = model.denoise(x as tf.Tensor2D, sigma);
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(tf.slice(hop, [0, 0], [B, D]), d))).dataSync()[0]!);
    expect(diff).to.be.below(1e-5);
    tf.dispose([xi, x, aug, q, hop, d]);
    net.dispose();
    model.dispose();
  });

  it('reports -log p_sigma(x) exactly (against a float64 mixture density)', () => {
    const xi = tf.tensor2d([[0, 0], [3, 1], [-1, 2]]);
    const x = tf.tensor2d([[0.5, 0.2], [2, 2]]);
    const model = new ExactDenoiser({ patterns: xi });
    const sigma = 0.7;
    const e = model.energy(x, sigma).dataSync();
    const pts = [[0, 0], [3, 1], [-1, 2]];
    [[0.5, 0.2], [2, 2]].forEach((p, i) => {
      let dens = 0;
      for (const q of pts) dens += Math.exp(-((p[0]! - q[0]!) ** 2 + (p[1]! - q[1]!) ** 2) / (2 * sigma * sigma)) / (2 * Math.PI * sigma * sigma);
      expect(e[i]!).to.be.closeTo(-Math.log(dens / 3), 1e-4);
    });
    tf.dispose([xi, x]);
    model.dispose();
  });

  it('K = 50 Fashion-MNIST images: 100% of Heun samples land on training images, energy reported per step', async () => {
    const K = 50;
    const pats = fashionPatterns({ count: K, source: 'subset', seed: 1 });
    const model = new ExactDenoiser({ patterns: tf.tensor2d(pats.data, [K, pats.dim]) });
    const before = tf.memory().numTensors;
    const steps = await lastValueFrom(sampleStream(model, { count: 64, seed: 5, sigmas: edmSigmas({ steps: 18 }) }).pipe(toArray()));
    expect(steps.length).to.equal(19);
    for (const s of steps) expect(s.energies).to.not.equal(null);
    // -log p_sigma at the final (smallest) level is far below its value at sigma_max: the AM energy descends.
    expect(steps[steps.length - 1]!.energy!).to.be.below(steps[0]!.energy!);
    const out = await sample(model, { count: 64, seed: 5 });
    const data = out.dataSync() as Float32Array;
    out.dispose();
    expect(tf.memory().numTensors).to.equal(before);
    const nn = twoNearest(data, 64, pats.data, K, pats.dim);
    let memorized = 0;
    for (let i = 0; i < 64; i++) if (nn.d1[i]! / nn.d2[i]! < 1 / 3 && nn.d1[i]! < 1e-2) memorized++;
    expect(memorized).to.equal(64);
    expect(new Set(nn.idx).size, 'samples are spread over many memories').to.be.above(20);
    model.dispose();
  });
});
