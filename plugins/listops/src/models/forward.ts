/**
 * The transformer's forward pass as pure tf functions of a parameter record:
 * embedding, pre-LayerNorm blocks (multi-head self-attention, optional GELU
 * feed-forward), final LayerNorm and a linear classifier read at one position
 * per expression. Sub-layer outputs can be recorded or replaced (ablation)
 * by name: `attn<l>` and `ffn<l>`.
 *
 * The training and evaluation path computes the last block at the readout
 * position only (the other positions cannot reach the classifier), which
 * makes a 1-layer model several times cheaper; `embed` + `block` compute
 * every position, for the layer-by-layer `run` stream. Both give the same
 * logits (tested).
 */
import * as tf from '@tensorflow/tfjs';
import { ops } from '@engram/core';
import type { TransformerConfig, TransformerShape } from './transformer-config.js';
import { PAD_ID } from '../listops/tokenizer.js';

/** The parameter record the functions read (live variables or plain tensors, e.g. in a gradient check). */
export type TransformerParams = Readonly<Record<string, tf.Tensor>>;

/** Options of a forward pass. */
export interface ForwardOptions {
  /**
   * Replaces a sub-layer's output by a vector [width] at every position
   * (mean ablation: pass its mean output; zero ablation: zeros).
   */
  replace?: Readonly<Record<string, tf.Tensor1D>>;
  /**
   * Receives each sub-layer's output ([batch, seq, width], or [batch, width]
   * at the readout position) and the mask of real tokens ([batch, seq] or
   * null); called inside the caller's tidy, so keep what you need with tf.keep.
   */
  record?: (name: string, output: tf.Tensor, mask: tf.Tensor2D | null) => void;
}

const NEG = -1e9;

function p(params: TransformerParams, name: string): tf.Tensor {
  const t = params[name];
  if (!t) throw new Error(`listops transformer: missing parameter '${name}'`);
  return t;
}

/** Pre-LayerNorm of GPT-2: core's one layer-norm formula (ops.layerNorm, eps 1e-5). */
function layerNorm(x: tf.Tensor, gain: tf.Tensor, bias: tf.Tensor): tf.Tensor {
  return ops.layerNorm(x, gain, bias, 1e-5);
}

/** GELU, tanh approximation (as GPT-2 / nanoGPT). */
export function gelu(x: tf.Tensor): tf.Tensor {
  const inner = tf.mul(tf.add(x, tf.mul(tf.mul(tf.square(x), x), 0.044715)), Math.sqrt(2 / Math.PI));
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
}

/** 1 for real tokens, 0 for padding: [batch, seq]. */
export function tokenMask(tokens: tf.Tensor2D): tf.Tensor2D {
  return tf.cast(tf.notEqual(tokens, PAD_ID), 'float32') as tf.Tensor2D;
}

/** One-hot [batch, seq] of the position the classifier reads: the last real token, or 0 (CLS). */
export function readoutSelector(tokens: tf.Tensor2D, readout: 'last' | 'cls'): tf.Tensor2D {
  const seq = tokens.shape[1];
  if (readout === 'cls') return tf.oneHot(tf.zeros([tokens.shape[0]], 'int32') as tf.Tensor1D, seq).toFloat() as tf.Tensor2D;
  const last = tf.sub(tf.sum(tokenMask(tokens), 1), 1).toInt() as tf.Tensor1D;
  return tf.oneHot(last, seq).toFloat() as tf.Tensor2D;
}

/** Token plus position embeddings: [batch, seq, width]. */
export function embed(params: TransformerParams, tokens: tf.Tensor2D): tf.Tensor3D {
  const seq = tokens.shape[1];
  const table = p(params, 'embed.tokens');
  // A one-hot product instead of tf.gather: gather's gradient needs UnsortedSegmentSum, which the wasm backend lacks.
  const [batch] = tokens.shape;
  const tok = tf.reshape(tf.matMul(tf.reshape(tf.oneHot(tokens.toInt(), table.shape[0]!), [batch * seq, -1]), table), [batch, seq, -1]);
  const pos = tf.slice(p(params, 'embed.positions'), [0, 0], [seq, -1]);
  return tf.add(tok, pos) as tf.Tensor3D;
}

function sublayer(name: string, out: tf.Tensor, mask: tf.Tensor2D | null, options: ForwardOptions): tf.Tensor {
  const r = options.replace?.[name];
  if (r) return tf.mul(tf.onesLike(out), r);
  options.record?.(name, out, mask);
  return out;
}

