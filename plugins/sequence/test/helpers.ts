import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { lastValueFrom, type Observable } from 'rxjs';
import { EngramError } from '@engram/core';
import { binaryPatterns } from '@engram/data';

/** S seeded random ±1 sequences of P patterns of N neurons, [S, P, N] (same generator as the plugin's configs). */
export function randomSequences(s: number, p: number, n: number, seed: number, bias = 0.5): tf.Tensor3D {
  return tf.tensor3d(binaryPatterns({ count: s * p, size: n, seed, bias }).data, [s, p, n]);
}

/** The EngramError `f` throws, checked for its code (and message). */
export function expectCode(f: () => unknown, code: string, message?: RegExp): EngramError {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err, 'should throw').to.be.instanceOf(EngramError);
  expect((err as EngramError).code, (err as Error).message).to.equal(code);
  if (message) expect((err as Error).message).to.match(message);
  return err as EngramError;
}

/** Same for a promise. */
export async function expectRejectCode(p: Promise<unknown>, code: string, message?: RegExp): Promise<EngramError> {
  let err: unknown;
  try {
    await p;
  } catch (e) {
    err = e;
  }
  expect(err, 'should reject').to.be.instanceOf(EngramError);
  expect((err as EngramError).code, (err as Error).message).to.equal(code);
  if (message) expect((err as Error).message).to.match(message);
  return err as EngramError;
}

/** The error a stream notifies, subscribing with `error` only (a synchronous throw fails the test). */
export function streamError(run: () => Observable<unknown>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let obs: Observable<unknown>;
    try {
      obs = run();
    } catch (e) {
      reject(new Error(`run() threw synchronously instead of notifying: ${(e as Error).message}`));
      return;
    }
    obs.subscribe({ error: resolve, complete: () => reject(new Error('the stream completed instead of failing')) });
  });
}

/** The coded error of a failing run. */
export async function expectStreamCode(run: () => Observable<unknown>, code: string, message?: RegExp): Promise<void> {
  const err = await streamError(run);
  expect(err).to.be.instanceOf(EngramError);
  expect((err as EngramError).code, (err as Error).message).to.equal(code);
  if (message) expect((err as Error).message).to.match(message);
}

/** Runs a stream to its end (for leak checks). */
export async function drain(obs: Observable<unknown>): Promise<void> {
  await lastValueFrom(obs, { defaultValue: undefined });
}
