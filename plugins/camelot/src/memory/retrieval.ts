/**
 * The read side of a memory: for one attention layer, which slots each query
 * token retrieves, and the memory entries (keys, values, visibility) handed
 * back to the model. Similarities and top-k run as tensor ops; the picks are
 * then gathered on the host, where the slots live.
 */
import * as tf from '@tensorflow/tfjs';
import type { MemoryEntries } from './attention-hook.js';
import type { MemoryConfig } from './memory-config.js';
import type { SlotStore } from './slot-store.js';

/** Scores of empty (padding) slots: never picked while a filled slot remains. */
const EMPTY_SLOT = -1e9;

type ReadConfig = Pick<MemoryConfig, 'retrieval' | 'retrievalHeads' | 'topK' | 'read' | 'scoreBias' | 'placement' | 'maxDistance' | 'beyond' | 'beyondBias'> & {
  /** The heads of this layer that see entries (default all). */
  heads?: readonly number[];
  /** The heads of this layer that see far entries (beyond 'window-start'; default all that read). */
  beyondHeads?: readonly number[];
};

/**
 * Memory entries for one layer: `queries` and `keys` [B, H, T, dh] of the
 * window (content, before rotation), one store per batch row. Returns null
 * when every store is empty. Call inside a tf.tidy (the model's forward pass).
 */
export function retrieveEntries(stores: readonly SlotStore[], queries: tf.Tensor4D, keys: tf.Tensor4D, config: ReadConfig): MemoryEntries | null {
  const [batch, heads, length, headSize] = queries.shape;
  const maxFilled = Math.max(...stores.map((s) => s.filled));
  if (maxFilled === 0) return null;
  const width = heads * headSize;
  // Slot keys [B, M, H*dh] zero-padded, and the validity of each slot.
  const slotKeys = new Float32Array(batch * maxFilled * width);
  const valid = new Float32Array(batch * maxFilled);
  stores.forEach((s, b) => {
    slotKeys.set(s.keys, b * maxFilled * width);
    valid.fill(1, b * maxFilled, b * maxFilled + s.filled);
  });
  const k = Math.min(config.topK, maxFilled);
  const picks = tf.tidy(() => {
    const slots = tf.transpose(tf.tensor4d(slotKeys, [batch, maxFilled, heads, headSize]), [0, 2, 1, 3]); // [B, H, M, dh]
    const unit = (t: tf.Tensor): tf.Tensor => tf.div(t, tf.add(tf.norm(t, 'euclidean', -1, true), 1e-12));
    let sim = config.retrieval === 'query' ? tf.matMul(queries, slots, false, true) : tf.matMul(unit(keys), unit(slots), false, true); // [B, H, T, M]
    if (config.retrievalHeads === 'all') sim = tf.sum(sim, 1, true);
    const mask = tf.tensor4d(valid, [batch, 1, 1, maxFilled]);
    sim = tf.add(sim, tf.mul(tf.sub(1, mask), EMPTY_SLOT));
    return tf.topk(sim, k, true).indices; // [B, H or 1, T, k]
  });
  const idx = picks.dataSync();
  const pickHeads = picks.shape[1]!;
  picks.dispose();
  const picked = length * k;
  // With placement 'age' and beyond 'window-start', every pick is an entry twice: at its distance, for the queries
  // within maxDistance of it, and at the window start, for the queries beyond (entries picked + r).
  const twice = config.placement === 'age' && config.maxDistance !== undefined && config.beyond === 'window-start';
  const entries = twice ? 2 * picked : picked;
  const memKeys = new Float32Array(batch * heads * entries * headSize);
  const memValues = new Float32Array(batch * heads * entries * headSize);
  const visible = new Float32Array(batch * heads * length * entries);
  const withDistances = config.placement === 'age';
  const distances = new Float32Array(withDistances ? batch * heads * entries : 0);
  for (let b = 0; b < batch; b++) {
    const store = stores[b]!;
    const ages = withDistances ? store.ages() : [];
    const sk = store.keys;
    const sv = store.values;
    for (let h = 0; h < heads; h++) {
      if (config.heads && !config.heads.includes(h)) continue; // a head that does not read: its entries stay hidden
      const ph = pickHeads === 1 ? 0 : h;
      const farHere = twice && (!config.beyondHeads || config.beyondHeads.includes(h));
      const seen = new Set<number>();
      for (let t = 0; t < length; t++) {
        for (let j = 0; j < k; j++) {
          const r = t * k + j;
          const far = r + picked;
          const slot = idx[((b * pickHeads + ph) * length + t) * k + j]!;
          const ok = j < store.filled;
          const base = ((b * heads + h) * entries + r) * headSize;
          if (ok) {
            const src = slot * width + h * headSize;
            memKeys.set(sk.subarray(src, src + headSize), base);
            memValues.set(sv.subarray(src, src + headSize), base);
            if (twice) {
              // The far copy: distance 0 (left at 0 in `distances`), i.e. at the window start.
              const farBase = ((b * heads + h) * entries + far) * headSize;
              memKeys.set(sk.subarray(src, src + headSize), farBase);
              memValues.set(sv.subarray(src, src + headSize), farBase);
            }
            // The window's previous token has age 0: one token before the window's first.
            if (withDistances) distances[(b * heads + h) * entries + r] = ages[slot]! + 1;
          }
          if (!ok) continue;
          const rowBase = (b * heads + h) * length;
          // Queries at most this far into the window see the entry (maxDistance counts from the entry to the query).
          const lastQuery = withDistances && config.maxDistance !== undefined ? Math.min(length - 1, config.maxDistance - (ages[slot]! + 1)) : length - 1;
          if (config.read === 'own') {
            if (t <= lastQuery) visible[(rowBase + t) * entries + r] = 1;
            else if (farHere) visible[(rowBase + t) * entries + far] = 1;
          } else {
            if (seen.has(slot)) continue; // shown once: its first retrieval already reaches every later token
            seen.add(slot);
            for (let q = t; q <= lastQuery; q++) visible[(rowBase + q) * entries + r] = 1;
            if (farHere) for (let q = Math.max(t, lastQuery + 1); q < length; q++) visible[(rowBase + q) * entries + far] = 1;
          }
        }
      }
    }
  }
  return {
    keys: tf.tensor4d(memKeys, [batch, heads, entries, headSize]),
    values: tf.tensor4d(memValues, [batch, heads, entries, headSize]),
    visible: tf.tensor4d(visible, [batch, heads, length, entries]),
    ...(twice && config.beyondBias ? { bias: Float32Array.from({ length: entries }, (_, r) => config.scoreBias + (r >= picked ? config.beyondBias : 0)) } : config.scoreBias ? { bias: config.scoreBias } : {}),
    ...(withDistances ? { distances } : {}),
  };
}
