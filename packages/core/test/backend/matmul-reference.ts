/** Shared by the matMul tests: a host-side reference product and random shapes over every route. */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { rng } from '../helpers.js';

export interface Case {
  a: number[];
  b: number[];
  ta: boolean;
  tb: boolean;
}

/** A naive host-side matMul with tfjs' batch broadcasting: the ground truth, independent of any backend. */
export function reference(av: Float32Array, as: number[], bv: Float32Array, bs: number[], ta: boolean, tb: boolean): { data: Float64Array; shape: number[] } {
  const ar = as.length;
  const br = bs.length;
  const m = ta ? as[ar - 1]! : as[ar - 2]!;
  const k = ta ? as[ar - 2]! : as[ar - 1]!;
  const n = tb ? bs[br - 2]! : bs[br - 1]!;
  const outer = tf.broadcast_util.assertAndGetBroadcastShape(as.slice(0, -2), bs.slice(0, -2));
  const batches = outer.reduce((p, x) => p * x, 1);
  const out = new Float64Array(batches * m * n);
  const index = (shape: number[], flat: number): number => {
    // Map an output batch index to the operand's batch index under broadcasting.
    const dims = shape.slice(0, -2);
    let idx = 0;
    let stride = 1;
    let rest = flat;
    const coords: number[] = [];
    for (let i = outer.length - 1; i >= 0; i--) {
      coords[i] = rest % outer[i]!;
      rest = Math.floor(rest / outer[i]!);
    }
    for (let i = dims.length - 1; i >= 0; i--) {
      const c = coords[i + outer.length - dims.length]!;
      idx += (dims[i] === 1 ? 0 : c) * stride;
      stride *= dims[i]!;
    }
    return idx;
  };
  for (let p = 0; p < batches; p++) {
    const ab = index(as, p) * m * k;
    const bb = index(bs, p) * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let q = 0; q < k; q++) {
          const x = ta ? av[ab + q * m + i]! : av[ab + i * k + q]!;
          const y = tb ? bv[bb + j * k + q]! : bv[bb + q * n + j]!;
          s += x * y;
        }
        out[p * m * n + i * n + j] = s;
      }
    }
  }
  return { data: out, shape: [...outer, m, n] };
}

/** Random product shapes covering every route: 2-D, a batched with b 2-D, a 2-D with b batched, leading 1s, both batched, tiny. */
export function randomCases(seed: number, count: number): Case[] {
  const r = rng(seed);
  const dim = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
  const out: Case[] = [];
  for (let c = 0; c < count; c++) {
    const m = dim(1, 40);
    const k = dim(1, 40);
    const n = dim(1, 40);
    const ta = r() < 0.5;
    const tb = r() < 0.5;
    const mat = (rows: number, cols: number, t: boolean): number[] => (t ? [cols, rows] : [rows, cols]);
    const kind = c % 6;
    const batch = [dim(2, 4)];
    let aBatch: number[] = [];
    let bBatch: number[] = [];
    if (kind === 1) aBatch = batch;
    else if (kind === 2) bBatch = batch;
    else if (kind === 3) {
      aBatch = [batch[0]!, dim(2, 3)];
      bBatch = [1, 1];
    } else if (kind === 4) {
      aBatch = batch;
      bBatch = batch;
    } else if (kind === 5) {
      aBatch = [1];
      bBatch = [dim(2, 3), batch[0]!];
    }
    out.push({ a: [...aBatch, ...mat(m, k, ta)], b: [...bBatch, ...mat(k, n, tb)], ta, tb });
  }
  return out;
}

export function compare(got: tf.Tensor, want: { data: Float64Array; shape: number[] }, what: string): void {
  expect(got.shape, `${what}: shape`).to.deep.equal(want.shape);
  const g = got.dataSync();
  let worst = 0;
  for (let i = 0; i < want.data.length; i++) worst = Math.max(worst, Math.abs(g[i]! - want.data[i]!) / (1 + Math.abs(want.data[i]!)));
  expect(worst, `${what}: max relative error`).to.be.lessThan(1e-4);
}

