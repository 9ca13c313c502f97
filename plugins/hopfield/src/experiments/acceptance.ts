/**
 * The measured figures behind the plugin's README and tests: capacity of the
 * classical and dense networks, one-step retrieval of the modern network, and
 * DrDAM's energy error against the number of random features. Seeded; each
 * figure is keyed by name in the result.
 */
import * as tf from '@tensorflow/tfjs';
import { binaryPatterns, createRng } from '@engram/data';
import { ClassicalHopfield } from '../models/classical.js';
import { DenseAssociativeMemory } from '../models/dense.js';
import { ModernHopfield } from '../models/modern.js';
import { DrDAM } from '../models/drdam.js';
import { drdamExactEnergy } from '../synapses/drdam.js';

/** Options of {@link acceptanceNumbers}. */
export interface AcceptanceOptions {
  /** Fewer cells (dense K = 200, 800; DrDAM Y = 1k, 10k), for tests. */
  quick?: boolean;
  /** Receives one line per figure. */
  log?: (line: string) => void;
}

/** Copies `x` ([rows, size]) with exactly round(fraction * size) entries of each row sign-flipped (seeded). */
export function flipBits(x: Float32Array, size: number, fraction: number, seed: number): Float32Array {
  const out = Float32Array.from(x);
  const rng = createRng(seed);
  const k = Math.round(fraction * size);
  for (let r = 0; r < x.length / size; r++) {
    const perm = rng.permutation(size);
    for (let i = 0; i < k; i++) out[r * size + perm[i]!]! *= -1;
  }
  return out;
}

/** Least-squares slope of log(y) against log(x). */
export function logLogSlope(xs: readonly number[], ys: readonly number[]): number {
  const lx = xs.map(Math.log);
  const ly = ys.map(Math.log);
  const mx = lx.reduce((a, b) => a + b) / lx.length;
  const my = ly.reduce((a, b) => a + b) / ly.length;
  let num = 0;
  let den = 0;
  lx.forEach((x, i) => ((num += (x - mx) * (ly[i]! - my)), (den += (x - mx) ** 2)));
  return num / den;
}

/** Measures every figure and returns them by name (e.g. 'classical.P10.bits'). */
export async function acceptanceNumbers(options: AcceptanceOptions = {}): Promise<Record<string, number>> {
  const log = options.log ?? (() => {});
  const quick = options.quick ?? false;
  const res: Record<string, number> = {};
  // Classical, N = 100, Hebbian, 10% flipped, asynchronous.
  for (const p of [10, 14, 20, 30]) {
    const xi = binaryPatterns({ count: p, size: 100, seed: p }).data as Float32Array;
    const patterns = tf.tensor2d(xi, [p, 100]);
    const cues = tf.tensor2d(flipBits(xi, 100, 0.1, p + 1), [p, 100]);
    const net = new ClassicalHopfield({ size: 100 }).store(patterns);
    const out = await net.recall(cues, { seed: 1, maxSteps: 50 });
    tf.dispose([patterns, cues]);
    const o = out.dataSync();
    let ok = 0;
    o.forEach((v, i) => (ok += v === xi[i] ? 1 : 0));
    res[`classical.P${p}.bits`] = ok / o.length;
    log(`classical N=100 P=${p}: ${((100 * ok) / o.length).toFixed(1)}% bits correct`);
    out.dispose();
    net.dispose();
  }
  // Dense, N = 100, F = x^3.
  for (const k of quick ? [200, 800] : [200, 400, 800]) {
    const xi = binaryPatterns({ count: k, size: 100, seed: k }).data as Float32Array;
    const patterns = tf.tensor2d(xi, [k, 100]);
    const dam = new DenseAssociativeMemory({ size: 100 }).store(patterns);
    const f = dam.isFixedPoint(patterns).filter(Boolean).length / k;
    patterns.dispose();
    res[`dense.K${k}.fixed`] = f;
    log(`dense N=100 F=x^3 K=${k}: ${(100 * f).toFixed(1)}% of patterns are fixed points`);
    dam.dispose();
  }
  // Modern, d = 100, K = 2000, 20% flipped, one update.
  const xi = binaryPatterns({ count: 2000, size: 100, seed: 1 }).data as Float32Array;
  const q = tf.tensor2d(flipBits(xi.subarray(0, 5000), 100, 0.2, 2), [50, 100]);
  const stored = tf.tensor2d(xi, [2000, 100]);
  for (const beta of [1, 0.1, 0.01]) {
    const net = new ModernHopfield({ size: 100, beta }).store(stored);
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
  tf.dispose([q, stored]);
  // DrDAM, D = 30, K = 50, beta = 10, unit-norm ±1/sqrt(30) memories.
  const mem = tf.tensor2d((binaryPatterns({ count: 50, size: 30, seed: 1 }).data as Float32Array).map((v) => v / Math.sqrt(30)), [50, 30]);
  const exactE = drdamExactEnergy(mem, mem, 10);
  const ys = quick ? [1000, 10000] : [1000, 3000, 10000, 30000, 100000];
  const errs: number[] = [];
  for (const y of ys) {
    const dam = new DrDAM({ size: 30, features: y, beta: 10, seed: 7 }).store(mem);
    const e = dam.energy(mem);
    const err = tf.tidy(() => tf.mean(tf.abs(tf.sub(e.total, exactE))).dataSync()[0]!);
    errs.push(err);
    res[`drdam.Y${y}.err`] = err;
    log(`drdam D=30 K=50 beta=10 Y=${y}: mean |E~ - E| at the memories = ${err.toExponential(3)} (parameters ${dam.parameterCount})`);
    tf.dispose([e.total, ...Object.values(e.terms ?? {})]);
    dam.dispose();
  }
  res['drdam.slope'] = -logLogSlope(ys, errs);
  log(`drdam log-log slope of the error against Y: ${res['drdam.slope'].toFixed(3)} (theory 0.5)`);
  tf.dispose([mem, exactE]);
  return res;
}
