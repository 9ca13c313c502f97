/**
 * One Energy Transformer block ('energy-transformer/block') as a thin
 * composition of core parts: a core EnergyGraph with one token layer
 * [tokens, size] on core's `layernorm` Lagrangian (scalar gamma, vector delta,
 * both trained) and two synapses of this plugin on it, the energy attention
 * ('attention') and the Hopfield module ('hopfield'). Descent takes dE/dg from
 * the graph (the synapses' closed forms); see internal/token-descent.ts for
 * the ET update (no leak, the default) versus core's HAMUX descent (`leak`).
 * Every run step is a DynamicsStep with the energy tree
 * { tokens (the layer's Legendre term), attention, hopfield }; the total is
 * attention + hopfield (plus tokens with `leak`), the quantity that falls.
 */
import * as tf from '@tensorflow/tfjs';
import {
  EnergyGraph,
  errors,
  integrate,
  isTensorInput,
  lagrangians,
  ModelBase,
  parseConfig,
  readState,
  runOptionsSchema,
  z,
  type DynamicsSystem,
  type EnergyTerms,
  type Hypersynapse,
  type Lagrangian,
  type RunDefaults,
  type RunOptions,
  type State,
  type StateInput,
  type StateLayer,
  type TensorInput,
} from '@engram/core';
import { attentionSynapseOn, attentionTokenEnergies, type LogMaskSource } from '../internal/attention.js';
import { diagonalLogMask, logMaskTensor, readAllowed } from '../internal/attention-mask.js';
import { hopfieldForm, hopfieldSynapseOn, hopfieldTokenEnergies, type HopfieldForm } from '../internal/hopfield.js';
import { json } from '../internal/json.js';
import { tokenDescentSystem, tokenEnergy } from '../internal/token-descent.js';
import { parameterCount } from '../internal/variables.js';
import { ATTENTION_KIND, attentionVariables, type AttentionConfig } from '../synapses/attention.js';
import { HOPFIELD_KIND, hopfieldPatterns, type HopfieldConfig } from '../synapses/hopfield.js';
import { blockSchema, resolveBlockConfig, type BlockConfig, type BlockOptions } from './block-schema.js';

/** The registered id. */
export const BLOCK_KIND = 'energy-transformer/block';
/** Name of the token layer (of the block's graph and state). */
export const TOKENS = 'tokens';

const allowedInput = z.custom<TensorInput>((v) => isTensorInput(v), { message: 'expected a tensor or an array of 0/1 entries' });

/** Run options of a block: core's, plus the allowed attention pairs. */
export const blockRunSchema = runOptionsSchema.extend({
  allowed: allowedInput
    .optional()
    .describe('allowed attention pairs [tokens, tokens] or [batch, tokens, tokens]: 1 where query C may attend to key B (default: all pairs)'),
});

/** The block's own run keys. */
export interface BlockRunKeys {
  /** Allowed attention pairs [tokens, tokens] or [batch, tokens, tokens] (1 = query C may attend to key B). */
  allowed?: TensorInput;
}

/** Options of {@link EnergyTransformerBlock.evolve}. */
export interface EvolveOptions extends BlockRunKeys {
  /** Number of updates (default: the block's maxSteps). */
  steps?: number;
  /** Step size (default: the block's dt). */
  dt?: number;
}

/** Per-token energies: attention per head [batch, tokens, heads] and Hopfield [batch, tokens]. */
export interface TokenEnergies {
  attention: tf.Tensor3D;
  hopfield: tf.Tensor2D;
}

/** An Energy Transformer block (see the module comment). */
export class EnergyTransformerBlock extends ModelBase<BlockConfig, BlockRunKeys> {
  readonly kind: string = BLOCK_KIND;
  readonly config: BlockConfig;
  readonly layers: readonly StateLayer[];
  override readonly runSchema = blockRunSchema;
  protected override readonly runDefaults: RunDefaults;
  /** The composition: layer 'tokens' (core layernorm), synapses 'attention' and 'hopfield' (all pairs allowed). */
  readonly graph: EnergyGraph;
  private readonly lagrangian: Lagrangian;
  private readonly attention: AttentionConfig;
  private readonly attentionWeights: { keys: tf.Variable; queries: tf.Variable };
  private readonly form: HopfieldForm;
  private readonly patterns: tf.Variable;
  private readonly hopfieldSynapse: Hypersynapse;

