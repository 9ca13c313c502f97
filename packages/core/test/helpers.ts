import * as tf from '@tensorflow/tfjs';
import { EnergyModel } from '../src/model/energy-model.js';
import { lagrangians } from '../src/lagrangians/index.js';
import { denseSynapse } from '../src/synapses/dense.js';
import { memorySynapse } from '../src/synapses/memory.js';
import { biasSynapse } from '../src/synapses/bias.js';

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
