/**
 * A memory for a frozen attention model: one {@link SlotStore} per attention
 * layer and per stream (batch row). For each window the model processes,
 * `windowHook()` gives the model's {@link AttentionHook}: at every layer it
 * retrieves slots for the window's tokens (the read) and captures the
 * window's keys and values; `commit()` then writes them (the write), so a
 * window reads only what earlier windows wrote. No gradient, no training: the
 * model's weights are never touched.
 */
import * as tf from '@tensorflow/tfjs';
import { EngramError, ErrorCodes, errors, parseConfig } from '@engram/core';
import type { AttentionHook, AttentionLayerShape, AttentionLayerView, AttentionModel, MemoryEntries } from './attention-hook.js';
import { memoryConfigSchema, type MemoryConfig, type MemoryConfigInput } from './memory-config.js';
import { retrieveEntries } from './retrieval.js';
import { SlotStore, type StoreStats } from './slot-store.js';

/** The state of one layer's store, as plain numbers (what the stream reports). */
export interface LayerMemoryState {
  /** Slots in use. */
  filled: number;
  /** Count of each slot (tokens consolidated into it). */
  counts: number[];
  /** Age of each slot (tokens written since its last write). */
  ages: number[];
  /** Cumulative writes, merges, inserts, evictions. */
  stats: StoreStats;
}

/** A window's hook: the {@link AttentionHook} plus what it captured, written by `commit`. */
export interface WindowHook extends AttentionHook {
  /** Writes the captured keys and values of every layer into the stores; returns this window's statistics per layer (summed over streams). */
  commit(): StoreStats[];
}

/** The memory. */
export class CamelotMemory {
  readonly config: MemoryConfig;
  readonly layers: readonly AttentionLayerShape[];
  readonly streams: number;
  private stores: SlotStore[][];

  /**
   * @param config the memory's config (checked: ENGRAM_ERR_INVALID_CONFIG naming the key)
   * @param layers the head shapes of the model's attention layers
   * @param streams independent streams (batch rows), each with its own slots
   */
  constructor(config: MemoryConfigInput, layers: readonly AttentionLayerShape[], streams = 1) {
    this.config = parseConfig(memoryConfigSchema, config, 'camelot memory');
    if (!Array.isArray(layers) || layers.length < 1) throw errors.invalidArgument('memory layers', 'at least one attention layer shape', layers);
    for (const [i, l] of layers.entries()) {
      if (!Number.isInteger(l.heads) || l.heads < 1 || !Number.isInteger(l.headSize) || l.headSize < 1) {
        throw errors.invalidArgument(`memory layer ${i}`, '{ heads, headSize } positive integers', l);
      }
    }
    if (!Number.isInteger(streams) || streams < 1) throw errors.invalidArgument('memory streams', 'a positive integer', streams);
    for (const l of this.config.readLayers ?? []) if (l >= layers.length) throw errors.invalidArgument('readLayers', `layer indices below ${layers.length} (the model's attention layers)`, l);
    for (const [l, h] of [...(this.config.readHeads ?? []), ...(this.config.beyondHeads ?? [])]) {
      if (l >= layers.length || h >= layers[l]!.heads) throw errors.invalidArgument(this.config.readHeads?.some(([a, b]) => a === l && b === h) ? 'readHeads' : 'beyondHeads', `[layer, head] pairs of the model's ${layers.length} layers (heads ${layers.map((x) => x.heads).join(', ')})`, [l, h]);
    }
    this.layers = layers.map((l) => ({ heads: l.heads, headSize: l.headSize }));
    this.streams = streams;
    this.stores = this.freshStores();
  }

  /** A memory shaped for `model`'s attention layers. */
  static for(model: AttentionModel, config: MemoryConfigInput, streams = 1): CamelotMemory {
    return new CamelotMemory(config, model.attentionLayers, streams);
  }

  private freshStores(): SlotStore[][] {
    return Array.from({ length: this.streams }, () => this.layers.map((l) => new SlotStore(this.config, l.heads * l.headSize, l.heads * l.headSize)));
  }

  /** Forgets everything (every slot, count, age and statistic). */
  reset(): void {
    this.stores = this.freshStores();
  }

