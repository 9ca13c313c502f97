/**
 * Test helpers shared by the plugins' suites (private, never published):
 * coded-error capture for throws, promises and streams, relative error, and
 * the leak test every stream gets (complete, take, unsubscribe, error: the
 * tensor count back where it started).
 */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { firstValueFrom, lastValueFrom, take, toArray, type Observable } from 'rxjs';
import { isEngramError } from '@engram/core';

/** max |a - b| / max |b|. */
export function relativeError(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]! / Math.max(tf.max(tf.abs(b)).dataSync()[0]!, 1e-30));
}

/** The EngramError code of what `f` throws (fails the test when it does not throw an EngramError). */
export function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    expect(isEngramError(err), String(err)).to.equal(true);
    return (err as { code: string }).code;
  }
  expect.fail('expected an EngramError');
}

/** The EngramError an Observable ends with, subscribing with `error` only (no `next` handler). */
export function errorOf(stream: Observable<unknown>): Promise<{ code: string; message: string }> {
  return new Promise((resolve, reject) => {
    stream.subscribe({
      error: (err: unknown) => (isEngramError(err) ? resolve(err) : reject(new Error(`not an EngramError: ${String(err)}`))),
      complete: () => reject(new Error('the stream completed instead of failing')),
    });
  });
}

/** The EngramError a promise rejects with. */
export async function rejectionOf(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (err) {
    expect(isEngramError(err), String(err)).to.equal(true);
    return err as { code: string; message: string };
  }
  return expect.fail('expected a rejection');
}

/**
 * Leak test of a cold stream: after running it to completion, cancelling it
 * early (take, and unsubscribing while it runs) and making it fail, the tensor
 * count is back where it started. `make(fail)` builds a fresh stream, failing on
 * subscribe when `fail` is true.
 */
export async function expectNoLeaks(make: (fail: boolean) => Observable<unknown>): Promise<void> {
  await lastValueFrom(make(false)); // warm-up (caches, kernels)
  const start = tf.memory().numTensors;
  await lastValueFrom(make(false).pipe(toArray()));
  expect(tf.memory().numTensors, 'after complete').to.equal(start);
  await firstValueFrom(make(false).pipe(take(2), toArray()));
  await new Promise((r) => setTimeout(r, 5));
  expect(tf.memory().numTensors, 'after take(2)').to.equal(start);
  const sub = make(false).subscribe();
  await new Promise((r) => setTimeout(r, 2));
  sub.unsubscribe();
  await new Promise((r) => setTimeout(r, 5));
  expect(tf.memory().numTensors, 'after unsubscribe').to.equal(start);
  await errorOf(make(true));
  expect(tf.memory().numTensors, 'after error').to.equal(start);
}
