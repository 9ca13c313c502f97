/**
 * A small decoder-only GPT ('camelot/gpt') on characters or subword tokens: token embedding
 * (tied with the output layer), pre-norm blocks of causal multi-head attention
 * and a GELU MLP, rotary or learned positions. It is the frozen base model of
 * the CAMELoT experiments and the first user of the {@link AttentionHook}.
 *
 * As an engram model its state is one layer 'tokens' (the window, as token
 * ids) and `run` generates greedily: each step appends the most likely next
 * token and drops the oldest one.
 */
import * as tf from '@tensorflow/tfjs';
import { ModelBase, errors, explicitRule, parseConfig, seededRandom, type DynamicsSystem, type GenerateOptions, type State, type StateLayer, type TrainingFace } from '@engram/core';
import type { AttentionHook, AttentionLayerShape, AttentionModel, MemoryPlacement } from '../memory/attention-hook.js';
import { tokenizerFor, type Tokenizer } from '../internal/tokenizer.js';
import { applyRotary, attention, causalMask, crossEntropy, gelu, layerNorm, rotateAt, rotateBefore, rotaryTables, smearKeys, tokenLosses, type RotaryTables } from '../internal/nn-ops.js';
import { gptConfigSchema, type GptConfig, type GptConfigInput } from './gpt-config.js';
import { gptTrainingFace } from './gpt-training.js';

let modelCount = 0;

/** The registered kind of the GPT. */
export const GPT_KIND = 'camelot/gpt';

interface BlockWeights {
  ln1Gamma: tf.Variable;
  ln1Beta: tf.Variable;
  qkv: tf.Variable;
  proj: tf.Variable;
  ln2Gamma: tf.Variable;
  ln2Beta: tf.Variable;
  mlpIn: tf.Variable;
  mlpInBias: tf.Variable;
  mlpOut: tf.Variable;
  mlpOutBias: tf.Variable;
  /** Smeared keys: per head, the logit of the current key's share (absent without smearKeys). */
  smear: tf.Variable | undefined;
}

/**
 * The queries a rotary layer scores memory entries with: rotated at their own positions (entries at position 0 of
 * the window), unrotated (entries at distance 0), or all rotated by n (entries n tokens before every query).
 */
function memoryQueriesAt(queries: tf.Tensor4D, rotated: tf.Tensor4D, tables: RotaryTables, placement: MemoryPlacement): tf.Tensor {
  if (placement === 'window-start' || placement === 'age') return rotated;
  if (placement === 'query' || placement === 0) return queries;
  return rotateAt(queries, placement, tables);
}

/** The small GPT. Build it with `engram.createModel('camelot/gpt', config)` or `new Gpt(config)`. */
export class Gpt extends ModelBase<GptConfig> implements AttentionModel {
  readonly kind = GPT_KIND;
  readonly layers: readonly StateLayer[];
  readonly config: GptConfig;
  readonly tokenizer: Tokenizer;
  readonly attentionLayers: readonly AttentionLayerShape[];
  override readonly training: TrainingFace;
  private readonly weights: Record<string, tf.Variable> = {};
  private readonly blockWeights: BlockWeights[] = [];
  private readonly rotary: RotaryTables | undefined;

  constructor(config: GptConfigInput = {}) {
    super();
    this.config = parseConfig(gptConfigSchema, config, GPT_KIND);
    const c = this.config;
    this.tokenizer = tokenizerFor(c);
    this.layers = [{ name: 'tokens', shape: [c.contextLength] }];
    const headSize = c.size / c.heads;
    this.attentionLayers = Array.from({ length: c.blocks }, () => ({ heads: c.heads, headSize }));
    let seed = c.seed * 1000 + 1;
    const normal = (shape: number[], std: number): tf.Tensor => tf.randomNormal(shape, 0, std, 'float32', seed++);
    const add = (name: string, t: tf.Tensor): tf.Variable => {
      const v = tf.variable(t, true, `${GPT_KIND}#${++modelCount}/${name}`);
      t.dispose();
      this.weights[name] = v;
      return v;
    };
    // GPT-2 initialisation: N(0, 0.02), residual projections scaled by 1/sqrt(2 * blocks).
    const residualStd = 0.02 / Math.sqrt(2 * c.blocks);
    add('embedding', normal([this.tokenizer.size, c.size], 0.02));
    if (c.positions === 'learned') add('position', normal([c.contextLength, c.size], 0.01));
    for (let b = 0; b < c.blocks; b++) {
      const p = `block${b}`;
      this.blockWeights.push({
        ln1Gamma: add(`${p}.ln1.gamma`, tf.ones([c.size])),
        ln1Beta: add(`${p}.ln1.beta`, tf.zeros([c.size])),
        qkv: add(`${p}.attention.qkv`, normal([c.size, 3 * c.size], 0.02)),
        proj: add(`${p}.attention.out`, normal([c.size, c.size], residualStd)),
        ln2Gamma: add(`${p}.ln2.gamma`, tf.ones([c.size])),
        ln2Beta: add(`${p}.ln2.beta`, tf.zeros([c.size])),
        mlpIn: add(`${p}.mlp.in`, normal([c.size, c.hiddenSize], 0.02)),
        mlpInBias: add(`${p}.mlp.inBias`, tf.zeros([c.hiddenSize])),
        mlpOut: add(`${p}.mlp.out`, normal([c.hiddenSize, c.size], residualStd)),
        mlpOutBias: add(`${p}.mlp.outBias`, tf.zeros([c.size])),
        // Logit 0: each key starts as the even mix of its own and the previous token's key.
        smear: c.smearKeys ? add(`${p}.attention.smear`, tf.zeros([1, c.heads, 1, 1])) : undefined,
      });
    }
    add('final.gamma', tf.ones([c.size]));
    add('final.beta', tf.zeros([c.size]));
    this.rotary = c.positions === 'rotary' ? rotaryTables(c.contextLength, headSize) : undefined;
    this.training = gptTrainingFace(this);
  }

