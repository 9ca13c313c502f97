/**
 * IDX on Node: synchronous decoding of raw or gzipped bytes (zlib, bounded)
 * and reading from files (regular files only, size-limited).
 */
import { gunzipSync } from 'node:zlib';
import { ErrorCodes, errors } from '@engram/core';
import { readRegularFileSync } from '@engram/core/node';
import { IDX_MAX_BYTES, isGzip, parseIdx, type IdxArray, type IdxDtype, type ReadIdxOptions } from '../idx.js';
import { corruptData, dataNotFound } from '../internal/errors.js';

/**
 * Decodes IDX bytes (raw or gzipped) into an {@link IdxArray}, synchronously.
 * Truncated, oversized or malformed input throws an EngramError with code
 * CORRUPT_DATA whose message names the source and the problem; a gzip stream
 * that inflates past `maxBytes` fails before it is inflated.
 */
export function decodeIdx<D extends IdxDtype = IdxDtype>(bytes: Uint8Array, options: ReadIdxOptions<D> = {}): IdxArray<D> {
  const source = options.source ?? 'IDX data';
  const limit = options.maxBytes ?? IDX_MAX_BYTES;
  let raw = bytes;
  if (isGzip(bytes)) {
    try {
      raw = gunzipSync(bytes, { maxOutputLength: limit });
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      const tooBig = (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || /too large|maxOutputLength/i.test(reason);
      throw corruptData(source, tooBig ? `decompresses to more than ${limit} bytes (a gzip bomb, or raise maxBytes)` : `gzip stream cannot be decompressed (${reason})`, err);
    }
  }
  return parseIdx(new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength), { ...options, source });
}

/**
 * Reads an IDX array from a file path or from bytes, gzipped or raw
 * (detected from the gzip magic number, not the file name).
 *
 * Throws EngramError DATA_NOT_FOUND when the file cannot be read and
 * CORRUPT_DATA when its content is not a complete IDX array.
 *
 * @example
 * const labels = readIdx('/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz', { dtype: 'uint8' });
 * labels.shape; // [10000]
 */
export function readIdx<D extends IdxDtype = IdxDtype>(input: string | Uint8Array, options: ReadIdxOptions<D> = {}): IdxArray<D> {
  if (typeof input === 'string') {
    let bytes: Uint8Array;
    try {
      bytes = readRegularFileSync(input, { maxBytes: options.maxBytes ?? IDX_MAX_BYTES, code: ErrorCodes.CORRUPT_DATA, what: 'IDX file' });
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      const code = /\b(ENOENT|EACCES|ENOTDIR|ELOOP|EPERM)\b/.exec(why)?.[1];
      if (code) throw dataNotFound('IDX file', input, `Reading it failed (${code}): check the path.`, err);
      throw err;
    }
    return decodeIdx(bytes, { ...options, source: options.source ?? input });
  }
  if (!(input instanceof Uint8Array)) {
    throw errors.invalidArgument('input', 'a file path or a Uint8Array of IDX bytes', typeof input);
  }
  return decodeIdx(input, options);
}
