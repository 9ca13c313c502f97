/**
 * 'listops/transformer': a small GPT-style transformer over ListOps
 * expressions, on core's model protocol. With format 'cot' (default) it is a
 * causal language model that writes the running value after every argument
 * (the chain of thought) and is scored by greedy decoding; with format
 * 'answer' it classifies the bare expression from its last token or a CLS
 * token. Its state is the forward pass: `tokens` (ids as numbers), the
 * residual stream `hidden` and the `logits` of the next value after the given
 * tokens; `run` streams it layer by layer as an explicit system (step 1
 * embeds, steps 2..layers+1 apply the blocks, the next step reads out; later
 * steps leave the state as it is). Its training face trains it on the
 * generator of its config.
 */
import * as tf from '@tensorflow/tfjs';
import { errors, explicitRule, ModelBase, parseConfig, type DynamicsSystem, type GenerateOptions, type RunDefaults, type State, type StateLayer } from '@engram/core';
import { distinctExamples, type ListOpsExample } from '../listops/generate.js';
import { digitTokenId, encodeExamples, PAD_ID, rowLengths, selectRows, type EncodedExamples } from '../listops/tokenizer.js';
import { decodeChainOfThought, type DecodeResult } from './decode.js';
import { block, classify, crossEntropy, embed, forwardLogits, forwardSequenceLogits, maskedCrossEntropy, readoutSelector, type ForwardOptions } from './forward.js';
import { countParameters, initParameters } from './parameters.js';
import { transformerConfigSchema, transformerShape, type TransformerConfig, type TransformerConfigInput, type TransformerShape } from './transformer-config.js';
import { transformerTrainingFace, type TransformerBatch, type TransformerTrainingFace } from './transformer-training.js';

/** The kind id. */
export const TRANSFORMER_KIND = 'listops/transformer';

/** A small transformer that computes ListOps expressions. */
export class ListOpsTransformer extends ModelBase<TransformerConfig> {
  readonly kind = TRANSFORMER_KIND;
  readonly layers: readonly StateLayer[];
  readonly shape: TransformerShape;
  /** The parsed config (read-only; getConfig() returns a copy). */
  readonly config: Readonly<TransformerConfig>;
  override readonly training: TransformerTrainingFace;
  protected override readonly runDefaults: RunDefaults;
  private readonly params: Record<string, tf.Variable>;

  /** Builds a model from a config (checked: coded ENGRAM_ERR_INVALID_CONFIG / INVALID_ARGUMENT errors). */
  constructor(config: TransformerConfigInput = {}) {
    super();
    this.config = parseConfig(transformerConfigSchema, config, TRANSFORMER_KIND);
    this.shape = transformerShape(this.config);
    this.layers = [
      { name: 'tokens', shape: [this.shape.seqLen] },
      { name: 'hidden', shape: [this.shape.seqLen, this.config.width] },
      { name: 'logits', shape: [this.shape.classes] },
    ];
    this.runDefaults = { maxSteps: this.config.layers + 2 };
    this.params = initParameters(this.config, this.shape);
    this.training = transformerTrainingFace(this);
  }

  /** Number of scalar parameters. */
  get parameterCount(): number {
    return countParameters(this.config, this.shape);
  }

  variables(): Record<string, tf.Variable> {
    this.assertAlive();
    return this.params;
  }

  getConfig(): TransformerConfig {
    return structuredClone(this.config) as TransformerConfig;
  }

  /** Examples in this model's layout (host arrays). */
  encode(examples: readonly ListOpsExample[]): EncodedExamples {
    return encodeExamples(examples, this.shape.seqLen, this.shape.layout);
  }

  /** The differentiable training loss of a batch: masked next-value cross-entropy (cot) or the answer's cross-entropy. */
  loss(batch: TransformerBatch, options: ForwardOptions = {}): tf.Scalar {
    this.assertAlive();
    if (this.shape.layout === 'cot') {
      if (!batch.targets) throw errors.invalidArgument('training batch', 'chain-of-thought targets (encode with layout cot)', 'none');
      return maskedCrossEntropy(forwardSequenceLogits(this.params, batch.tokens, this.config, this.shape, options), batch.targets);
    }
    return crossEntropy(forwardLogits(this.params, batch.tokens, this.config, this.shape, options), batch.labels);
  }

  /** Logits of the answer [batch, classes] (format 'answer'), or of the next value at every position [batch, seq, classes] (format 'cot'). */
  logits(tokens: tf.Tensor2D, options: ForwardOptions = {}): tf.Tensor {
    this.assertAlive();
    this.checkTokens(tokens);
    return tf.tidy(() =>
      this.shape.layout === 'cot' ? forwardSequenceLogits(this.params, tokens, this.config, this.shape, options) : forwardLogits(this.params, tokens, this.config, this.shape, options),
    );
  }

