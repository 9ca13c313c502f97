import * as tf from '@tensorflow/tfjs';
import { EnergyModel } from '../src/model/energy-model.js';
import { lagrangians } from '../src/lagrangians/index.js';
import { denseSynapse } from '../src/synapses/dense.js';
import { memorySynapse } from '../src/synapses/memory.js';
import { biasSynapse } from '../src/synapses/bias.js';
import { initBackend } from '../src/backend/backend.js';
import { backendInfo } from '../src/backend/backend-info.js';
import { gradCheck, gradGradCheck } from '../src/numerics/gradcheck.js';
import { expect } from 'chai';

/**
 * Hooks for a suite of the native path's kernels: before, the wasm backend
 * (the suite is skipped, saying why, where the native path is off); after, the
 * wasm backend again (tests in it may switch backends or the native path).
 * Call inside `describe`.
 */
export function onNativeWasm(): void {
  before(async function () {
    await initBackend({ backend: 'wasm' });
    if (!backendInfo().native) {
      process.stdout.write(`      (skipped: ${backendInfo().nativeOff})\n`);
      this.skip();
    }
  });
  after(async () => {
    await initBackend({ backend: 'wasm' });
  });
}

/** A deterministic PRNG for test structure choices (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A random energy graph: 2-4 layers with random Lagrangians and time constants,
 * dense synapses between random pairs (and sometimes a layer to itself), memory
 * and bias synapses. Weights are small so that dt = 0.1 is a "small enough" step.
 */
export function randomGraph(seed: number): EnergyModel {
  const r = rng(seed);
  const model = new EnergyModel();
  const nLayers = 2 + Math.floor(r() * 3);
  // Lagrangians with bounded activations keep the energy bounded below, so that
  // descent has somewhere to go (with identity/relu/exp a strong self-coupling
  // makes E unbounded below: still descent, but towards -infinity).
  const makers = [
    () => lagrangians.sigmoid({ beta: 1 }),
    () => lagrangians.tanh({ beta: 2 }),
    () => lagrangians.softmax({ beta: 1 }),
    () => lagrangians.spherical(),
    () => lagrangians.layernorm({ gamma: 1 }),
  ];
  const sizes: number[] = [];
  for (let i = 0; i < nLayers; i++) {
    const size = 3 + Math.floor(r() * 6);
    sizes.push(size);
    model.addLayer(`l${i}`, { shape: [size], lagrangian: makers[Math.floor(r() * makers.length)]!(), tau: 0.5 + 1.5 * r() });
  }
  for (let i = 0; i < nLayers; i++) {
    const j = Math.floor(r() * nLayers);
    model.addSynapse(`w${i}${j}`, denseSynapse({ inSize: sizes[i]!, outSize: sizes[j]!, std: 0.3, seed: seed * 31 + i }), [`l${i}`, `l${j}`]);
  }
  model.addSynapse('mem', memorySynapse({ memories: 5, size: sizes[0]!, beta: 2, seed }), ['l0']);
  model.addSynapse('rp', memorySynapse({ memories: 4, size: sizes[1]!, separation: 'rectified-power', n: 3, seed: seed + 1 }), ['l1']);
  model.addSynapse('b', biasSynapse({ size: sizes[nLayers - 1]!, bias: tf.randomNormal([sizes[nLayers - 1]!], 0, 0.2, 'float32', seed) }), [`l${nLayers - 1}`]);
  return model;
}

/** Waits for the next macrotask (lets a stream's loop notice cancellation). */
export const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

export { autodiffOnly } from '../src/synapses/hypersynapse.js';

/**
 * f's result on the host, with its shape. (Not through tf.tidy's return value:
 * tidy walks every element of a returned typed array, seconds for 10^5 floats.)
 */
export function hostWithShape(f: () => tf.Tensor): { shape: number[]; v: Float32Array } {
  const y = tf.tidy(f);
  const out = { shape: y.shape, v: y.dataSync() as Float32Array };
  y.dispose();
  return out;
}

/** f's result on the host (see {@link hostWithShape}). */
export function hostOf(f: () => tf.Tensor): Float32Array {
  return hostWithShape(f).v;
}

/** What {@link expectGradientsOnWasmAndCpu} checks, and how closely. */
export interface GradientsOnBothBackends {
  /** The scalar function of x, given the constant c. */
  f: (c: tf.Tensor) => (x: tf.Tensor) => tf.Scalar;
  xShape: number[];
  cShape: number[];
  /** Seeds of x, c and the H v direction v: seed, seed + 1, seed + 2 (x, c, v ~ N(0, 1)). */
  seed: number;
  /** H v must be larger than this on cpu (a check that the second derivative is not trivially 0). */
  minScale: number;
  /** Largest difference of H v between wasm and cpu, relative to the largest |H v| on cpu. */
  hvTolerance: number;
}

/**
 * Finite differences at first and second order on wasm (the active kernels,
 * native ones included) and on cpu, no tensor left by either, and the exact
 * second order (H v through double backprop) on wasm against cpu. Leaves the
 * wasm backend active.
 */
export async function expectGradientsOnWasmAndCpu(o: GradientsOnBothBackends): Promise<void> {
  const [xHost, cHost, vHost] = [o.xShape, o.cShape, o.xShape].map((shape, i) => hostOf(() => tf.randomNormal(shape, 0, 1, 'float32', o.seed + i)));
  const hv = (): Float32Array =>
    tf.tidy(() => {
      const [x, c, v] = [tf.tensor(xHost!, o.xShape), tf.tensor(cHost!, o.cShape), tf.tensor(vHost!, o.xShape)];
      return tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.grad(o.f(c))(t), v)))(x).dataSync() as Float32Array;
    });
  const results: Record<string, Float32Array> = {};
  for (const backend of ['wasm', 'cpu'] as const) {
    await initBackend({ backend });
    try {
      const x = tf.tensor(xHost!, o.xShape);
      const c = tf.tensor(cHost!, o.cShape);
      const before = tf.memory().numTensors;
      const g1 = gradCheck(o.f(c), x, { seed: 1, tolerance: 1e-2 });
      expect(g1.ok, `${backend} first order: ${g1.summary}`).to.equal(true);
      const g2 = gradGradCheck(o.f(c), x, { seed: 2, eps: 3e-2, tolerance: 2e-2 });
      expect(g2.ok, `${backend} second order: ${g2.summary}`).to.equal(true);
      results[backend] = hv();
      expect(tf.memory().numTensors, `${backend}: no tensor left`).to.equal(before);
      tf.dispose([x, c]);
    } finally {
      await initBackend({ backend: 'wasm' });
    }
  }
  const cpu = results['cpu']!;
  const scale = Math.max(...Array.from(cpu, Math.abs));
  expect(scale, 'non-trivial H v').to.be.greaterThan(o.minScale);
  const worst = Math.max(...Array.from(results['wasm']!, (y, i) => Math.abs(y - cpu[i]!))) / scale;
  expect(worst, 'wasm H v vs cpu').to.be.lessThan(o.hvTolerance);
}