  /** Checks that `model`'s attention layers have this memory's shapes (ENGRAM_ERR_SHAPE_MISMATCH otherwise). */
  checkModel(model: AttentionModel): void {
    const theirs = model.attentionLayers;
    if (theirs.length !== this.layers.length) throw errors.shapeMismatch('the model\'s attention layers (count) for this memory', [this.layers.length], [theirs.length]);
    theirs.forEach((l, i) => {
      const mine = this.layers[i]!;
      if (l.heads !== mine.heads || l.headSize !== mine.headSize) {
        throw errors.shapeMismatch(`attention layer ${i} (heads, headSize) for this memory`, [mine.heads, mine.headSize], [l.heads, l.headSize]);
      }
    });
  }

  /** The store of one stream and layer (read-only use). */
  store(stream: number, layer: number): SlotStore {
    const s = this.stores[stream]?.[layer];
    if (!s) throw errors.invalidArgument('memory store', `stream < ${this.streams} and layer < ${this.layers.length}`, { stream, layer });
    return s;
  }

  /** The state of every layer's store, per stream. */
  snapshot(): LayerMemoryState[][] {
    return this.stores.map((layers) => layers.map((s) => ({ filled: s.filled, counts: s.counts(), ages: s.ages(), stats: { ...s.stats } })));
  }

  /**
   * The hook for one window: pass it to `model.logitsWithHook(tokens, hook)`,
   * then call `commit()` to write the window into memory. Each layer view's
   * shapes are checked against the memory's (ENGRAM_ERR_SHAPE_MISMATCH).
   */
  windowHook(): WindowHook {
    const captured: { keys: Float32Array; values: Float32Array; length: number }[] = [];
    const config = this.config;
    const memory = this;
    return {
      placement: config.placement,
      attend(view: AttentionLayerView): MemoryEntries | null {
        const shape = memory.layers[view.layer];
        if (!shape) throw errors.invalidArgument('attention layer index', `below ${memory.layers.length} (this memory's layers)`, view.layer);
        const length = view.keys.shape[2];
        const expected = [memory.streams, shape.heads, length, shape.headSize];
        for (const [name, t] of [['queries', view.queries], ['keys', view.keys], ['values', view.values], ...(view.memoryQueries ? [['memoryQueries', view.memoryQueries] as const] : [])] as const) {
          if (t.rank !== 4 || t.shape.some((d, i) => d !== expected[i])) throw errors.shapeMismatch(`layer ${view.layer} ${name} (batch = memory streams, heads, tokens, headSize)`, expected, t.shape);
        }
        const stores = memory.stores.map((s) => s[view.layer]!);
        const heads = config.readHeads?.filter(([l]) => l === view.layer).map(([, h]) => h);
        const reads = (!config.readLayers || config.readLayers.includes(view.layer)) && (!heads || heads.length > 0);
        const beyondHeads = config.beyondHeads?.filter(([l]) => l === view.layer).map(([, h]) => h);
        const entries = reads ? retrieveEntries(stores, view.memoryQueries ?? view.queries, view.keys, { ...config, heads, beyondHeads }) : null;
        // Captured as [B, T, H*dh]: one row per token, heads concatenated (the slot layout).
        const [keys, values] = tf.tidy(() => [view.keys, view.values].map((t) => tf.transpose(t, [0, 2, 1, 3]).dataSync() as Float32Array));
        captured[view.layer] = { keys: keys!, values: values!, length };
        return entries;
      },
      commit(): StoreStats[] {
        const seen = memory.layers.filter((_, l) => captured[l] !== undefined).length;
        if (seen !== memory.layers.length) {
          throw new EngramError(ErrorCodes.INVALID_ARGUMENT, `commit() needs every attention layer's keys: the forward pass showed ${seen} of ${memory.layers.length} layers to this hook (pass it to logitsWithHook first)`, {});
        }
        const out = memory.layers.map(() => ({ written: 0, merges: 0, inserts: 0, evictions: 0 }));
        memory.layers.forEach((l, layer) => {
          const c = captured[layer]!;
          const row = c.length * l.heads * l.headSize;
          for (let b = 0; b < memory.streams; b++) {
            const d = memory.stores[b]![layer]!.write(c.keys.subarray(b * row, (b + 1) * row), c.values.subarray(b * row, (b + 1) * row));
            for (const k of Object.keys(d) as (keyof StoreStats)[]) out[layer]![k] += d[k];
          }
        });
        captured.length = 0;
        return out;
      },
    };
  }

  /** @internal Replaces the stores (deserialization). */
  restoreStores(stores: SlotStore[][]): void {
    if (stores.length !== this.streams || stores.some((s) => s.length !== this.layers.length)) {
      throw errors.shapeMismatch('restored memory stores (streams, layers)', [this.streams, this.layers.length], [stores.length, stores[0]?.length ?? 0]);
    }
    this.stores = stores;
  }
}
