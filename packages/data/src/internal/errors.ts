/**
 * Data-specific error builders. The core catalogue has the codes (CORRUPT_DATA,
 * DATA_NOT_FOUND) but no factories for them, so the templates live here.
 */
import { EngramError, ErrorCodes } from '@engram/core';

/** A data file whose bytes do not form what they claim to be. */
export function corruptData(source: string, problem: string, cause?: unknown): EngramError {
  return new EngramError(
    ErrorCodes.CORRUPT_DATA,
    `${source}: ${problem}. The file is corrupt or truncated: download or regenerate it`,
    { source, problem },
    cause === undefined ? undefined : { cause },
  );
}

/** A data file or directory that is not where it was looked for. */
export function dataNotFound(what: string, path: string, hint: string, cause?: unknown): EngramError {
  return new EngramError(
    ErrorCodes.DATA_NOT_FOUND,
    `${what} not found at ${path}. ${hint}`,
    { what, path },
    cause === undefined ? undefined : { cause },
  );
}
