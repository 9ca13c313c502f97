/**
 * Times modern-Hopfield retrieval x <- softmax(beta x X^T) X at the benchmark's
 * size, K = 10,000 patterns of size 784, a batch of 256, 5 updates: through the
 * DenseRetriever (patterns in blocks of rows, one layout) and through
 * ModernHopfield.retrieve (core's memory synapse, one K-wide product), with a
 * 512^3 product as a yardstick of the machine's speed at the time:
 *
 *   npx tsx --conditions=engram-source plugins/hopfield/examples/dense-retrieval-timing.ts [--memories K] [--batch B] [--steps S] [--block C] [--rounds R]
 */
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@engram/core';
import { DenseRetriever, ModernHopfield, denseRetrievalFlops } from '../src/index.js';

function option(args: readonly string[], name: string, dflt: number): number {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function seconds(f: () => tf.Tensor): number {
  const t0 = performance.now();
  const out = f();
  out.dataSync();
  out.dispose();
  return (performance.now() - t0) / 1000;
}

/** Median seconds (over interleaved rounds) and GFLOP/s of both routes, and their largest difference. */
export async function main(
  args: readonly string[] = [],
  log: (s: string) => void = console.log,
): Promise<{ seconds: number; gflops: number; synapseSeconds: number; maxDifference: number }> {
  await initBackend({ backend: 'wasm' });
  const k = option(args, '--memories', 10000);
  const b = option(args, '--batch', 256);
  const steps = option(args, '--steps', 5);
  const rounds = option(args, '--rounds', 3);
  const d = 784;
  const beta = 0.05;
  const patterns = tf.tidy(() => tf.randomUniform([k, d], 0, 1, 'float32', 1).div(Math.sqrt(d))) as tf.Tensor2D;
  const q = tf.tidy(() => tf.randomUniform([b, d], 0, 1, 'float32', 2).div(Math.sqrt(d))) as tf.Tensor2D;
  const r = new DenseRetriever(patterns, { beta, blockSize: option(args, '--block', 1024) });
  const net = new ModernHopfield({ size: d, beta }).store(patterns);
  const a = r.retrieve(q, steps);
  const c = net.retrieve(q, steps);
  const maxDifference = tf.tidy(() => tf.max(tf.abs(tf.sub(a, c))).dataSync()[0]!);
  tf.dispose([a, c]);
  const blocked: number[] = [];
  const synapse: number[] = [];
  for (let i = 0; i < rounds; i++) {
    blocked.push(seconds(() => r.retrieve(q, steps)));
    synapse.push(seconds(() => net.retrieve(q, steps)));
  }
  const s = median(blocked);
  const gflops = denseRetrievalFlops(k, d, b, steps) / s / 1e9;
  // A plain 512^3 product, to tell a slow backend or a loaded machine from a slow retrieval.
  const m = tf.randomUniform([512, 512], 0, 1, 'float32', 3);
  tf.matMul(m, m).dispose();
  const ref = seconds(() => tf.matMul(m, m));
  m.dispose();
  log(`reference matMul 512x512x512: ${((2 * 512 ** 3) / ref / 1e9).toFixed(1)} GFLOP/s`);
  log(
    `retrieval K=${k} D=${d} batch=${b} ${steps} updates, median of ${rounds} interleaved rounds: DenseRetriever (blocks of ${r.blockSize}) ${s.toFixed(3)} s ` +
      `(${gflops.toFixed(1)} GFLOP/s; rounds ${blocked.map((x) => x.toFixed(2)).join(' ')}); ModernHopfield.retrieve (memory synapse) ${median(synapse).toFixed(3)} s ` +
      `(rounds ${synapse.map((x) => x.toFixed(2)).join(' ')}); max difference ${maxDifference.toExponential(2)}`,
  );
  tf.dispose([patterns, q]);
  r.dispose();
  net.dispose();
  return { seconds: s, gflops, synapseSeconds: median(synapse), maxDifference };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
