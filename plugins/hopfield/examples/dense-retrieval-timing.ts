/**
 * Times dense-AM retrieval (X <- softmax(beta X M^T) M) at the benchmark's
 * size, K = 10,000 memories of dimension 784, a batch of 256, 5 updates, and
 * compares it with the same computation through a transposed matMul:
 *
 *   npx tsx plugins/hopfield/examples/dense-retrieval-timing.ts [--count K] [--batch B] [--steps S] [--block C]
 */
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@engram/core';
import { DenseRetriever, denseRetrievalFlops } from '../src/index.js';

function option(args: readonly string[], name: string, dflt: number): number {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
}

/** Returns seconds and GFLOP/s of the stored-layout and the transposed-product variants. */
export async function main(args: readonly string[] = [], log: (s: string) => void = console.log): Promise<{ seconds: number; gflops: number; naiveSeconds: number }> {
  await initBackend({ backend: 'wasm' });
  const k = option(args, '--count', 10000);
  const b = option(args, '--batch', 256);
  const steps = option(args, '--steps', 5);
  const d = 784;
  const mem = tf.randomUniform([k, d], 0, 1, 'float32', 1).div(Math.sqrt(d)) as tf.Tensor2D;
  const q = tf.randomUniform([b, d], 0, 1, 'float32', 2).div(Math.sqrt(d)) as tf.Tensor2D;
  const r = new DenseRetriever(mem, { beta: 1, blockSize: option(args, '--block', 1024) });
  r.retrieve(q, 1).dispose(); // warm-up
  let t0 = performance.now();
  const out = r.retrieve(q, steps);
  out.dataSync();
  const seconds = (performance.now() - t0) / 1000;
  const gflops = denseRetrievalFlops(k, d, b, steps) / seconds / 1e9;
  // The same computation with matMul(x, M, false, true): the slow transposed path on wasm.
  t0 = performance.now();
  let x = q.clone();
  for (let i = 0; i < steps; i++) {
    const next = tf.tidy(() => tf.matMul(tf.softmax(tf.matMul(x, mem, false, true)), mem)) as tf.Tensor2D;
    x.dispose();
    x = next;
  }
  x.dataSync();
  const naiveSeconds = (performance.now() - t0) / 1000;
  const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(x, out))).dataSync()[0]!);
  // A plain 512^3 product, to tell a slow backend or a loaded machine from a slow retrieval.
  const a = tf.randomUniform([512, 512], 0, 1, 'float32', 3);
  tf.matMul(a, a).dispose();
  t0 = performance.now();
  const c = tf.matMul(a, a);
  c.dataSync();
  const refGflops = (2 * 512 ** 3) / ((performance.now() - t0) / 1000) / 1e9;
  tf.dispose([a, c]);
  log(`reference matMul 512x512x512: ${refGflops.toFixed(1)} GFLOP/s`);
  log(
    `dense-AM retrieval K=${k} D=${d} batch=${b} ${steps} updates: ${seconds.toFixed(3)} s, ${gflops.toFixed(1)} GFLOP/s ` +
      `(stored layouts, blocks of ${r.blockSize}); one transposed matMul per product: ${naiveSeconds.toFixed(3)} s; max difference ${diff.toExponential(2)}`,
  );
  tf.dispose([mem, q, out, x]);
  r.dispose();
  return { seconds, gflops, naiveSeconds };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