  constructor(options: BlockOptions) {
    super();
    const c = resolveBlockConfig(parseConfig(blockSchema, options, BLOCK_KIND));
    if (c.excludeDiagonal && c.tokens < 2) {
      throw errors.invalidArgument(`${BLOCK_KIND} tokens`, 'at least 2 when the diagonal is excluded (a token needs another to attend to)', c.tokens);
    }
    this.config = c;
    this.layers = [{ name: TOKENS, shape: [c.tokens, c.size] }];
    this.runDefaults = { maxSteps: c.maxSteps, dt: c.dt };
    this.attention = { size: c.size, heads: c.heads, headSize: c.headSize, beta: c.beta, excludeDiagonal: c.excludeDiagonal, std: c.attentionStd, seed: c.seed };
    const hopfield: HopfieldConfig = { size: c.size, memories: c.memories, separation: c.separation, std: c.hopfieldStd, seed: c.seed };
    this.form = hopfieldForm(hopfield.separation, BLOCK_KIND);
    this.lagrangian = lagrangians.layernorm({ gamma: 1, delta: 0, eps: c.eps, size: c.size, trainable: true });
    this.attentionWeights = attentionVariables(this.attention);
    this.patterns = hopfieldPatterns(hopfield);
    this.hopfieldSynapse = hopfieldSynapseOn(HOPFIELD_KIND, json(hopfield), c.size, this.form, this.patterns);
    this.graph = this.graphWith(this.defaultMask);
  }

  /**
   * A graph of the block's parts whose attention uses `mask` (it shares every
   * weight with the block's graph: never dispose it). Without `withEnergy` its
   * synapses skip their energies (see attentionSynapseOn): the graph of the
   * unrolled descent, where `integrate` discards them anyway.
   */
  private graphWith(mask: LogMaskSource, withEnergy = true): EnergyGraph {
    const attention = attentionSynapseOn(ATTENTION_KIND, json(this.attention), this.attention, this.attentionWeights, mask, withEnergy);
    const hopfield = withEnergy ? this.hopfieldSynapse : hopfieldSynapseOn(HOPFIELD_KIND, this.hopfieldSynapse.config, this.config.size, this.form, this.patterns, false);
    return new EnergyGraph()
      .addLayer(TOKENS, { shape: [this.config.tokens, this.config.size], lagrangian: this.lagrangian })
      .addSynapse('attention', attention, [TOKENS])
      .addSynapse('hopfield', hopfield, [TOKENS]);
  }

  /** The attention's log-mask without `allowed` pairs: the diagonal when excluded, else none. */
  private readonly defaultMask: LogMaskSource = (tokens) => (this.config.excludeDiagonal ? diagonalLogMask(tokens) : null);

  /** Runs `fn` with the log-mask of `allowed` (the default one when absent); a mask tensor lives for the call. */
  private withMask<T>(allowed: TensorInput | undefined, batch: number, fn: (mask: LogMaskSource, given: boolean) => T): T {
    if (allowed === undefined) return fn(this.defaultMask, false);
    const host = readAllowed(allowed, this.config.tokens, this.config.excludeDiagonal, 'allowed');
    this.checkMaskBatch(host.shape[0], batch);
    const mask = logMaskTensor(host);
    try {
      return fn(() => mask, true);
    } finally {
      mask.dispose();
    }
  }

  /** Runs `fn` on the graph for `allowed` (the block's own graph when absent); see graphWith for `withEnergy`. */
  private withAllowed<T>(allowed: TensorInput | undefined, batch: number, fn: (graph: EnergyGraph) => T, withEnergy = true): T {
    return this.withMask(allowed, batch, (mask, given) => fn(given || !withEnergy ? this.graphWith(mask, withEnergy) : this.graph));
  }

  private checkMaskBatch(maskBatch: number, batch: number): void {
    if (maskBatch !== 1 && maskBatch !== batch) throw errors.shapeMismatch('allowed (batch)', [1, batch], [maskBatch]);
  }

  private checkTokens(x: tf.Tensor, what: string): void {
    const { tokens, size } = this.config;
    if (x.rank !== 3 || x.shape[1] !== tokens || x.shape[2] !== size) throw errors.shapeMismatch(what, ['batch', tokens, size], x.shape);
  }

