/**
 * Reader for the IDX format of LeCun's MNIST (and Fashion-MNIST) files.
 *
 * Layout: two zero bytes, one dtype byte, one byte giving the number of
 * dimensions n, then n big-endian uint32 sizes, then the values in row-major
 * order, big-endian. Files are often gzipped: {@link decodeIdxAsync} takes
 * both forms anywhere (browsers and Node, through DecompressionStream);
 * `@engram/data/node` adds synchronous decoding and reading from files.
 */
import { errors } from '@engram/core';
import { corruptData } from './internal/errors.js';

/** Element types of IDX files, named after the typed array that holds them. */
export type IdxDtype = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/** The typed array that holds each {@link IdxDtype}. */
export interface IdxTypedArrays {
  uint8: Uint8Array;
  int8: Int8Array;
  int16: Int16Array;
  int32: Int32Array;
  float32: Float32Array;
  float64: Float64Array;
}

/**
 * A decoded IDX array: dtype, shape and values in native byte order.
 * A union discriminated by `dtype`, so checking `dtype` narrows `data`.
 */
export type IdxArray<D extends IdxDtype = IdxDtype> = {
  [K in D]: { readonly dtype: K; readonly shape: readonly number[]; readonly data: IdxTypedArrays[K] };
}[D];

/** Options for {@link readIdx} and {@link decodeIdx}. */
export interface ReadIdxOptions<D extends IdxDtype = IdxDtype> {
  /** Name used in error messages when the input is bytes (a path names itself). */
  source?: string;
  /** Require this dtype; another dtype in the file is a CORRUPT_DATA error. */
  dtype?: D;
  /**
   * Most bytes accepted, for the file and for its decompressed content (default
   * 512 MiB): a gzip bomb or a huge declared shape fails before it is inflated.
   */
  maxBytes?: number;
}

/** Default of {@link ReadIdxOptions.maxBytes}: Fashion-MNIST's largest file inflates to 47 MB. */
export const IDX_MAX_BYTES = 512 * 2 ** 20;

/** IDX type byte of each dtype, and bytes per element. */
export const IDX_TYPE_CODES: Readonly<Record<IdxDtype, number>> = {
  uint8: 0x08,
  int8: 0x09,
  int16: 0x0b,
  int32: 0x0c,
  float32: 0x0d,
  float64: 0x0e,
};

/** Bytes per element of each dtype. */
export const IDX_ELEMENT_BYTES: Readonly<Record<IdxDtype, number>> = {
  uint8: 1,
  int8: 1,
  int16: 2,
  int32: 4,
  float32: 4,
  float64: 8,
};

const DTYPE_OF_CODE = new Map<number, IdxDtype>(
  (Object.entries(IDX_TYPE_CODES) as [IdxDtype, number][]).map(([dtype, code]) => [code, dtype]),
);

const hex = (b: number): string => `0x${b.toString(16).padStart(2, '0')}`;

/** True when the bytes start with the gzip magic number 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Parses raw (not gzipped) IDX bytes into an {@link IdxArray}. Truncated,
 * oversized or malformed input throws CORRUPT_DATA naming the source and the
 * problem; gzipped bytes ask for {@link decodeIdxAsync}.
 */
export function parseIdx<D extends IdxDtype = IdxDtype>(raw: Uint8Array, options: ReadIdxOptions<D> = {}): IdxArray<D> {
  const source = options.source ?? 'IDX data';
  if (!(raw instanceof Uint8Array)) throw errors.invalidArgument('input', 'a Uint8Array of IDX bytes', typeof raw);
  if (isGzip(raw)) throw corruptData(source, 'the bytes are gzipped: decode them with decodeIdxAsync (or decodeIdx from @engram/data/node)');
  const limit = options.maxBytes ?? IDX_MAX_BYTES;
  if (raw.length > limit) throw corruptData(source, `${raw.length} bytes, more than the limit of ${limit} (raise maxBytes)`);
  return parseIdxBytes(raw, source, options.dtype);
}

