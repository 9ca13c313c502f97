/** Test helpers: seeded patterns, leak checks, coded-error checks (synchronous and as stream notifications). */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import type { Observable } from 'rxjs';
import { isEngramError } from '@engram/core';
import { binaryPatterns } from '@engram/data';

export { flipBits } from '../src/index.js';

/** ±1 patterns [count, size] as a host array. */
export function patterns(count: number, size: number, seed: number): Float32Array {
  return binaryPatterns({ count, size, seed }).data as Float32Array;
}

/** Runs `fn` and returns how many tensors it left behind. */
export async function leaked(fn: () => Promise<void> | void): Promise<number> {
  const before = tf.memory().numTensors;
  await fn();
  return tf.memory().numTensors - before;
}

/** The EngramError code `f` throws, 'other' for any other error, 'none' when it does not throw. */
export function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return isEngramError(e) ? e.code : `other: ${String(e)}`;
  }
  return 'none';
}

/** The same for a promise. */
export async function asyncCodeOf(f: () => Promise<unknown>): Promise<string> {
  try {
    await f();
  } catch (e) {
    return isEngramError(e) ? e.code : `other: ${String(e)}`;
  }
  return 'none';
}

/**
 * Subscribes with an `error` callback only (no next, no complete) and resolves
 * with the EngramError code of the error notification. Fails when the stream
 * throws synchronously or completes without an error.
 */
export function notificationCode(stream: () => Observable<unknown>): Promise<string> {
  let obs: Observable<unknown>;
  try {
    obs = stream();
  } catch (e) {
    return Promise.reject(new Error(`run threw synchronously instead of notifying: ${String(e)}`));
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no error notification within 5 s')), 5000);
    obs.subscribe({
      error: (e: unknown) => {
        clearTimeout(timer);
        resolve(isEngramError(e) ? e.code : `other: ${String(e)}`);
      },
      complete: () => {
        clearTimeout(timer);
        reject(new Error('the stream completed without an error'));
      },
    });
  });
}

/** Largest |a - b| relative to the largest |b| (scale-relative error). */
export function relError(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => {
    const diff = tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!;
    const scale = tf.max(tf.abs(b)).dataSync()[0]!;
    return diff / Math.max(scale, 1e-30);
  });
}

/** Asserts that two tensors agree to `tol` relative (default 1e-5). */
export function expectClose(a: tf.Tensor, b: tf.Tensor, what: string, tol = 1e-5): void {
  expect(a.shape, `${what} shape`).to.deep.equal(b.shape);
  const r = relError(a, b);
  expect(r, `${what}: relative error ${r.toExponential(2)}`).to.be.at.most(tol);
}
