/**
 * One layer's memory for one stream, on the host (plain Float32Arrays: the
 * write rule is sequential per token, so it runs in JavaScript, not as
 * thousands of tiny tensor ops). Each slot holds a key and a value (all heads
 * concatenated: one slot is one consolidated token), a count (tokens merged
 * into it) and the clock time it was last written, from which its age follows.
 *
 * Write rules, per token in order (`write`):
 * - camelot: find the nearest filled slot by cosine similarity of keys. If
 *   similarity >= threshold, merge: key and value become the count-weighted
 *   running mean (consolidate 'mean'; 'none' keeps them), count + 1, age 0.
 *   Otherwise the token is novel: it fills a free slot if there is one, else
 *   replaces the least recently written slot (evict 'oldest'; ties: lowest
 *   index) with count 1 and age 0 — or, with evict 'never', merges into its
 *   nearest slot anyway.
 * - fifo: the token always replaces the least recently written slot once full
 *   (a ring buffer of the last M tokens).
 * - unbounded: the token is appended.
 * Every slot ages by one per token written (age = clock - last write).
 */
import { EngramError, ErrorCodes, errors } from '@engram/core';
import type { MemoryConfig } from './memory-config.js';

/** Cumulative write statistics of a store. */
export interface StoreStats {
  /** Tokens written. */
  written: number;
  /** Tokens merged into an existing slot. */
  merges: number;
  /** Tokens that filled a free slot. */
  inserts: number;
  /** Tokens that replaced an occupied slot (that slot's content is lost). */
  evictions: number;
}

/** The plain-data form of a store (what serialization writes). */
export interface StoreData {
  keySize: number;
  valueSize: number;
  filled: number;
  clock: number;
  keys: Float32Array;
  values: Float32Array;
  counts: Float64Array;
  lastWrite: Float64Array;
  stats: StoreStats;
}

type StorePolicy = Pick<MemoryConfig, 'policy' | 'memories' | 'threshold' | 'consolidate' | 'evict'>;

/** One layer's slots for one stream. */
export class SlotStore {
  private capacity: number;
  private filledSlots = 0;
  private clock = 0;
  private keyData: Float32Array;
  private valueData: Float32Array;
  /** 1 / |key| of each slot (0 for a zero key), kept for the cosine search. */
  private inverseNorms: Float64Array;
  private countData: Float64Array;
  private lastWriteData: Float64Array;
  readonly stats: StoreStats = { written: 0, merges: 0, inserts: 0, evictions: 0 };

  constructor(
    readonly policy: StorePolicy,
    readonly keySize: number,
    readonly valueSize: number,
  ) {
    if (!Number.isInteger(keySize) || keySize < 1) throw errors.invalidArgument('memory key size', 'a positive integer', keySize);
    if (!Number.isInteger(valueSize) || valueSize < 1) throw errors.invalidArgument('memory value size', 'a positive integer', valueSize);
    this.capacity = policy.policy === 'unbounded' ? 64 : policy.memories;
    this.keyData = new Float32Array(this.capacity * keySize);
    this.valueData = new Float32Array(this.capacity * valueSize);
    this.inverseNorms = new Float64Array(this.capacity);
    this.countData = new Float64Array(this.capacity);
    this.lastWriteData = new Float64Array(this.capacity);
  }

  /** Slots in use. */
  get filled(): number {
    return this.filledSlots;
  }

  /** Tokens written so far (the clock). */
  get time(): number {
    return this.clock;
  }

  /** Keys of the filled slots, [filled, keySize] row-major (a view: do not modify). */
  get keys(): Float32Array {
    return this.keyData.subarray(0, this.filledSlots * this.keySize);
  }

  /** Values of the filled slots, [filled, valueSize] (a view). */
  get values(): Float32Array {
    return this.valueData.subarray(0, this.filledSlots * this.valueSize);
  }

  /** Count of each filled slot (tokens consolidated into it). */
  counts(): number[] {
    return Array.from(this.countData.subarray(0, this.filledSlots));
  }

  /** Age of each filled slot: tokens written since it was last written. */
  ages(): number[] {
    return Array.from(this.lastWriteData.subarray(0, this.filledSlots), (t) => this.clock - t);
  }

  /**
   * Writes tokens in order: keys [n, keySize] and values [n, valueSize],
   * row-major. Returns the statistics of this call.
   */
  write(keys: Float32Array, values: Float32Array): StoreStats {
    const n = keys.length / this.keySize;
    if (!Number.isInteger(n) || values.length !== n * this.valueSize) {
      throw new EngramError(
        ErrorCodes.SHAPE_MISMATCH,
        `memory write: ${keys.length} key numbers and ${values.length} value numbers do not make whole tokens of key size ${this.keySize} and value size ${this.valueSize}: write keys [tokens, ${this.keySize}] and values [tokens, ${this.valueSize}]`,
        { keySize: this.keySize, valueSize: this.valueSize, keys: keys.length, values: values.length },
      );
    }
    const delta: StoreStats = { written: 0, merges: 0, inserts: 0, evictions: 0 };
    for (let i = 0; i < n; i++) {
      const key = keys.subarray(i * this.keySize, (i + 1) * this.keySize);
      const value = values.subarray(i * this.valueSize, (i + 1) * this.valueSize);
      for (const k of key) if (!Number.isFinite(k)) throw errors.nonFiniteInput('memory write keys');
      this.writeOne(key, value, delta);
    }
    for (const k of Object.keys(delta) as (keyof StoreStats)[]) this.stats[k] += delta[k];
    return delta;
  }