  /**
   * Scores examples: greedy decoding of the chain of thought, or the
   * classified answer. Examples are scored in batches of similar length (each
   * cut to its longest row); results are in the order given.
   */
  score(examples: readonly ListOpsExample[], options: ForwardOptions = {}, batchSize = 256): DecodeResult {
    this.assertAlive();
    if (examples.length === 0) throw errors.invalidArgument('examples to score', 'at least one example', 0);
    const all = this.encode(examples);
    const lengths = rowLengths(all);
    const order = Array.from({ length: all.count }, (_, i) => i).sort((a, b) => lengths[a]! - lengths[b]!);
    const answers = new Int32Array(examples.length);
    let right = 0;
    let steps = 0;
    for (let i = 0; i < order.length; i += batchSize) {
      const rows = order.slice(i, i + batchSize);
      const data = selectRows(all, rows, lengths);
      let result: DecodeResult;
      if (this.shape.layout === 'cot') {
        result = decodeChainOfThought(data, (tokens) => tf.tidy(() => tf.argMax(forwardSequenceLogits(this.params, tokens, this.config, this.shape, options), 2) as tf.Tensor2D));
      } else {
        const tokens = tf.tensor2d(data.tokens, [data.count, data.seqLen], 'int32');
        const pred = tf.tidy(() => tf.argMax(forwardLogits(this.params, tokens, this.config, this.shape, options), 1));
        const a = Int32Array.from(pred.dataSync());
        tokens.dispose();
        pred.dispose();
        const acc = a.reduce((n, v, r) => n + (v === data.labels[r] ? 1 : 0), 0) / data.count;
        result = { answers: a, accuracy: acc, stepAccuracy: acc };
      }
      rows.forEach((r, k) => (answers[r] = result.answers[k]!));
      right += result.accuracy * rows.length;
      steps += result.stepAccuracy * rows.length;
    }
    return { answers, accuracy: right / examples.length, stepAccuracy: steps / examples.length };
  }

  /** Fraction of examples solved (see {@link score}). */
  accuracy(examples: readonly ListOpsExample[], options: ForwardOptions = {}): number {
    return this.score(examples, options).accuracy;
  }

  /** The embeddings of the digit tokens 0..9 as rows [10][width] (host copy), for the embedding analysis. */
  digitEmbeddings(): number[][] {
    this.assertAlive();
    const table = this.params['embed.tokens']!.arraySync() as number[][];
    return Array.from({ length: 10 }, (_, d) => table[digitTokenId(d)]!);
  }

  protected dynamics(): DynamicsSystem {
    const last = this.config.layers + 1;
    return explicitRule({
      update: (state, ctx) =>
        tf.tidy(() => {
          const tokens = state.tokens!.toInt() as tf.Tensor2D;
          const s = ctx.step;
          let hidden = state.hidden!;
          let logits = state.logits!;
          if (s === 0) hidden = embed(this.params, tokens);
          else if (s <= this.config.layers) hidden = block(this.params, s - 1, hidden as tf.Tensor3D, tokens, this.config, this.shape);
          else if (s === last) {
            const selector = readoutSelector(tokens, this.shape.layout === 'cls' ? 'cls' : 'last');
            logits = classify(this.params, tf.sum(tf.mul(hidden, tf.expandDims(selector, 2)), 1) as tf.Tensor2D);
          }
          return { tokens: tf.clone(state.tokens!), hidden: hidden === state.hidden ? tf.clone(hidden) : hidden, logits: logits === state.logits ? tf.clone(logits) : logits };
        }),
    });
  }

  /** Checks token ids: integers in the vocabulary. */
  protected override prepareState(state: State): State {
    const tokens = state.tokens;
    if (!tokens) throw errors.invalidArgument('initial.tokens', 'given (the token ids to read)', 'missing');
    this.checkTokens(tokens);
    return super.prepareState(state);
  }

  /**
   * A batch of random expressions from the model's generator (seeded), hidden
   * and logits at zero. Chain-of-thought sequences stop before the last value,
   * so the run's logits predict the expression's value.
   */
  protected override generateState(batch: number, options: GenerateOptions): State {
    const examples = distinctExamples(this.shape.generator, batch, options.seed ?? 0);
    const e = this.encode(examples);
    const tokens = Float32Array.from(e.tokens);
    if (this.shape.layout === 'cot') {
      for (let r = 0; r < batch; r++) {
        let end = e.seqLen;
        while (end > 0 && tokens[r * e.seqLen + end - 1] === PAD_ID) end--;
        tokens[r * e.seqLen + end - 1] = PAD_ID; // the final ']'
        tokens[r * e.seqLen + end - 2] = PAD_ID; // the final value
      }
    }
    return {
      tokens: tf.tensor2d(tokens, [batch, this.shape.seqLen]),
      hidden: tf.zeros([batch, this.shape.seqLen, this.config.width]),
      logits: tf.zeros([batch, this.shape.classes]),
    };
  }

  protected override release(): void {
    for (const v of Object.values(this.params)) v.dispose();
  }

  private checkTokens(tokens: tf.Tensor): void {
    if (tokens.rank !== 2 || tokens.shape[1] !== this.shape.seqLen) throw errors.shapeMismatch('token ids', ['batch', this.shape.seqLen], tokens.shape);
    const values = tokens.dataSync();
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (!Number.isInteger(v) || v < 0 || v >= this.shape.vocab) throw errors.invalidArgument('token ids', `integers in 0..${this.shape.vocab - 1} (encode expressions with encodeExamples)`, v);
    }
  }
}
