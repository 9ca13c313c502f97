/**
 * A memory's state (config, layer shapes and every slot's key, value, count
 * and last write) as one JSON document, arrays in base64, and as bytes (that
 * JSON in UTF-8). Loading checks everything before building: format, config
 * schema, layer shapes against each store's key size
 * (ENGRAM_ERR_SHAPE_MISMATCH), array lengths (ENGRAM_ERR_CORRUPT_DATA). Files:
 * `@engram/camelot/node`'s `saveMemory` / `loadMemory`.
 */
import { EngramError, ErrorCodes, errors } from '@engram/core';
import { fromBase64 as decodeBase64, toBase64 as encodeBase64 } from '../internal/base64.js';
import { CamelotMemory } from './camelot-memory.js';
import type { AttentionLayerShape } from './attention-hook.js';
import type { MemoryConfig } from './memory-config.js';
import { SlotStore, type StoreStats } from './slot-store.js';

/** Format tag of a saved memory. */
export const MEMORY_FORMAT = 'engram-camelot-memory';
/** Version of the saved-memory format. */
export const MEMORY_FORMAT_VERSION = 1;

/** One store as JSON. */
export interface StoreJson {
  keySize: number;
  valueSize: number;
  filled: number;
  clock: number;
  /** base64 of little-endian float32 / float64 arrays. */
  keys: string;
  values: string;
  counts: string;
  lastWrite: string;
  stats: StoreStats;
}

/** A saved memory. */
export interface MemoryJson {
  format: typeof MEMORY_FORMAT;
  formatVersion: number;
  config: MemoryConfig;
  layers: AttentionLayerShape[];
  streams: number;
  /** [stream][layer]. */
  stores: StoreJson[][];
}

// Typed arrays are written in the platform's byte order, little-endian on every platform tfjs runs on.
const toBase64 = (a: Float32Array | Float64Array): string => encodeBase64(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));

function fromBase64<T extends Float32Array | Float64Array>(s: unknown, make: (b: ArrayBuffer) => T, bytes: number, what: string): T {
  if (typeof s !== 'string') throw new EngramError(ErrorCodes.CORRUPT_DATA, `${what} must be a base64 string`, { what });
  const buf = decodeBase64(s);
  if (!buf) throw new EngramError(ErrorCodes.CORRUPT_DATA, `${what} is not padded base64 text`, { what });
  if (buf.byteLength % bytes !== 0) throw new EngramError(ErrorCodes.CORRUPT_DATA, `${what} has ${buf.byteLength} bytes, not a whole number of ${bytes}-byte numbers`, { what });
  const copy = new ArrayBuffer(buf.byteLength);
  new Uint8Array(copy).set(buf);
  return make(copy);
}

/** The memory's state as JSON. */
export function serializeMemory(memory: CamelotMemory): MemoryJson {
  const stores: StoreJson[][] = [];
  for (let b = 0; b < memory.streams; b++) {
    stores.push(
      memory.layers.map((_, l) => {
        const d = memory.store(b, l).toData();
        return { keySize: d.keySize, valueSize: d.valueSize, filled: d.filled, clock: d.clock, keys: toBase64(d.keys), values: toBase64(d.values), counts: toBase64(d.counts), lastWrite: toBase64(d.lastWrite), stats: d.stats };
      }),
    );
  }
  return { format: MEMORY_FORMAT, formatVersion: MEMORY_FORMAT_VERSION, config: { ...memory.config }, layers: memory.layers.map((l) => ({ ...l })), streams: memory.streams, stores };
}

/** Rebuilds a memory from {@link serializeMemory}'s JSON (`source` names it in errors). */
export function deserializeMemory(json: unknown, source = 'memory state'): CamelotMemory {
  const j = json as Partial<MemoryJson> | null;
  if (!j || typeof j !== 'object' || j.format !== MEMORY_FORMAT) throw new EngramError(ErrorCodes.INVALID_SPEC, `${source}: 'format' must be '${MEMORY_FORMAT}' (is this a saved CAMELoT memory?)`, { source });
  if (j.formatVersion !== MEMORY_FORMAT_VERSION) throw new EngramError(ErrorCodes.INVALID_SPEC, `${source}: unsupported formatVersion ${String(j.formatVersion)}; this version reads ${MEMORY_FORMAT_VERSION}`, { source });
  const memory = new CamelotMemory(j.config ?? {}, j.layers ?? [], j.streams ?? 1);
  const stores = j.stores;
  if (!Array.isArray(stores) || stores.length !== memory.streams) throw new EngramError(ErrorCodes.CORRUPT_DATA, `${source}: 'stores' must hold ${memory.streams} streams`, { source });
  const rebuilt = stores.map((layers, b) => {
    if (!Array.isArray(layers) || layers.length !== memory.layers.length) throw new EngramError(ErrorCodes.CORRUPT_DATA, `${source}: stream ${b} must hold ${memory.layers.length} layer stores`, { source });
    return layers.map((s, l) => {
      const shape = memory.layers[l]!;
      const size = shape.heads * shape.headSize;
      if (s.keySize !== size || s.valueSize !== size) throw errors.shapeMismatch(`${source}: stream ${b} layer ${l} key/value size (heads x headSize)`, [size, size], [s.keySize, s.valueSize]);
      const what = `${source} stream ${b} layer ${l}`;
      return SlotStore.fromData(
        memory.config,
        {
          keySize: s.keySize,
          valueSize: s.valueSize,
          filled: s.filled,
          clock: s.clock,
          keys: fromBase64(s.keys, (x) => new Float32Array(x), 4, `${what} keys`),
          values: fromBase64(s.values, (x) => new Float32Array(x), 4, `${what} values`),
          counts: fromBase64(s.counts, (x) => new Float64Array(x), 8, `${what} counts`),
          lastWrite: fromBase64(s.lastWrite, (x) => new Float64Array(x), 8, `${what} lastWrite`),
          stats: { written: s.stats?.written ?? 0, merges: s.stats?.merges ?? 0, inserts: s.stats?.inserts ?? 0, evictions: s.stats?.evictions ?? 0 },
        },
        what,
      );
    });
  });
  memory.restoreStores(rebuilt);
  return memory;
}

/** The memory's state as bytes: {@link serializeMemory}'s JSON in UTF-8 (what `saveMemory` writes to a file). */
export function memoryToBytes(memory: CamelotMemory): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(serializeMemory(memory))}\n`);
}

/** Rebuilds a memory from {@link memoryToBytes}' bytes (`source` names them in errors). */
export function memoryFromBytes(bytes: Uint8Array, source = 'memory state'): CamelotMemory {
  if (!(bytes instanceof Uint8Array)) throw errors.invalidArgument('bytes', 'a Uint8Array (from memoryToBytes)', typeof bytes);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (err) {
    throw new EngramError(ErrorCodes.INVALID_SPEC, `${source}: not valid JSON (${(err as Error).message})`, { source }, { cause: err });
  }
  return deserializeMemory(json, source);
}