  get contextLength(): number {
    return this.config.contextLength;
  }

  get vocabularySize(): number {
    return this.tokenizer.size;
  }

  variables(): Record<string, tf.Variable> {
    this.assertAlive();
    return { ...this.weights };
  }

  getConfig(): GptConfig {
    return { ...this.config };
  }

  /**
   * Logits [batch, tokens, vocabulary] of integer tokens [batch, tokens]
   * (tokens <= contextLength), with an optional memory hook at every
   * attention layer. Differentiable w.r.t. the weights.
   */
  logitsWithHook(tokens: tf.Tensor2D, hook?: AttentionHook): tf.Tensor3D {
    this.assertAlive();
    const c = this.config;
    const [batch, length] = tokens.shape;
    if (length > c.contextLength) throw errors.invalidArgument('tokens length', `at most the context length ${c.contextLength}`, length);
    if (length < 1) throw errors.invalidArgument('tokens length', 'at least 1', length);
    return tf.tidy(() => {
      const ids = tokens.dtype === 'int32' ? tokens : tf.cast(tokens, 'int32');
      const headSize = c.size / c.heads;
      // One-hot product rather than gather: wasm has no gradient kernel for gather (UnsortedSegmentSum), and V is small.
      let x = tf.matMul(tf.oneHot(ids.reshape([-1]) as tf.Tensor1D, this.tokenizer.size), this.weights['embedding']!).reshape([batch, length, c.size]);
      if (c.positions === 'learned') x = tf.add(x, tf.slice(this.weights['position']!, [0, 0], [length, c.size]));
      const mask = causalMask(length);
      const rotary = this.rotary;
      const heads = (t: tf.Tensor): tf.Tensor4D => tf.transpose(t.reshape([batch, length, c.heads, headSize]), [0, 2, 1, 3]) as tf.Tensor4D;
      this.blockWeights.forEach((w, layer) => {
        const h = layerNorm(x, w.ln1Gamma, w.ln1Beta).reshape([batch * length, c.size]);
        const [q, own, v] = tf.split(tf.matMul(h, w.qkv), 3, 1).map(heads) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
        const k = w.smear ? smearKeys(own, w.smear) : own;
        const qr = rotary ? applyRotary(q, rotary) : q;
        const kr = rotary ? applyRotary(k, rotary) : k;
        // Memory entries are scored with queries rotated to where the placement puts the entries (memoryQueriesAt).
        const memoryQueries = (rotary ? memoryQueriesAt(q, qr as tf.Tensor4D, rotary, hook?.placement ?? 'window-start') : q) as tf.Tensor4D;
        const entries = hook?.attend({ layer, queries: q, keys: k, values: v, ...(memoryQueries !== q ? { memoryQueries } : {}) });
        const memoryKeys = entries?.distances && rotary ? rotateBefore(entries.keys, entries.distances, rotary) : entries?.keys;
        const memory = entries ? { queries: memoryQueries, keys: memoryKeys!, values: entries.values, visible: entries.visible, ...(entries.bias ? { bias: entries.bias } : {}) } : undefined;
        const att = attention(qr, kr, v, mask, memory);
        const merged = tf.transpose(att, [0, 2, 1, 3]).reshape([batch * length, c.size]);
        x = tf.add(x, tf.matMul(merged, w.proj).reshape([batch, length, c.size]));
        const h2 = layerNorm(x, w.ln2Gamma, w.ln2Beta).reshape([batch * length, c.size]);
        const m = tf.add(tf.matMul(gelu(tf.add(tf.matMul(h2, w.mlpIn), w.mlpInBias)), w.mlpOut), w.mlpOutBias);
        x = tf.add(x, m.reshape([batch, length, c.size]));
      });
      const out = layerNorm(x, this.weights['final.gamma']!, this.weights['final.beta']!).reshape([batch * length, c.size]);
      return tf.matMul(out, this.weights['embedding']!, false, true).reshape([batch, length, this.tokenizer.size]) as tf.Tensor3D;
    });
  }