  protected dynamics(options: RunOptions & BlockRunKeys, initial: State): DynamicsSystem {
    return this.system({ ...(options.allowed !== undefined ? { allowed: options.allowed } : {}), batch: initial[TOKENS]!.shape[0]!, energyTree: options.energyTree ?? true });
  }

  /**
   * The block's descent as a DynamicsSystem over the state { tokens }, for
   * models that embed a block in their own dynamics. `allowed` pairs are
   * checked here (against `batch`) and kept on the host: each step uploads
   * them inside its own tidy, so nothing outlives a step. With `withEnergy:
   * false` the steps compute no energy (for unrolled descents that discard it;
   * see graphWith); its `energy()` still gives the exact one.
   */
  system(options: { allowed?: TensorInput; batch?: number; energyTree?: boolean; withEnergy?: boolean } = {}): DynamicsSystem {
    this.assertAlive();
    const energyTree = options.energyTree ?? true;
    const withEnergy = options.withEnergy ?? true;
    const settings = { leak: this.config.leak, energyTree, report: withEnergy };
    if (options.allowed === undefined) return tokenDescentSystem(withEnergy ? this.graph : this.graphWith(this.defaultMask, false), settings);
    const host = readAllowed(options.allowed, this.config.tokens, this.config.excludeDiagonal, 'allowed');
    if (options.batch !== undefined) this.checkMaskBatch(host.shape[0], options.batch);
    return tokenDescentSystem(this.graphWith(() => logMaskTensor(host), withEnergy), settings);
  }

  /** The activations g = LN(x) of tokens [batch, tokens, size] (new tensor; differentiable). */
  activation(tokens: tf.Tensor): tf.Tensor {
    this.assertAlive();
    this.checkTokens(tokens, 'tokens');
    return this.lagrangian.activation(tokens);
  }

  /** Energy per sample of a state (tokens, or { tokens }), with the terms { tokens, attention, hopfield }. */
  energy(state: StateInput, options: BlockRunKeys = {}): EnergyTerms {
    this.assertAlive();
    const x = readState(state, this.layers, 'state');
    try {
      return this.withAllowed(options.allowed, x[TOKENS]!.shape[0]!, (graph) => tokenEnergy(graph, x, this.config.leak));
    } finally {
      for (const t of Object.values(x)) t.dispose();
    }
  }

  /**
   * Applies the descent `steps` times to tokens [batch, tokens, size] and returns
   * the final tokens (the caller owns them). Synchronous and differentiable with
   * respect to the tokens and the block's variables: use it inside a loss to
   * train through the unrolled descent.
   */
  evolve(tokens: tf.Tensor, options: EvolveOptions = {}): tf.Tensor3D {
    this.assertAlive();
    this.checkTokens(tokens, 'tokens');
    // The step energies of an unrolled descent are discarded: its graph skips them.
    return this.withAllowed(
      options.allowed,
      tokens.shape[0]!,
      (graph) => {
        const system = tokenDescentSystem(graph, { leak: this.config.leak, energyTree: false, report: false });
        const out = integrate(system, { [TOKENS]: tokens }, { steps: options.steps ?? this.config.maxSteps, dt: options.dt ?? this.config.dt });
        return out[TOKENS] as tf.Tensor3D;
      },
      false,
    );
  }

  /** Each token's energies: attention per head [batch, tokens, heads] and Hopfield [batch, tokens]; they sum to the synapse energies. */
  tokenEnergies(tokens: tf.Tensor, options: BlockRunKeys = {}): TokenEnergies {
    this.assertAlive();
    this.checkTokens(tokens, 'tokens');
    return this.withMask(options.allowed, tokens.shape[0]!, (mask) =>
      tf.tidy(() => {
        const g = this.lagrangian.activation(tokens);
        return { attention: attentionTokenEnergies(g, this.attentionWeights, this.attention, mask), hopfield: hopfieldTokenEnergies(g, this.patterns, this.form) };
      }),
    );
  }

  /** The block's weights: 'tokens/gamma', 'tokens/delta' (the layer norm), 'attention/keys', 'attention/queries' [heads, headSize, size], 'hopfield/patterns' [memories, size]. */
  variables(): Record<string, tf.Variable> {
    return this.graph.variables();
  }

  /** Number of trained parameters. */
  parameterCount(): number {
    return parameterCount(this.variables());
  }

  getConfig(): BlockConfig {
    return { ...this.config, separation: { ...this.config.separation } };
  }

  protected override release(): void {
    this.graph.dispose();
  }
}
