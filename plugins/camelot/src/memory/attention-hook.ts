/**
 * The small hook through which a memory attaches to an attention model. Any
 * tfjs attention model that implements {@link AttentionModel} can carry a
 * memory: at each attention layer it shows the hook that layer's queries, keys
 * and values (content only, before any positional rotation, shaped
 * [batch, heads, tokens, headSize]), and lets the hook add memory entries that
 * the layer's queries attend to in the same softmax as their local keys.
 *
 * The model stays frozen: the hook never changes a weight, it only adds keys
 * and values to attention.
 */
import type * as tf from '@tensorflow/tfjs';

/** The shape of one attention layer's heads. */
export interface AttentionLayerShape {
  readonly heads: number;
  readonly headSize: number;
}

/** What an attention layer shows its hook. Tensors are owned by the model (valid during the call). */
export interface AttentionLayerView {
  /** Index of the attention layer (0 = nearest the input). */
  readonly layer: number;
  /** [batch, heads, tokens, headSize], before positional rotation. */
  readonly queries: tf.Tensor4D;
  readonly keys: tf.Tensor4D;
  readonly values: tf.Tensor4D;
  /**
   * The queries the layer will score memory entries with, when they differ from
   * `queries` (a rotary model: its queries rotated to where the placement puts
   * the entries). A memory that picks entries by score should rank them with
   * these, so that it picks what the attention will weigh most.
   */
  readonly memoryQueries?: tf.Tensor4D;
}

/**
 * Entries the hook adds to a layer's attention: keys and values
 * [batch, heads, entries, headSize] and which query may see which entry,
 * `visible` [batch, heads or 1, tokens, entries] (1 = visible). Create them
 * inside the model's forward pass (they are then freed with its intermediates).
 */
export interface MemoryEntries {
  readonly keys: tf.Tensor4D;
  readonly values: tf.Tensor4D;
  readonly visible: tf.Tensor4D;
  /**
   * Added to every entry's scaled score before the shared softmax (default 0):
   * one number, or one per entry ([entries]). Negative: the layer keeps to its
   * local keys unless an entry matches clearly (a model that implements the
   * hook should honour it).
   */
  readonly bias?: number | Float32Array;
  /**
   * How many tokens before the window's first token each entry was last
   * written, [batch * heads * entries] (given with placement 'age'; a rotary
   * model rotates each entry's key to that position).
   */
  readonly distances?: Float32Array;
}

/**
 * Where a model with relative (rotary) positions places memory entries:
 * 'window-start' rotates them as keys at position 0 of the window (a query at
 * position t sees them t tokens back); 'query' leaves queries and memory keys
 * unrotated (every memory entry at distance 0 from its query); 'age' rotates
 * each entry as a key `distances` tokens before the window's first token; a
 * number n places every entry n tokens before each query. Models with
 * absolute positions ignore it (their keys already carry position).
 */
export type MemoryPlacement = 'window-start' | 'query' | 'age' | number;

/** Called once per attention layer during a forward pass. */
export interface AttentionHook {
  attend(view: AttentionLayerView): MemoryEntries | null;
  /** Placement of the entries for rotary models (default 'window-start'). */
  readonly placement?: MemoryPlacement;
}

/** A tfjs attention model a memory can attach to. */
export interface AttentionModel {
  /** The head shapes of its attention layers, in order. */
  readonly attentionLayers: readonly AttentionLayerShape[];
  /** The longest window it attends over, in tokens. */
  readonly contextLength: number;
  /** Size of its vocabulary (logits' last axis). */
  readonly vocabularySize: number;
  /** Logits [batch, tokens, vocabulary] of integer tokens [batch, tokens], calling `hook` at each attention layer. */
  logitsWithHook(tokens: tf.Tensor2D, hook?: AttentionHook): tf.Tensor3D;
  /** Every weight by name (to check that a run leaves them untouched). */
  variables(): Record<string, tf.Variable>;
}
