import type { ErrorCode } from './codes.js';

/** Structured context attached to an {@link EngramError}. */
export type ErrorDetails = Readonly<Record<string, unknown>>;

/**
 * The one error type engram throws. `code` names the failure from the
 * {@link ErrorCodes} catalogue, `details` carries the values the message was built
 * from (plugin, id, expected, actual, ...), and `cause` keeps the original error
 * when engram wraps one.
 */
export class EngramError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super(`${code}: ${message}`, options);
    this.name = 'EngramError';
    this.code = code;
    this.details = details;
  }
}

/** True when `err` is an {@link EngramError}, optionally with the given code. */
export function isEngramError(err: unknown, code?: ErrorCode): err is EngramError {
  return err instanceof EngramError && (code === undefined || err.code === code);
}