/** Splits [rows, seq, width] into heads: [rows * heads, seq, headWidth]. */
function splitHeads(x: tf.Tensor, heads: number, headWidth: number): tf.Tensor3D {
  const [rows, seq] = x.shape as [number, number, number];
  if (heads === 1) return x as tf.Tensor3D;
  return tf.reshape(tf.transpose(tf.reshape(x, [rows, seq, heads, headWidth]), [0, 2, 1, 3]), [rows * heads, seq, headWidth]);
}

function mergeHeads(x: tf.Tensor, rows: number, heads: number, headWidth: number): tf.Tensor {
  const seq = x.shape[1]!;
  if (heads === 1) return x;
  return tf.reshape(tf.transpose(tf.reshape(x, [rows, heads, seq, headWidth]), [0, 2, 1, 3]), [rows, seq, heads * headWidth]);
}

/**
 * Attention of `queries` [batch, q, width] (already normalised) over `keys`
 * [batch, seq, width]; `bias` [batch or 1, q, seq] is added to the scores
 * (causal and padding masks as -1e9).
 */
function attention(params: TransformerParams, l: number, queries: tf.Tensor3D, keys: tf.Tensor3D, bias: tf.Tensor, config: TransformerConfig, shape: TransformerShape): tf.Tensor3D {
  const d = config.width;
  const [batch, q] = queries.shape;
  const seq = keys.shape[1];
  const w = p(params, `block${l}.attn.qkv.weight`);
  const b = p(params, `block${l}.attn.qkv.bias`);
  const wq = tf.slice(w, [0, 0], [d, d]);
  const wkv = tf.slice(w, [0, d], [d, 2 * d]);
  const query = tf.add(tf.matMul(tf.reshape(queries, [batch * q, d]), wq), tf.slice(b, [0], [d]));
  const kv = tf.add(tf.matMul(tf.reshape(keys, [batch * seq, d]), wkv), tf.slice(b, [d], [2 * d]));
  const key = tf.slice(kv, [0, 0], [batch * seq, d]);
  const value = tf.slice(kv, [0, d], [batch * seq, d]);
  const h = config.heads;
  const hw = shape.headWidth;
  const qh = splitHeads(tf.reshape(query, [batch, q, d]), h, hw);
  const kh = splitHeads(tf.reshape(key, [batch, seq, d]), h, hw);
  const vh = splitHeads(tf.reshape(value, [batch, seq, d]), h, hw);
  let scores = tf.mul(tf.matMul(qh, kh, false, true), 1 / Math.sqrt(hw));
  // bias is per sample ([batch, q, seq]) or shared ([1, q, seq]); heads share it.
  scores = tf.reshape(tf.add(tf.reshape(scores, [batch, h, q, seq]), tf.expandDims(bias, 1)), [batch * h, q, seq]);
  const mixed = mergeHeads(tf.matMul(tf.softmax(scores), vh), batch, h, hw);
  const out = tf.add(tf.matMul(tf.reshape(mixed, [batch * q, d]), p(params, `block${l}.attn.out.weight`)), p(params, `block${l}.attn.out.bias`));
  return tf.reshape(out, [batch, q, d]);
}

function feedForward(params: TransformerParams, l: number, x: tf.Tensor, config: TransformerConfig): tf.Tensor {
  const d = config.width;
  const rows = x.size / d;
  const n = layerNorm(x, p(params, `block${l}.ln2.gain`), p(params, `block${l}.ln2.bias`));
  const hidden = gelu(tf.add(tf.matMul(tf.reshape(n, [rows, d]), p(params, `block${l}.ffn.in.weight`)), p(params, `block${l}.ffn.in.bias`)));
  const out = tf.add(tf.matMul(hidden, p(params, `block${l}.ffn.out.weight`)), p(params, `block${l}.ffn.out.bias`));
  return tf.reshape(out, x.shape);
}

/** The additive attention bias of full-sequence blocks: causal [1, seq, seq], or padding [batch, 1, seq] for CLS readout. */
export function sequenceBias(tokens: tf.Tensor2D, causal: boolean): tf.Tensor3D {
  const seq = tokens.shape[1];
  if (causal) {
    const lower = tf.linalg.bandPart(tf.ones([seq, seq]), -1, 0);
    return tf.expandDims(tf.mul(tf.sub(1, lower), NEG), 0) as tf.Tensor3D;
  }
  return tf.expandDims(tf.mul(tf.sub(1, tokenMask(tokens)), NEG), 1) as tf.Tensor3D;
}

