import type { ErrorCode } from './codes.js';

/** Structured context attached to an {@link EngramError}. */
export type ErrorDetails = Readonly<Record<string, unknown>>;

/**
 * The one error type engram throws. `code` names the failure from the
 * {@link ErrorCodes} catalogue, `details` carries the values the message was built
 * from (plugin, id, expected, actual, ...), and `cause` keeps the original error
 * when engram wraps one.
 */
/**
 * A registered symbol every EngramError carries: two copies of @engram/core in
 * one process (a plugin with its own copy in node_modules, or the same file
 * loaded once as ESM and once as CommonJS by a TypeScript loader) make two
 * EngramError classes, and `instanceof` must still recognise both.
 */
const BRAND = Symbol.for('@engram/core:EngramError');

export class EngramError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  /** `x instanceof EngramError` is true for an EngramError of any copy of @engram/core. */
  static override [Symbol.hasInstance](x: unknown): boolean {
    if (this !== EngramError) return Function.prototype[Symbol.hasInstance].call(this, x);
    return typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[BRAND] === true;
  }

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super(`${code}: ${message}`, options);
    this.name = 'EngramError';
    this.code = code;
    this.details = details;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/** True when `err` is an {@link EngramError}, optionally with the given code. */
export function isEngramError(err: unknown, code?: ErrorCode): err is EngramError {
  return err instanceof EngramError && (code === undefined || err.code === code);
}
