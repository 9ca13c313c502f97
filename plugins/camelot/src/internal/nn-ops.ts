/**
 * The differentiable building blocks of the small GPT and of attention with
 * memory, written in plain tf ops so that autodiff (first and second order)
 * goes through them. Each has a finite-difference gradient check in the tests.
 */
import * as tf from '@tensorflow/tfjs';
import { errors, ops } from '@engram/core';

/** Layer normalisation over the last axis, * gamma + beta: core's one formula (ops.layerNorm). */
export function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps = 1e-5): tf.Tensor {
  return ops.layerNorm(x, gamma, beta, eps);
}

/** GELU, sigmoid approximation x * sigmoid(1.702 x) (one transcendental op: the tanh form costs twice as much here). */
export function gelu(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(x, tf.sigmoid(tf.mul(x, 1.702))));
}

/** Rotary tables for positions 0..length-1 and a head size d (even). */
export interface RotaryTables {
  /** The base of the angles (10000 for GPT-NeoX and LLaMA). */
  readonly base: number;
  /** cos of each position's angles, repeated over both halves: [length, d]. */
  readonly cos: tf.Tensor2D;
  /** sin likewise: [length, d]. */
  readonly sin: tf.Tensor2D;
  /** The half rotation (x1, x2) -> (-x2, x1) as a [d, d] matrix (a product is cheaper here than split + concat). */
  readonly rotateHalf: tf.Tensor2D;
}

/**
 * Writes the rotary cos/sin of `position` (any real, negative too) into row `row` of [rows, d] arrays
 * (halves layout: angle i for entries i and half + i).
 */
function fillRotaryRow(cos: Float32Array, sin: Float32Array, row: number, position: number, headSize: number, base: number): void {
  const half = headSize / 2;
  for (let i = 0; i < half; i++) {
    const angle = position / Math.pow(base, (2 * i) / headSize);
    cos[row * headSize + i] = cos[row * headSize + half + i] = Math.cos(angle);
    sin[row * headSize + i] = sin[row * headSize + half + i] = Math.sin(angle);
  }
}

/** Rotary tables (GPT-NeoX halves layout, base 10000). */
export function rotaryTables(length: number, headSize: number, base = 10000): RotaryTables {
  const half = headSize / 2;
  const cos = new Float32Array(length * headSize);
  const sin = new Float32Array(length * headSize);
  for (let p = 0; p < length; p++) fillRotaryRow(cos, sin, p, p, headSize, base);
  const r = new Float32Array(headSize * headSize);
  for (let i = 0; i < half; i++) {
    r[(half + i) * headSize + i] = -1; // out[i] = -x2[i]
    r[i * headSize + half + i] = 1; // out[half + i] = x1[i]
  }
  return { base, cos: tf.tensor2d(cos, [length, headSize]), sin: tf.tensor2d(sin, [length, headSize]), rotateHalf: tf.tensor2d(r, [headSize, headSize]) };
}

/** x cos + rotateHalf(x) sin for x [..., d] and cos, sin broadcastable to it. */
function rotate(x: tf.Tensor, cos: tf.Tensor, sin: tf.Tensor, tables: RotaryTables): tf.Tensor {
  const d = x.shape[x.rank - 1]!;
  const rotated = tf.matMul(x.reshape([-1, d]), tables.rotateHalf).reshape(x.shape);
  return tf.add(tf.mul(x, cos), tf.mul(rotated, sin));
}

/**
 * Rotary position embedding of x [..., T, d] with the first T rows of the
 * tables: x cos + rotateHalf(x) sin, i.e. (x1, x2) -> (x1 cos - x2 sin, x2 cos + x1 sin).
 */
export function applyRotary(x: tf.Tensor, tables: RotaryTables): tf.Tensor {
  return tf.tidy(() => {
    const d = x.shape[x.rank - 1]!;
    const t = x.shape[x.rank - 2]!;
    const cos = t === tables.cos.shape[0] ? tables.cos : tf.slice(tables.cos, [0, 0], [t, d]);
    const sin = t === tables.sin.shape[0] ? tables.sin : tf.slice(tables.sin, [0, 0], [t, d]);
    return rotate(x, cos, sin, tables);
  });
}

/** Every vector of x [..., d] rotated as at one position of the tables (a key that far back from each query). */
export function rotateAt(x: tf.Tensor, position: number, tables: RotaryTables): tf.Tensor {
  const d = x.shape[x.rank - 1]!;
  if (!(Number.isInteger(position) && position >= 0 && position < tables.cos.shape[0])) {
    throw errors.invalidArgument('rotary position', `an integer in [0, ${tables.cos.shape[0]}) (the tables' length)`, position);
  }
  return tf.tidy(() => rotate(x, tf.slice(tables.cos, [position, 0], [1, d]), tf.slice(tables.sin, [position, 0], [1, d]), tables));
}

