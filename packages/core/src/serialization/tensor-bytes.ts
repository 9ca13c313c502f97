/**
 * Shared by model weights and optimizer state: packing named tensors into one
 * little-endian byte array with a manifest, and checking a manifest and its bytes
 * before anything is rebuilt (so both formats fail the same way, with the same codes).
 */
import * as tf from '@tensorflow/tfjs';
import { EngramError, ErrorCodes } from '../errors/index.js';
import { crc32 } from './checksum.js';

/** Element types a packed tensor may have (both 4 bytes per element). */
export type PackedDtype = 'float32' | 'int32';

/** One tensor in a packed byte array. */
export interface PackedEntry<D extends PackedDtype = PackedDtype> {
  name: string;
  shape: number[];
  dtype: D;
  /** Byte offset in the packed bytes. */
  offset: number;
  byteLength: number;
}

/** Concatenates the tensors' data; `dtypeOf` picks the stored type (data is converted when it differs). */
export function packTensors<D extends PackedDtype>(
  list: ReadonlyArray<{ name: string; tensor: tf.Tensor }>,
  dtypeOf: (t: tf.Tensor) => D,
): { entries: PackedEntry<D>[]; bytes: Uint8Array } {
  const entries: PackedEntry<D>[] = [];
  const chunks: Array<Float32Array | Int32Array> = [];
  let offset = 0;
  for (const { name, tensor: t } of list) {
    const dtype = dtypeOf(t);
    const raw = t.dataSync();
    const data = dtype === 'int32' ? (raw instanceof Int32Array ? raw : Int32Array.from(raw as ArrayLike<number>)) : raw instanceof Float32Array ? raw : Float32Array.from(raw as ArrayLike<number>);
    entries.push({ name, shape: [...t.shape], dtype, offset, byteLength: data.byteLength });
    chunks.push(data);
    offset += data.byteLength;
  }
  const bytes = new Uint8Array(offset);
  for (let i = 0; i < chunks.length; i++) {
    const c = chunks[i]!;
    bytes.set(new Uint8Array(c.buffer, c.byteOffset, c.byteLength), entries[i]!.offset);
  }
  return { entries, bytes };
}

/** An ENGRAM_ERR_INVALID_SPEC naming the file (`source`) and the problem. */
export function invalidSpec(source: string, problem: string): EngramError {
  return new EngramError(ErrorCodes.INVALID_SPEC, `${source}: ${problem}`, { source, problem });
}

/**
 * Checks that a manifest's entries are contiguous and agree with their shapes,
 * allowed dtypes and the total byte length; throws ENGRAM_ERR_INVALID_SPEC otherwise.
 */
export function checkEntries<D extends PackedDtype>(entries: unknown, byteLength: unknown, source: string, dtypes: readonly D[]): PackedEntry<D>[] {
  if (!Array.isArray(entries) || typeof byteLength !== 'number') {
    throw invalidSpec(source, "'weights' must describe the weights file (file, byteLength, crc32, entries)");
  }
  let end = 0;
  for (const e of entries as Array<Partial<PackedEntry> | null>) {
    const shapeOk = Array.isArray(e?.shape) && e.shape.every((d) => Number.isInteger(d) && d >= 0);
    const n = shapeOk ? e!.shape!.reduce((a, b) => a * b, 1) : NaN;
    if (typeof e?.name !== 'string' || !Number.isFinite(n) || !dtypes.includes(e.dtype as D) || e.byteLength !== n * 4 || e.offset !== end) {
      throw invalidSpec(source, `weights entry ${JSON.stringify(e)} is inconsistent (shape, dtype ${dtypes.join(' or ')}, offset and byteLength must agree)`);
    }
    end += e.byteLength;
  }
  if (end !== byteLength) throw invalidSpec(source, `weights entries cover ${end} bytes but byteLength says ${byteLength}`);
  return entries as PackedEntry<D>[];
}

/**
 * Checks the bytes against the manifest's length and CRC-32; throws
 * ENGRAM_ERR_CORRUPT_WEIGHTS (truncated, padded or corrupt) with `remedy` appended.
 */
export function checkBytes(bytes: Uint8Array, expected: { byteLength: number; crc32?: string }, source: string, remedy: string): void {
  if (bytes.byteLength !== expected.byteLength) {
    throw new EngramError(
      ErrorCodes.CORRUPT_WEIGHTS,
      `${source}: the weights file has ${bytes.byteLength} bytes but the spec expects ${expected.byteLength} (truncated or from another save): ${remedy}`,
      { source, expected: expected.byteLength, actual: bytes.byteLength },
    );
  }
  if (expected.crc32 !== undefined) {
    const actual = crc32(bytes);
    if (actual !== expected.crc32) {
      throw new EngramError(ErrorCodes.CORRUPT_WEIGHTS, `${source}: the weights file fails its CRC-32 check (corrupt): ${remedy}`, {
        source,
        expected: expected.crc32,
        actual,
      });
    }
  }
}

/**
 * A manifest's `crc32` must be 8 hex digits; only with `allowMissingChecksum`
 * may it be absent (hand-written specs), never malformed.
 */
export function checkChecksumField(crc: unknown, source: string, options: { allowMissingChecksum?: boolean } = {}): void {
  if (crc === undefined && options.allowMissingChecksum) return;
  if (typeof crc !== 'string' || !/^[0-9a-f]{8}$/.test(crc)) {
    throw invalidSpec(
      source,
      `'crc32' must be the weights' CRC-32 as 8 lowercase hex digits, got ${JSON.stringify(crc) ?? String(crc)}: save the model again (or load a hand-written spec with { allowMissingChecksum: true })`,
    );
  }
}

/** Deepest nesting a spec may have: real specs are a few levels deep; deeper input would exhaust recursive checks. */
const MAX_DEPTH = 64;

/** Throws ENGRAM_ERR_INVALID_SPEC when `value` nests deeper than {@link MAX_DEPTH} (checked without recursion). */
export function checkDepth(value: unknown, source: string): void {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (d > MAX_DEPTH) throw invalidSpec(source, `nested deeper than ${MAX_DEPTH} levels: not an engram spec`);
    if (v && typeof v === 'object') for (const c of Object.values(v as object)) if (c && typeof c === 'object') stack.push([c, d + 1]);
  }
}

/** Copies the bytes once so every entry can be viewed as a 4-byte-aligned typed array. */
export function alignedCopy(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}

/** A new tensor holding one entry of (aligned) packed bytes. */
export function unpackTensor(aligned: Uint8Array, e: PackedEntry): tf.Tensor {
  const n = e.byteLength / 4;
  const data = e.dtype === 'int32' ? new Int32Array(aligned.buffer, aligned.byteOffset + e.offset, n) : new Float32Array(aligned.buffer, aligned.byteOffset + e.offset, n);
  return tf.tensor(data, e.shape, e.dtype);
}