/** Block `l` at every position: [batch, seq, width] -> [batch, seq, width]. */
export function block(
  params: TransformerParams,
  l: number,
  x: tf.Tensor3D,
  tokens: tf.Tensor2D,
  config: TransformerConfig,
  shape: TransformerShape,
  options: ForwardOptions = {},
): tf.Tensor3D {
  const mask = tokenMask(tokens);
  const n = layerNorm(x, p(params, `block${l}.ln1.gain`), p(params, `block${l}.ln1.bias`)) as tf.Tensor3D;
  let h = tf.add(x, sublayer(`attn${l}`, attention(params, l, n, n, sequenceBias(tokens, shape.causal), config, shape), mask, options));
  if (shape.hidden > 0) h = tf.add(h, sublayer(`ffn${l}`, feedForward(params, l, h, config), mask, options));
  return h as tf.Tensor3D;
}

/** The last block at the readout position only: [batch, width]. */
function readoutBlock(params: TransformerParams, l: number, x: tf.Tensor3D, tokens: tf.Tensor2D, selector: tf.Tensor2D, config: TransformerConfig, shape: TransformerShape, options: ForwardOptions): tf.Tensor2D {
  const d = config.width;
  const n = layerNorm(x, p(params, `block${l}.ln1.gain`), p(params, `block${l}.ln1.bias`)) as tf.Tensor3D;
  const pick = (t: tf.Tensor3D): tf.Tensor2D => tf.sum(tf.mul(t, tf.expandDims(selector, 2)), 1) as tf.Tensor2D;
  const query = tf.expandDims(pick(n), 1) as tf.Tensor3D;
  // Keys are the real tokens up to the readout position: padding is masked (for causal readout, later positions are padding too).
  const bias = tf.expandDims(tf.mul(tf.sub(1, tokenMask(tokens)), NEG), 1);
  const att = tf.reshape(attention(params, l, query, n, bias, config, shape), [-1, d]);
  let h = tf.add(pick(x), sublayer(`attn${l}`, att, null, options));
  if (shape.hidden > 0) h = tf.add(h, sublayer(`ffn${l}`, feedForward(params, l, h, config), null, options));
  return h as tf.Tensor2D;
}

/** Final LayerNorm and classifier on the readout vectors [batch, width]: logits [batch, classes]. */
export function classify(params: TransformerParams, h: tf.Tensor2D): tf.Tensor2D {
  const n = layerNorm(h, p(params, 'head.ln.gain'), p(params, 'head.ln.bias'));
  return tf.add(tf.matMul(n, p(params, 'head.weight')), p(params, 'head.bias')) as tf.Tensor2D;
}

/** Logits [batch, classes] of token ids [batch, seq] (int32 or float ids). */
export function forwardLogits(params: TransformerParams, tokens: tf.Tensor2D, config: TransformerConfig, shape: TransformerShape, options: ForwardOptions = {}): tf.Tensor2D {
  const ids = tokens.dtype === 'int32' ? tokens : (tokens.toInt() as tf.Tensor2D);
  const selector = readoutSelector(ids, config.readout);
  let x = embed(params, ids);
  for (let l = 0; l < config.layers - 1; l++) x = block(params, l, x, ids, config, shape, options);
  return classify(params, readoutBlock(params, config.layers - 1, x, ids, selector, config, shape, options));
}

/** Logits at every position [batch, seq, classes] (chain of thought: position i predicts the value token at i + 1). */
export function forwardSequenceLogits(params: TransformerParams, tokens: tf.Tensor2D, config: TransformerConfig, shape: TransformerShape, options: ForwardOptions = {}): tf.Tensor3D {
  const ids = tokens.dtype === 'int32' ? tokens : (tokens.toInt() as tf.Tensor2D);
  const [batch, seq] = ids.shape;
  let x = embed(params, ids);
  for (let l = 0; l < config.layers; l++) x = block(params, l, x, ids, config, shape, options);
  return tf.reshape(classify(params, tf.reshape(x, [batch * seq, config.width]) as tf.Tensor2D), [batch, seq, shape.classes]);
}

/** Mean cross-entropy over the positions whose target is >= 0 (the chain of thought's value slots). */
export function maskedCrossEntropy(logits: tf.Tensor3D, targets: tf.Tensor2D): tf.Scalar {
  const classes = logits.shape[2];
  const flat = tf.reshape(logits, [-1, classes]);
  const t = tf.reshape(targets, [-1]).toInt();
  const mask = tf.cast(tf.greaterEqual(t, 0), 'float32');
  const picked = tf.sum(tf.mul(tf.logSoftmax(flat), tf.oneHot(tf.maximum(t, 0).toInt(), classes)), 1);
  return tf.div(tf.neg(tf.sum(tf.mul(picked, mask))), tf.maximum(tf.sum(mask), 1)) as tf.Scalar;
}

/** Mean softmax cross-entropy of logits against integer labels. */
export function crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  const classes = logits.shape[1];
  return tf.losses.softmaxCrossEntropy(tf.oneHot(labels.toInt(), classes), logits) as tf.Scalar;
}