  private writeOne(key: Float32Array, value: Float32Array, delta: StoreStats): void {
    const now = ++this.clock;
    delta.written++;
    const p = this.policy.policy;
    if (p === 'unbounded') {
      if (this.filledSlots === this.capacity) this.grow();
      this.place(this.filledSlots++, key, value, now);
      delta.inserts++;
      return;
    }
    if (p === 'fifo') {
      if (this.filledSlots < this.capacity) {
        this.place(this.filledSlots++, key, value, now);
        delta.inserts++;
      } else {
        this.place(this.leastRecent(), key, value, now);
        delta.evictions++;
      }
      return;
    }
    const { index: nearest, similarity } = this.nearest(key);
    if (nearest >= 0 && similarity >= this.policy.threshold) {
      this.merge(nearest, key, value, now);
      delta.merges++;
    } else if (this.filledSlots < this.capacity) {
      this.place(this.filledSlots++, key, value, now);
      delta.inserts++;
    } else if (this.policy.evict === 'oldest') {
      this.place(this.leastRecent(), key, value, now);
      delta.evictions++;
    } else {
      this.merge(nearest, key, value, now);
      delta.merges++;
    }
  }

  /** The filled slot of highest cosine similarity with `key` (index -1 when empty). */
  nearest(key: ArrayLike<number>): { index: number; similarity: number } {
    let norm = 0;
    for (let j = 0; j < this.keySize; j++) norm += key[j]! * key[j]!;
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    let best = -1;
    let bestSim = -Infinity;
    const d = this.keySize;
    const data = this.keyData;
    for (let s = 0; s < this.filledSlots; s++) {
      let dot = 0;
      const off = s * d;
      for (let j = 0; j < d; j++) dot += data[off + j]! * key[j]!;
      const sim = dot * inv * this.inverseNorms[s]!;
      if (sim > bestSim) {
        bestSim = sim;
        best = s;
      }
    }
    return { index: best, similarity: bestSim };
  }

  private leastRecent(): number {
    let best = 0;
    for (let s = 1; s < this.filledSlots; s++) if (this.lastWriteData[s]! < this.lastWriteData[best]!) best = s;
    return best;
  }

  private place(slot: number, key: Float32Array, value: Float32Array, now: number): void {
    this.keyData.set(key, slot * this.keySize);
    this.valueData.set(value, slot * this.valueSize);
    this.countData[slot] = 1;
    this.lastWriteData[slot] = now;
    this.refreshNorm(slot);
  }

  private merge(slot: number, key: Float32Array, value: Float32Array, now: number): void {
    const c = this.countData[slot]!;
    if (this.policy.consolidate === 'mean') {
      const a = c / (c + 1);
      const b = 1 / (c + 1);
      const ko = slot * this.keySize;
      for (let j = 0; j < this.keySize; j++) this.keyData[ko + j] = a * this.keyData[ko + j]! + b * key[j]!;
      const vo = slot * this.valueSize;
      for (let j = 0; j < this.valueSize; j++) this.valueData[vo + j] = a * this.valueData[vo + j]! + b * value[j]!;
      this.refreshNorm(slot);
    }
    this.countData[slot] = c + 1;
    this.lastWriteData[slot] = now;
  }

  private refreshNorm(slot: number): void {
    let norm = 0;
    const o = slot * this.keySize;
    for (let j = 0; j < this.keySize; j++) norm += this.keyData[o + j]! * this.keyData[o + j]!;
    this.inverseNorms[slot] = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  }

  private grow(): void {
    const cap = this.capacity * 2;
    const grow = <T extends Float32Array | Float64Array>(a: T, size: number, make: (n: number) => T): T => {
      const b = make(cap * size);
      b.set(a);
      return b;
    };
    this.keyData = grow(this.keyData, this.keySize, (n) => new Float32Array(n));
    this.valueData = grow(this.valueData, this.valueSize, (n) => new Float32Array(n));
    this.inverseNorms = grow(this.inverseNorms, 1, (n) => new Float64Array(n));
    this.countData = grow(this.countData, 1, (n) => new Float64Array(n));
    this.lastWriteData = grow(this.lastWriteData, 1, (n) => new Float64Array(n));
    this.capacity = cap;
  }

  /** A copy of the store's data. */
  toData(): StoreData {
    const f = this.filledSlots;
    return {
      keySize: this.keySize,
      valueSize: this.valueSize,
      filled: f,
      clock: this.clock,
      keys: this.keyData.slice(0, f * this.keySize),
      values: this.valueData.slice(0, f * this.valueSize),
      counts: this.countData.slice(0, f),
      lastWrite: this.lastWriteData.slice(0, f),
      stats: { ...this.stats },
    };
  }

  /** Restores data written by {@link toData} (sizes checked first). */
  static fromData(policy: StorePolicy, data: StoreData, what = 'memory state'): SlotStore {
    const store = new SlotStore(policy, data.keySize, data.valueSize);
    const f = data.filled;
    const limit = policy.policy === 'unbounded' ? Infinity : policy.memories;
    if (!Number.isInteger(f) || f < 0 || f > limit) throw errors.invalidArgument(`${what} filled slots`, `an integer in [0, ${limit}]`, f);
    if (data.keys.length !== f * data.keySize || data.values.length !== f * data.valueSize || data.counts.length !== f || data.lastWrite.length !== f) {
      throw new EngramError(ErrorCodes.CORRUPT_DATA, `${what}: array lengths do not match ${f} slots of key size ${data.keySize} and value size ${data.valueSize}`, { filled: f });
    }
    while (store.capacity < f) store.grow();
    store.keyData.set(data.keys);
    store.valueData.set(data.values);
    store.countData.set(data.counts);
    store.lastWriteData.set(data.lastWrite);
    store.filledSlots = f;
    store.clock = data.clock;
    Object.assign(store.stats, data.stats);
    for (let s = 0; s < f; s++) store.refreshNorm(s);
    return store;
  }
}
