import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { firstValueFrom, type Observable } from 'rxjs';
import { isEngramError } from '@engram/core';

/** The code of an EngramError thrown by `f` (fails the test when nothing or something else is thrown). */
export function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    expect(isEngramError(err), String(err)).to.equal(true);
    return (err as { code: string }).code;
  }
  expect.fail('expected an EngramError');
}

/** The EngramError thrown by `f`. */
export function errorOf(f: () => unknown): Error & { code: string } {
  try {
    f();
  } catch (err) {
    expect(isEngramError(err), String(err)).to.equal(true);
    return err as Error & { code: string };
  }
  expect.fail('expected an EngramError');
}

/** The EngramError a promise rejects with. */
export async function rejectionOf(p: Promise<unknown>): Promise<Error & { code: string }> {
  try {
    await p;
  } catch (err) {
    expect(isEngramError(err), String(err)).to.equal(true);
    return err as Error & { code: string };
  }
  expect.fail('expected a rejection with an EngramError');
}

/** The error notification of a stream, subscribed with an error handler only (no next, no throw). */
export function streamError(stream: Observable<unknown>): Promise<Error & { code: string }> {
  return new Promise((resolve, reject) => {
    try {
      stream.subscribe({
        error: (err: unknown) => (isEngramError(err) ? resolve(err as Error & { code: string }) : reject(new Error(`not an EngramError: ${String(err)}`))),
        complete: () => reject(new Error('the stream completed instead of failing')),
      });
    } catch (err) {
      reject(new Error(`subscribe threw synchronously: ${String(err)}`));
    }
  });
}

/** Relative L2 difference |a - b| / |b|. */
export function relError(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.norm(tf.sub(a, b)).dataSync()[0]! / Math.max(tf.norm(b).dataSync()[0]!, 1e-30));
}

/** Largest |a - b|. */
export function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

/** Lets a stream's loop notice a cancellation. */
export const tick = (ms = 0): Promise<void> => new Promise((r) => setTimeout(r, ms));

export { firstValueFrom };