/**
 * Smeared keys (Olsson et al. 2022) of keys [batch, heads, tokens, headSize] and logits s [1, heads, 1, 1]: sigmoid(s) * k_t + (1 - sigmoid(s)) * k_(t-1) per head
 * (the window's first token has no previous key: zeros). A key then says which token came before its
 * own, which is what copying by content looks up.
 */
export function smearKeys(keys: tf.Tensor4D, smear: tf.Tensor): tf.Tensor4D {
  return tf.tidy(() => {
    const [batch, heads, length, size] = keys.shape;
    const previous = tf.slice(tf.pad(keys, [[0, 0], [0, 0], [1, 0], [0, 0]]), [0, 0, 0, 0], [batch, heads, length, size]);
    const own = tf.sigmoid(smear);
    return tf.add(tf.mul(own, keys), tf.mul(tf.sub(1, own), previous)) as tf.Tensor4D;
  });
}

/**
 * Keys [batch, heads, entries, d] rotated to the positions `distances` [batch * heads * entries] tokens before the
 * window's first token (the tables' rotation and base): a query at position p then sees entry r at distance
 * p + distances[r].
 *
 * @throws EngramError INVALID_ARGUMENT when `distances` has not one entry per key.
 */
export function rotateBefore(keys: tf.Tensor4D, distances: Float32Array, tables: RotaryTables): tf.Tensor4D {
  const d = keys.shape[3];
  if (distances.length * d !== keys.size) throw errors.invalidArgument('memory distances', `one per key (${keys.size / d})`, distances.length);
  const cos = new Float32Array(keys.size);
  const sin = new Float32Array(keys.size);
  distances.forEach((n, r) => fillRotaryRow(cos, sin, r, -n, d, tables.base));
  return tf.tidy(() => rotate(keys, tf.tensor4d(cos, keys.shape), tf.tensor4d(sin, keys.shape), tables) as tf.Tensor4D);
}

/** A [T, T] causal mask: 1 where key position <= query position. */
export function causalMask(length: number): tf.Tensor2D {
  return tf.linalg.bandPart(tf.ones([length, length]), -1, 0) as tf.Tensor2D;
}

/** Scores where mask is 0 get this added: far below any real score, still finite (no NaN in softmax or its gradient). */
const MASKED = -1e9;

/**
 * Scaled dot-product attention of local queries over local keys (under
 * `localMask`, [T, T] or broadcastable to [B, H, T, T]) and, optionally, over
 * extra memory entries: memory keys/values [B, H, R, d] visible to query t
 * where `memory.visible` [B, H or 1, T, R] is 1. Memory scores may use their own
 * queries (`memoryQueries`, e.g. without positional rotation); both sets of
 * scores share one softmax, so memory entries compete with the local window
 * exactly as extra keys would; `memory.bias` is added to every memory score.
 */
export function attention(
  queries: tf.Tensor,
  keys: tf.Tensor,
  values: tf.Tensor,
  localMask: tf.Tensor,
  memory?: { queries: tf.Tensor; keys: tf.Tensor; values: tf.Tensor; visible: tf.Tensor; bias?: number | Float32Array },
): tf.Tensor {
  return tf.tidy(() => {
    const d = queries.shape[queries.rank - 1]!;
    const scale = 1 / Math.sqrt(d);
    const masked = (scores: tf.Tensor, mask: tf.Tensor): tf.Tensor => tf.add(tf.mul(scores, scale), tf.mul(tf.sub(1, mask), MASKED));
    const local = masked(tf.matMul(queries, keys, false, true), localMask);
    if (!memory) return tf.matMul(tf.softmax(local), values);
    const scored = masked(tf.matMul(memory.queries, memory.keys, false, true), memory.visible);
    const mem = memory.bias === undefined || memory.bias === 0 ? scored : tf.add(scored, typeof memory.bias === 'number' ? memory.bias : tf.tensor1d(memory.bias));
    const r = memory.keys.shape[2]!;
    const p = tf.softmax(tf.concat([mem, local], -1));
    const [pMem, pLocal] = tf.split(p, [r, p.shape[p.rank - 1]! - r], -1) as [tf.Tensor, tf.Tensor];
    return tf.add(tf.matMul(pMem, memory.values), tf.matMul(pLocal, values));
  });
}

/** Mean next-token cross-entropy (nats) of logits [N, V] against integer targets [N]. */
export function crossEntropy(logits: tf.Tensor2D, targets: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(logits), tf.oneHot(targets, logits.shape[1]!)), 1))) as tf.Scalar);
}

/** Per-token cross-entropy (nats) of logits [N, V] against integer targets [N]. */
export function tokenLosses(logits: tf.Tensor2D, targets: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), tf.oneHot(targets, logits.shape[1]!)), 1)) as tf.Tensor1D);
}
