/**
 * Interleaved timing of the exact denoiser before and after it was composed
 * from core's memory synapse (the pre-transposed copy Xi^T removed):
 *
 *   npx tsx --conditions=engram-source plugins/diffusion/bench/exact-layout.ts
 *
 * Variants, each timed in every round (rounds interleave them, so drift of a
 * shared machine hits all alike; the median over rounds is reported):
 *   old, Xi^T copy      the previous hand-written update: x Xi^T with the stored transpose
 *   old, no copy        the same hand-written update with tf.matMul(x, Xi, false, true) (the wasm fast path's case)
 *   graph               D(x, sigma) from one descent step on the core graph (cached per level)
 *   old + energy        the previous sampler step with energy reporting: denoise and -log p, two passes
 *   graph + energy      denoiseWithEnergy: D and -log p from the same pass
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend, wasmFastPathInstalled } from '@engram/core';
import { ExactDenoiser } from '../src/index.js';
import { HandWrittenExact } from '../test/reference/hand-written-exact.js';

await initBackend({ backend: 'wasm' });
const ROUNDS = 9;
const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
console.log(`backend ${tf.getBackend()}, wasm fast path ${wasmFastPathInstalled()}, ${ROUNDS} interleaved rounds, median ms per call`);
for (const [K, D, B] of [
  [50, 196, 64],
  [2048, 196, 64],
  [1024, 32, 1024],
] as const) {
  const xi = tf.randomUniform([K, D], -1, 1, 'float32', 1) as tf.Tensor2D;
  const x = tf.randomNormal([B, D], 0, 1, 'float32', 2) as tf.Tensor2D;
  const graph = ExactDenoiser.fromPatterns(xi);
  const old = new HandWrittenExact(xi);
  const sigma = 0.5;
  const noCopy = (): tf.Tensor => tf.tidy(() => tf.matMul(tf.softmax(tf.mul(tf.sub(tf.matMul(x, xi, false, true), old.halfSq), 1 / sigma ** 2)), xi));
  const variants: Record<string, () => tf.Tensor[]> = {
    'old, Xi^T copy': () => [old.denoise(x, sigma)],
    'old, no copy': () => [noCopy()],
    graph: () => [graph.denoise(x, sigma)],
    'old + energy': () => [old.denoise(x, sigma), old.energy(x, sigma)],
    'graph + energy': () => {
      const r = graph.denoiseWithEnergy(x, sigma);
      return [r.denoised, r.energy];
    },
  };
  const reps = Math.max(3, Math.round(2e6 / (K * D * B) * 10));
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  for (const f of Object.values(variants)) tf.dispose(f()); // warm-up (kernels, graph cache)
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, f] of Object.entries(variants)) {
      const t0 = performance.now();
      for (let i = 0; i < reps; i++) {
        const out = f();
        for (const t of out) t.dataSync();
        tf.dispose(out);
      }
      times[name]!.push((performance.now() - t0) / reps);
    }
  }
  const base = median(times['old, Xi^T copy']!);
  const row = Object.entries(times).map(([name, v]) => `${name} ${median(v).toFixed(3)} (x${(median(v) / base).toFixed(2)})`);
  console.log(`K=${K} size=${D} batch=${B}: ${row.join(' | ')}`);
  tf.dispose([xi, x]);
  graph.dispose();
  old.dispose();
}
