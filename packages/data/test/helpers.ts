import { expect } from 'chai';
import { isEngramError, type ErrorCode } from '@engram/core';

/** Asserts that `fn` throws an EngramError with `code` whose message contains every fragment. */
export function expectCode(fn: () => unknown, code: ErrorCode, ...fragments: string[]): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(isEngramError(caught, code), `expected ${code}, got ${String(caught)}`).to.equal(true);
  for (const f of fragments) expect((caught as Error).message).to.contain(f);
}
