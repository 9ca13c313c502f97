/** Gzipped IDX bytes and IDX files (Node). */
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { errors } from '@engram/core';
import type { IdxArray } from '../idx.js';
import { encodeIdx } from '../idx-write.js';

/** Options for {@link writeIdx} and {@link encodeIdxGzip}. */
export interface EncodeIdxOptions {
  /** Gzip the bytes (default false for writeIdx). */
  gzip?: boolean;
  /** zlib compression level 0-9 when gzipping (default 9). */
  level?: number;
}

/** IDX bytes, gzipped (deterministic for a given array and level). */
export function encodeIdxGzip(array: IdxArray, options: { level?: number } = {}): Uint8Array {
  const level = options.level ?? 9;
  if (!Number.isInteger(level) || level < 0 || level > 9) throw errors.invalidArgument('level', 'an integer in [0, 9]', level);
  return new Uint8Array(gzipSync(encodeIdx(array), { level }));
}

/** Writes an {@link IdxArray} to `path` as an IDX file (gzipped when `options.gzip`). */
export function writeIdx(path: string, array: IdxArray, options: EncodeIdxOptions = {}): void {
  writeFileSync(path, options.gzip ? encodeIdxGzip(array, options) : encodeIdx(array));
}