  /** Logits without memory. */
  logits(tokens: tf.Tensor2D): tf.Tensor3D {
    return this.logitsWithHook(tokens);
  }

  /** Mean next-token loss (nats) of windows [batch, length + 1]: predicts tokens 1..length from 0..length-1. */
  loss(windows: tf.Tensor2D): tf.Scalar {
    return tf.tidy(() => {
      const [batch, n] = windows.shape;
      const ids = tf.cast(windows, 'int32');
      const inputs = tf.slice(ids, [0, 0], [batch, n - 1]) as tf.Tensor2D;
      const targets = tf.slice(ids, [0, 1], [batch, n - 1]).reshape([-1]) as tf.Tensor1D;
      const logits = this.logits(inputs).reshape([batch * (n - 1), this.tokenizer.size]) as tf.Tensor2D;
      return crossEntropy(logits, targets);
    });
  }

  /** Per-token next-token losses [batch, length] of windows [batch, length + 1] (nats). */
  tokenLosses(windows: tf.Tensor2D, hook?: AttentionHook): tf.Tensor2D {
    return tf.tidy(() => {
      const [batch, n] = windows.shape;
      const ids = tf.cast(windows, 'int32');
      const inputs = tf.slice(ids, [0, 0], [batch, n - 1]) as tf.Tensor2D;
      const targets = tf.slice(ids, [0, 1], [batch, n - 1]).reshape([-1]) as tf.Tensor1D;
      const logits = this.logitsWithHook(inputs, hook).reshape([batch * (n - 1), this.tokenizer.size]) as tf.Tensor2D;
      return tokenLosses(logits, targets).reshape([batch, n - 1]) as tf.Tensor2D;
    });
  }

  /** Greedy continuation of a text by `length` tokens (window-only, no memory). */
  generate(prompt: string, length: number): string {
    this.assertAlive();
    let ids = Array.from(this.tokenizer.encode(prompt));
    if (ids.length === 0) ids = [0];
    const out: number[] = [];
    for (let i = 0; i < length; i++) {
      const win = ids.slice(-this.config.contextLength);
      const next = tf.tidy(() => {
        const logits = this.logits(tf.tensor2d([win], [1, win.length], 'int32'));
        return tf.argMax(tf.slice(logits, [0, win.length - 1, 0], [1, 1, -1]).reshape([-1])).dataSync()[0]!;
      });
      ids.push(next);
      out.push(next);
    }
    return this.tokenizer.decode(out);
  }

  protected dynamics(): DynamicsSystem {
    const length = this.config.contextLength;
    return explicitRule({
      update: (state) =>
        tf.tidy(() => {
          const tokens = state['tokens']!;
          const batch = tokens.shape[0]!;
          const logits = this.logits(tokens as tf.Tensor2D);
          const next = tf.cast(tf.argMax(tf.slice(logits, [0, length - 1, 0], [batch, 1, -1]).reshape([batch, -1]), 1), 'float32').reshape([batch, 1]);
          return { tokens: tf.concat([tf.slice(tokens, [0, 1], [batch, length - 1]), next], 1) };
        }),
    });
  }

  /** Token ids are integers in [0, vocabulary): inputs are rounded and clipped. */
  protected override prepareState(state: State): State {
    const tokens = state['tokens'];
    if (tokens) {
      state['tokens'] = tf.tidy(() => tf.clipByValue(tf.round(tokens), 0, this.tokenizer.size - 1));
      tokens.dispose();
    }
    return super.prepareState(state);
  }

  /** Random windows of seeded uniform token ids. */
  protected override generateState(batch: number, options: GenerateOptions): State {
    const rand = seededRandom(options.seed ?? 0);
    const n = batch * this.config.contextLength;
    const ids = new Float32Array(n);
    for (let i = 0; i < n; i++) ids[i] = Math.floor(rand() * this.tokenizer.size);
    return { tokens: tf.tensor2d(ids, [batch, this.config.contextLength]) };
  }

  protected override release(): void {
    for (const v of Object.values(this.weights)) v.dispose();
    if (this.rotary) tf.dispose([this.rotary.cos, this.rotary.sin, this.rotary.rotateHalf]);
  }
}
