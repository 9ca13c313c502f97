/**
 * `node bench/dist/probe-matmul.js`: the measurement behind core's wasm fast path
 * and native path. Times tf.matMul for the shapes engram's models use with the
 * stock wasm kernel (initBackend({ fastPath: false, native: false })), the fast
 * path (native: false) and the native BLAS path (when available), and checks
 * that they agree.
 */
import * as tf from '@tensorflow/tfjs';
import { backendInfo, initBackend } from '@engram/core';

function time(f: () => tf.Tensor, reps = 5): number {
  f().dispose();
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    const r = f();
    r.dataSync();
    r.dispose();
    ts.push(performance.now() - t0);
  }
  ts.sort((a, b) => a - b);
  return ts[Math.floor(ts.length / 2)]!;
}

/** [a shape, b shape, transposeA, transposeB, what] */
const CASES: Array<[number[], number[], boolean, boolean, string]> = [
  [[512, 512], [512, 512], false, false, 'square, no transpose'],
  [[512, 512], [512, 512], true, false, 'square, A^T'],
  [[512, 512], [512, 512], false, true, 'square, B^T'],
  [[512, 512], [512, 512], true, true, 'square, A^T B^T'],
  [[256, 784], [10000, 784], false, true, 'queries x memories^T (dense AM, memories [K, D])'],
  [[784, 256], [784, 10000], true, false, 'A^T: weight gradient of a [256,784]x[784,10000] product'],
  [[32, 49, 128], [128, 512], false, false, 'tokens [B,N,D] x W [D,M] (batch folds into rows)'],
  [[32, 49, 128], [512, 128], false, true, 'tokens x W^T'],
  [[128, 32], [4, 128, 32], false, true, 'a 2-D, b batched'],
  [[128, 49, 32], [128, 49, 32], false, true, 'attention scores Q K^T per head (both batched)'],
  [[2, 1, 64, 64], [1, 3, 64, 64], false, false, 'batch broadcast [2,1] x [1,3]'],
  [[4, 128], [512, 128], false, true, 'few rows (stock kept below 8 rows)'],
];

await initBackend({ backend: 'wasm' });
const native = backendInfo().native;
process.stdout.write(`backend ${backendInfo().description}\n| product | stock ms | fast ms | native ms | fast/stock speedup | native/stock speedup | max |diff| |\n|---|---:|---:|---:|---:|---:|---:|\n`);
for (const [as, bs, ta, tb, what] of CASES) {
  const a = tf.randomNormal(as, 0, 1, 'float32', 1);
  const b = tf.randomNormal(bs, 0, 1, 'float32', 2);
  await initBackend({ backend: 'wasm', fastPath: false, native: false });
  const stock = time(() => tf.matMul(a, b, ta, tb));
  const r0 = tf.matMul(a, b, ta, tb);
  await initBackend({ backend: 'wasm', fastPath: true, native: false });
  const fast = time(() => tf.matMul(a, b, ta, tb));
  const r1 = tf.matMul(a, b, ta, tb);
  await initBackend({ backend: 'wasm' });
  const nat = native ? time(() => tf.matMul(a, b, ta, tb)) : NaN;
  const r2 = tf.matMul(a, b, ta, tb);
  const diff = tf.tidy(() => Math.max(tf.max(tf.abs(tf.sub(r0, r1))).dataSync()[0]!, tf.max(tf.abs(tf.sub(r0, r2))).dataSync()[0]!));
  const name = `${JSON.stringify(as)}${ta ? '^T' : ''} x ${JSON.stringify(bs)}${tb ? '^T' : ''}: ${what}`;
  const n = native ? nat.toFixed(2) : '-';
  process.stdout.write(`| ${name} | ${stock.toFixed(2)} | ${fast.toFixed(2)} | ${n} | ${(stock / fast).toFixed(1)}x | ${native ? `${(stock / nat).toFixed(1)}x` : '-'} | ${diff.toExponential(1)} |\n`);
  tf.dispose([a, b, r0, r1, r2]);
}
