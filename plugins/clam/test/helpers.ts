import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { EngramError } from '@engram/core';

/** The backends every numerical test runs on. */
export const BACKENDS = ['wasm', 'cpu'] as const;

/** Asserts that `f` throws an EngramError with `code` (and returns it). */
export function expectCode(f: () => unknown, code: string): EngramError {
  try {
    f();
  } catch (err) {
    expect(err, String(err)).to.be.instanceOf(EngramError);
    expect((err as EngramError).code, (err as Error).message).to.equal(code);
    return err as EngramError;
  }
  throw new Error(`expected an EngramError ${code}, nothing was thrown`);
}

/** Asserts that the promise rejects with an EngramError with `code`. */
export async function expectRejectCode(p: Promise<unknown>, code: string): Promise<EngramError> {
  try {
    await p;
  } catch (err) {
    expect(err, String(err)).to.be.instanceOf(EngramError);
    expect((err as EngramError).code, (err as Error).message).to.equal(code);
    return err as EngramError;
  }
  throw new Error(`expected a rejection with ${code}, the promise resolved`);
}

/** Host float64 energy -(1/beta) log sum exp(-(beta/2)||x - rho||^2) per row, from the distances directly. */
export function hostEnergy(x: number[][], rho: number[][], beta: number): number[] {
  return x.map((row) => {
    const e = rho.map((p) => (-beta / 2) * p.reduce((s, v, j) => s + (row[j]! - v) ** 2, 0));
    const m = Math.max(...e);
    return -(m + Math.log(e.reduce((s, v) => s + Math.exp(v - m), 0))) / beta;
  });
}

/** Host float64 dynamics: T steps of x <- x + dt sum softmax (rho - x) on the free coordinates. */
export function hostSettle(x: number[][], rho: number[][], beta: number, dt: number, steps: number, free?: number[][]): number[][] {
  let cur = x.map((r) => [...r]);
  for (let t = 0; t < steps; t++) {
    cur = cur.map((row, i) => {
      const e = rho.map((p) => (-beta / 2) * p.reduce((s, v, j) => s + (row[j]! - v) ** 2, 0));
      const m = Math.max(...e);
      const w = e.map((v) => Math.exp(v - m));
      const z = w.reduce((a, b) => a + b, 0);
      return row.map((v, j) => {
        const target = rho.reduce((s, p, mu) => s + (w[mu]! / z) * p[j]!, 0);
        return v + dt * (free ? free[i]![j]! : 1) * (target - v);
      });
    });
  }
  return cur;
}

/** Random rows from a seeded normal. */
export function randomRows(n: number, d: number, seed: number, std = 1, mean = 0): number[][] {
  return tf.tidy(() => tf.randomNormal([n, d], mean, std, 'float32', seed).arraySync() as number[][]);
}

/** numTensors now. */
export const tensors = (): number => tf.memory().numTensors;

/** Waits for the next macrotask. */
export const tick = (): Promise<void> => new Promise((r) => setImmediate(r));
