/**
 * Prints the measured figures behind the plugin's tests (capacity of the
 * classical and dense networks, one-step retrieval of the modern network,
 * DrDAM's energy error against the number of random features):
 *
 *   npx tsx plugins/hopfield/examples/acceptance-numbers.ts [--quick]
 */
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@engram/core';
import { binaryPatterns, createRng } from '@engram/data';
import { ClassicalHopfield, DenseAssociativeMemory, DrDAM, drdamExactEnergy, ModernHopfield } from '../src/index.js';

function flip(x: Float32Array, dim: number, fraction: number, seed: number): Float32Array {
  const out = Float32Array.from(x);
  const rng = createRng(seed);
  for (let r = 0; r < x.length / dim; r++) {
    const perm = rng.permutation(dim);
    for (let i = 0; i < Math.round(fraction * dim); i++) out[r * dim + perm[i]!]! *= -1;
  }
  return out;
}

/** Measures and prints; returns the figures by name. */
export async function main(args: readonly string[] = [], log: (s: string) => void = console.log): Promise<Record<string, number>> {
  await initBackend({ backend: 'wasm' });
  const quick = args.includes('--quick');
  const res: Record<string, number> = {};
  // Classical, N = 100, Hebbian, 10% flipped, asynchronous.
  for (const p of [10, 14, 20, 30]) {
    const xi = binaryPatterns({ count: p, dim: 100, seed: p }).data as Float32Array;
    const net = new ClassicalHopfield({ size: 100 }).store(tf.tensor2d(xi, [p, 100]));
    const out = await net.recall(tf.tensor2d(flip(xi, 100, 0.1, p + 1), [p, 100]), { seed: 1, maxSteps: 50 });
    const o = out.dataSync();
    let ok = 0;
    o.forEach((v, i) => (ok += v === xi[i] ? 1 : 0));
    res[`classical.P${p}.bits`] = ok / o.length;
    log(`classical N=100 P=${p}: ${(100 * ok / o.length).toFixed(1)}% bits correct`);
    out.dispose();
    net.dispose();
  }
  // Dense, N = 100, F = x^3.
  for (const k of quick ? [200, 800] : [200, 400, 800]) {
    const xi = binaryPatterns({ count: k, dim: 100, seed: k }).data as Float32Array;
    const dam = new DenseAssociativeMemory({ size: 100 }).store(tf.tensor2d(xi, [k, 100]));
    const f = dam.isFixedPoint(tf.tensor2d(xi, [k, 100])).filter(Boolean).length / k;
    res[`dense.K${k}.fixed`] = f;
    log(`dense N=100 F=x^3 K=${k}: ${(100 * f).toFixed(1)}% of patterns are fixed points`);
    dam.dispose();
  }
  // Modern, d = 100, K = 2000, 20% flipped, one update.
  const xi = binaryPatterns({ count: 2000, dim: 100, seed: 1 }).data as Float32Array;
  const q = tf.tensor2d(flip(xi.subarray(0, 5000), 100, 0.2, 2), [50, 100]);
  for (const beta of [1, 0.1, 0.01]) {
    const net = new ModernHopfield({ dim: 100, beta }).store(tf.tensor2d(xi, [2000, 100]));
    const out = net.retrieve(q, 1);
    const o = out.dataSync();
    let exact = 0;
    for (let r = 0; r < 50; r++) {
      let same = true;
      for (let i = 0; i < 100 && same; i++) same = Math.sign(o[r * 100 + i]!) === xi[r * 100 + i] && Math.abs(o[r * 100 + i]! - xi[r * 100 + i]!) < 0.01;
      exact += same ? 1 : 0;
    }
    const p = net.association(out);
    const maxW = tf.max(p).dataSync()[0]!;
    res[`modern.beta${beta}.exact`] = exact / 50;
    res[`modern.beta${beta}.maxWeight`] = maxW;
    log(`modern d=100 K=2000 beta=${beta}: ${exact}/50 exact after one update; largest softmax weight ${maxW.toPrecision(3)}`);
    tf.dispose([out, p]);
    net.dispose();
  }
  q.dispose();
  // DrDAM, D = 30, K = 50, beta = 10, unit-norm ±1/sqrt(30) memories.
  const mem = tf.tensor2d((binaryPatterns({ count: 50, dim: 30, seed: 1 }).data as Float32Array).map((v) => v / Math.sqrt(30)), [50, 30]);
  const exact = drdamExactEnergy(mem, mem, 10);
  const ys = quick ? [1000, 10000] : [1000, 3000, 10000, 30000, 100000];
  const errs: number[] = [];
  for (const y of ys) {
    const dam = new DrDAM({ dim: 30, features: y, beta: 10, seed: 7 }).addMemories(mem);
    const e = dam.energy(mem);
    const err = tf.mean(tf.abs(tf.sub(e, exact))).dataSync()[0]!;
    errs.push(err);
    res[`drdam.Y${y}.err`] = err;
    log(`drdam D=30 K=50 beta=10 Y=${y}: mean |E~ - E| at the memories = ${err.toExponential(3)} (parameters ${dam.parameterCount})`);
    e.dispose();
    dam.dispose();
  }
  const lx = ys.map(Math.log);
  const ly = errs.map(Math.log);
  const mx = lx.reduce((a, b) => a + b) / lx.length;
  const my = ly.reduce((a, b) => a + b) / ly.length;
  let num = 0;
  let den = 0;
  lx.forEach((x, i) => ((num += (x - mx) * (ly[i]! - my)), (den += (x - mx) ** 2)));
  res['drdam.slope'] = -num / den;
  log(`drdam log-log slope of the error against Y: ${(-num / den).toFixed(3)} (theory 0.5)`);
  tf.dispose([mem, exact]);
  return res;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
