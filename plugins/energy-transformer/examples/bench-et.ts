/**
 * ET inference and train-step time, before and after the block became a
 * composition of core parts, interleaved in one process (A/B/A/B...): "old" is
 * the hand-written block kept as the test reference (closed form on
 * materialised transposes, test/reference/et-reference.ts), "new" the bench
 * workloads of '@engram/energy-transformer/bench'. Same sizes as `npm run
 * bench` (B=32, N=49, D=128, 4 heads of 32, M=512 ReLU memories, T=12).
 *
 * The 'graph' case is one training step of a graph-sized block (one graph of
 * 300 nodes, D=32, 4 heads of 8, M=128, T=12, attention on a random sparse
 * graph with the diagonal excluded), the shape of the graph experiment.
 *
 *   npx tsx --conditions=engram-source plugins/energy-transformer/examples/bench-et.ts [reps] [inference|train|both|graph]
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@engram/core';
import { etInferenceWorkload, etTrainStepWorkload } from '../src/bench/index.js';
import { EnergyTransformerBlock } from '../src/index.js';
import { referenceEvolve, referenceLayerNorm, referenceLogMask } from '../test/reference/et-reference.js';
import { referenceOf } from '../test/reference/convert.js';

const reps = Number(process.argv[2] ?? 7);
const which = process.argv[3] ?? 'both';
await initBackend({ backend: 'wasm' });

/** The old workloads on the same weights as the new ones (the bench's seed 0), in the old layout. */
function oldWorkloads(): { inference: () => number; train: () => number; dispose(): void } {
  const block = new EnergyTransformerBlock({ tokens: 49, size: 128, heads: 4, headSize: 32, memories: 512, attentionStd: 0.02, hopfieldStd: 0.02 });
  const ref = referenceOf(block);
  const w = { wk: tf.variable(ref.weights.wk), wq: tf.variable(ref.weights.wq), xi: tf.variable(ref.weights.xi), gamma: tf.variable(tf.scalar(1)), delta: tf.variable(tf.zeros([128])) };
  ref.dispose();
  block.dispose();
  const x = tf.randomNormal([32, 49, 128], 0, 1, 'float32', 100);
  const target = tf.randomNormal([32, 49, 128], 0, 1, 'float32', 200);
  const opt = tf.train.adam(1e-3);
  const cfg = { heads: 4, headDim: 32, attentionBeta: 1 / Math.sqrt(32), hopfield: 'relu' as const, hopfieldBeta: 1, eps: 1e-5 };
  return {
    inference: () => {
      const out = referenceEvolve(x, w, cfg, 12, 0.1);
      const v = tf.tidy(() => tf.mean(out).dataSync()[0]!);
      out.dispose();
      return v;
    },
    train: () => {
      const loss = opt.minimize(() => tf.tidy(() => tf.mean(tf.square(tf.sub(referenceLayerNorm(referenceEvolve(x, w, cfg, 12, 0.1), w.gamma, w.delta, 1e-5), target))) as tf.Scalar), true, Object.values(w))!;
      const v = loss.dataSync()[0]!;
      loss.dispose();
      return v;
    },
    dispose: () => {
      tf.dispose([x, target, ...Object.values(w)]);
      opt.dispose();
    },
  };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function compare(name: string, oldRun: () => number, newRun: () => number): void {
  const a = oldRun();
  const b = newRun();
  const times: { old: number[]; new: number[]; ratio: number[] } = { old: [], new: [], ratio: [] };
  for (let i = 0; i < reps; i++) {
    let t = performance.now();
    oldRun();
    const to = performance.now() - t;
    t = performance.now();
    newRun();
    const tn = performance.now() - t;
    times.old.push(to);
    times.new.push(tn);
    times.ratio.push(tn / to);
  }
  const f = (xs: number[]): string => xs.map((v) => v.toFixed(0)).join(' ');
  console.log(`${name}: old ${f(times.old)} ms; new ${f(times.new)} ms`);
  console.log(`${name}: median old ${median(times.old).toFixed(0)} ms, new ${median(times.new).toFixed(0)} ms, median of paired ratios new/old ${median(times.ratio).toFixed(3)} (first-run results ${a.toFixed(6)} vs ${b.toFixed(6)})`);
}

/** Old and new train steps of a graph-sized block with an attention mask. */
function graphCase(): { old: () => number; new: () => number; dispose(): void } {
  const n = 300;
  const block = new EnergyTransformerBlock({ tokens: n, size: 32, heads: 4, headSize: 8, memories: 128, excludeDiagonal: true, attentionStd: 0.1, hopfieldStd: 0.1 });
  const ref = referenceOf(block);
  const w = { wk: tf.variable(ref.weights.wk), wq: tf.variable(ref.weights.wq), xi: tf.variable(ref.weights.xi), gamma: tf.variable(tf.scalar(1)), delta: tf.variable(tf.zeros([32])) };
  const cfg = ref.config;
  ref.dispose();
  const allowed = tf.tidy(() => {
    const a = tf.cast(tf.less(tf.randomUniform([n, n], 0, 1, 'float32', 7), 8 / n), 'float32');
    return tf.minimum(tf.add(tf.add(a, tf.transpose(a)), tf.add(tf.eye(n), tf.concat([tf.slice(tf.eye(n), [1, 0], [n - 1, n]), tf.slice(tf.eye(n), [0, 0], [1, n])], 0))), 1);
  });
  const logMask = referenceLogMask(n, allowed, true);
  const x = tf.randomNormal([1, n, 32], 0, 1, 'float32', 100);
  const target = tf.randomNormal([1, n, 32], 0, 1, 'float32', 200);
  const optOld = tf.train.adam(1e-3);
  const optNew = tf.train.adam(1e-3);
  const vars = Object.values(block.variables());
  const step = (opt: tf.Optimizer, f: () => tf.Scalar, v: tf.Variable[]): number => {
    const loss = opt.minimize(f, true, v)!;
    const r = loss.dataSync()[0]!;
    loss.dispose();
    return r;
  };
  return {
    old: () => step(optOld, () => tf.tidy(() => tf.mean(tf.square(tf.sub(referenceLayerNorm(referenceEvolve(x, w, cfg, 12, 0.1, logMask), w.gamma, w.delta, 1e-5), target))) as tf.Scalar), Object.values(w)),
    new: () => step(optNew, () => tf.tidy(() => tf.mean(tf.square(tf.sub(block.activation(block.evolve(x, { allowed })), target))) as tf.Scalar), vars),
    dispose: () => {
      tf.dispose([allowed, x, target, ...Object.values(w)]);
      logMask?.dispose();
      optOld.dispose();
      optNew.dispose();
      block.dispose();
    },
  };
}

if (which === 'graph') {
  const g = graphCase();
  compare('graph-train-step', g.old, g.new);
  g.dispose();
  process.exit(0);
}
const old = oldWorkloads();
if (which !== 'train') {
  const w = etInferenceWorkload();
  compare('et-inference', old.inference, () => w.run());
  w.dispose();
}
if (which !== 'inference') {
  const w = etTrainStepWorkload();
  compare('et-train-step', old.train, () => w.run());
  w.dispose();
}
old.dispose();