/**
 * Decodes IDX bytes, raw or gzipped (inflated with the platform's
 * DecompressionStream, stopped as soon as the output passes `maxBytes`: a gzip
 * bomb fails before it inflates). Works in browsers and in Node.
 */
export async function decodeIdxAsync<D extends IdxDtype = IdxDtype>(bytes: Uint8Array, options: ReadIdxOptions<D> = {}): Promise<IdxArray<D>> {
  const source = options.source ?? 'IDX data';
  if (!isGzip(bytes)) return parseIdx(bytes, options);
  const limit = options.maxBytes ?? IDX_MAX_BYTES;
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip'));
    const reader = stream.getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > limit) {
        await reader.cancel();
        throw corruptData(source, `decompresses to more than ${limit} bytes (a gzip bomb, or raise maxBytes)`);
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof Error && err.name === 'EngramError') throw err;
    throw corruptData(source, `gzip stream cannot be decompressed (${err instanceof Error ? err.message : String(err)})`, err);
  }
  const raw = new Uint8Array(size);
  let off = 0;
  for (const c of chunks) {
    raw.set(c, off);
    off += c.length;
  }
  return parseIdxBytes(raw, source, options.dtype);
}

function parseIdxBytes<D extends IdxDtype>(raw: Uint8Array, source: string, want: D | undefined): IdxArray<D> {
  if (raw.length < 4) {
    throw corruptData(source, `file is ${raw.length} bytes long, shorter than the 4-byte IDX magic number`);
  }
  if (raw[0] !== 0 || raw[1] !== 0) {
    throw corruptData(
      source,
      `bad IDX magic number: first two bytes are ${hex(raw[0]!)} ${hex(raw[1]!)} instead of 0x00 0x00 (not an IDX file)`,
    );
  }
  const dtype = DTYPE_OF_CODE.get(raw[2]!);
  if (dtype === undefined) {
    throw corruptData(source, `unknown IDX dtype byte ${hex(raw[2]!)} (expected one of 0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x0e)`);
  }
  if (want !== undefined && dtype !== want) {
    throw corruptData(source, `holds ${dtype} values but ${want} values were expected`);
  }
  const rank = raw[3]!;
  const headerBytes = 4 + 4 * rank;
  if (raw.length < headerBytes) {
    throw corruptData(source, `header truncated: ${rank} dimensions need ${headerBytes} header bytes, file has ${raw.length}`);
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const shape: number[] = [];
  let count = 1;
  for (let i = 0; i < rank; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    shape.push(d);
    count *= d;
  }
  const width = IDX_ELEMENT_BYTES[dtype];
  const expected = count * width;
  const found = raw.length - headerBytes;
  if (found < expected) {
    throw corruptData(
      source,
      `data truncated: shape [${shape.join(', ')}] of ${dtype} needs ${expected} bytes after the header, found ${found}`,
    );
  }
  if (found > expected) {
    throw corruptData(
      source,
      `${found - expected} unexpected trailing bytes after the data of shape [${shape.join(', ')}] (${dtype})`,
    );
  }
  return { dtype, shape, data: readValues(view, headerBytes, count, dtype) } as unknown as IdxArray<D>;
}

function readValues(view: DataView, offset: number, count: number, dtype: IdxDtype): IdxTypedArrays[IdxDtype] {
  switch (dtype) {
    case 'uint8':
      // A copy, so the result never aliases a pooled Buffer or the caller's bytes.
      return new Uint8Array(view.buffer.slice(view.byteOffset + offset, view.byteOffset + offset + count));
    case 'int8':
      return new Int8Array(view.buffer.slice(view.byteOffset + offset, view.byteOffset + offset + count));
    case 'int16': {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(offset + 2 * i, false);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(offset + 4 * i, false);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(offset + 4 * i, false);
      return out;
    }
    case 'float64': {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(offset + 8 * i, false);
      return out;
    }
  }
}

