import { expect } from 'chai';
import { isEngramError, type ErrorCode } from '@engram/core';

/** Asserts that `fn` throws an EngramError with `code` (and a message matching `pattern`). */
export function expectCode(fn: () => unknown, code: ErrorCode, pattern?: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(isEngramError(caught, code), `expected ${code}, got ${String(caught)}`).to.equal(true);
  if (pattern) expect(String(caught)).to.match(pattern);
}

/** Asserts that a promise rejects with an EngramError with `code`. */
export async function expectRejects(p: Promise<unknown>, code: ErrorCode, pattern?: RegExp): Promise<void> {
  const caught = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isEngramError(caught, code), `expected ${code}, got ${String(caught)}`).to.equal(true);
  if (pattern) expect(String(caught)).to.match(pattern);
}
