/**
 * The classical binary Hopfield network (Hopfield 1982): ±1 neurons,
 * symmetric weights with a zero diagonal, energy E = -1/2 s^T W s + b^T s,
 * asynchronous (seeded random order) or synchronous sign updates with exact
 * tie decisions (a zero field keeps the current value, for every N).
 */
import * as tf from '@tensorflow/tfjs';
import {
  biasSynapse,
  denseSynapse,
  explicitRule,
  ModelBase,
  parseConfig,
  readState,
  runOptionsSchema,
  z,
  type DynamicsSystem,
  type EnergyTerms,
  type GenerateOptions,
  type Hypersynapse,
  type RunOptions,
  type State,
  type StateInput,
  type StateLayer,
  type TensorInput,
} from '@engram/core';
import { learnWeights } from '../internal/learning-rules.js';
import { classicalSweep, hostNetwork, type HostNetwork } from '../internal/classical-sweep.js';
import { sweepOrder } from '../internal/seeded-order.js';
import { binarize, binaryNoise, hostBinaryPatterns, hostClamp, hostState, hostVector } from '../internal/binary.js';
import { finalState } from '../internal/final-state.js';

export type { ClassicalRule } from '../internal/learning-rules.js';

/** The config of 'hopfield/classical'. */
export const classicalSchema = z.strictObject({
  size: z.number().int().positive().describe('number of ±1 neurons N'),
  rule: z.enum(['hebbian', 'pseudo-inverse']).default('hebbian').describe("storage rule of store(): 'hebbian' W = 1/N sum xi xi^T or 'pseudo-inverse' (projection onto the patterns' span)"),
  memories: z.number().int().min(0).default(0).describe('number of patterns the weights store (set by store; bookkeeping)'),
});

/** Config of a {@link ClassicalHopfield} (as written; defaults filled in by the schema). */
export type ClassicalHopfieldConfig = z.input<typeof classicalSchema>;
type Config = z.output<typeof classicalSchema>;

/** How neurons update: one at a time in a seeded random order, or all at once. */
export type ClassicalUpdateMode = 'async' | 'sync';

/** The model's own run keys. */
export interface ClassicalRunKeys {
  /** 'async' (default): one step is one sweep over all neurons in a seeded random order; 'sync': all at once. */
  mode?: ClassicalUpdateMode;
  /** Seed of the visiting order (default 0); the order of sweep k depends only on (seed, k). */
  seed?: number;
}

/** Options of {@link ClassicalHopfield.run}. */
export type ClassicalRunOptions = RunOptions & ClassicalRunKeys;

/** Run options of the binary models: core's, plus the update mode and the seed of the visiting order. */
export const binaryRunSchema = runOptionsSchema.extend({
  mode: z.enum(['async', 'sync']).optional().describe("'async' (default): seeded sweeps, one neuron at a time; 'sync': every neuron at once"),
  seed: z.number().int().optional().describe('seed of the asynchronous visiting order (default 0)'),
});

/** Name of the state layer of the single-layer Hopfield models. */
export const STATE_LAYER = 'x';

/**
 * Classical Hopfield network. Its energy comes from core's synapses: a
 * `denseSynapse` connecting the state to itself holds W (E_W = -s^T W s) and a
 * `biasSynapse` holds the thresholds b (E_b = -b . s), so
 * E = 1/2 E_W - E_b = -1/2 s^T W s + b^T s. `store` sets W and b; `run` streams
 * sign updates (host side, exact ties) with the energy; `recall` resolves with
 * the fixed point. Input states are binarised (>= 0 becomes +1).
 *
 * @example
 * const net = new ClassicalHopfield({ size: 100 });
 * net.store(patterns);                       // [P, 100] of ±1
 * const out = await net.recall(cues);        // [B, 100], asynchronous sweeps until stable
 */
export class ClassicalHopfield extends ModelBase<Config, ClassicalRunKeys> {
  readonly kind = 'hopfield/classical';
  override readonly runSchema = binaryRunSchema;
  readonly layers: readonly StateLayer[];
  /** Number of neurons N. */
  readonly size: number;
  /** Storage rule of `store`. */
  readonly rule: Config['rule'];
  private stored: number;
  private readonly weightSynapse: Hypersynapse;
  private readonly thresholdSynapse: Hypersynapse;
  private host: HostNetwork;

  constructor(config: ClassicalHopfieldConfig) {
    super();
    const c = parseConfig(classicalSchema, config, 'hopfield/classical');
    this.size = c.size;
    this.rule = c.rule;
    this.stored = c.memories;
    this.layers = [{ name: STATE_LAYER, shape: [c.size] }];
    const n = c.size;
    this.weightSynapse = denseSynapse({ inSize: n, outSize: n, weights: new Float32Array(n * n) });
    this.thresholdSynapse = biasSynapse({ size: n });
    this.host = hostNetwork(new Float32Array(n * n), new Float32Array(n), n);
  }

  /** Number of patterns stored by the last `store` call. */
  get memories(): number {
    return this.stored;
  }

  /** The weights W [N, N] (live variable: do not dispose). */
  get weights(): tf.Variable {
    return this.weightSynapse.variables['W']!;
  }

  /** The thresholds b [N] (live variable). */
  get bias(): tf.Variable {
    return this.thresholdSynapse.variables['b']!;
  }

  /**
   * Replaces the weights by those that store `patterns` ([P, N], entries ±1)
   * with the configured rule; `bias` (length N, default 0) sets the thresholds b.
   */
  store(patterns: TensorInput, bias?: TensorInput): this {
    this.assertAlive();
    const { data, rows } = hostBinaryPatterns(patterns, this.size);
    const b = bias === undefined ? new Float32Array(this.size) : hostVector(bias, this.size, 'bias');
    const w = learnWeights(data, rows, this.size, this.rule);
    tf.tidy(() => {
      this.weights.assign(tf.tensor2d(w, [this.size, this.size]));
      this.bias.assign(tf.tensor1d(b));
    });
    this.host = hostNetwork(w, b, this.size);
    this.stored = rows;
    return this;
  }

  /** E = -1/2 s^T W s + b^T s per sample, with the terms 'weights' and 'bias' (caller owns the tensors). */
  energy(state: StateInput): EnergyTerms {
    this.assertAlive();
    const s = readState(state, this.layers, 'state');
    try {
      return this.energyOf(s[STATE_LAYER]!);
    } finally {
      s[STATE_LAYER]!.dispose();
    }
  }

  /**
   * Iterates until no neuron changes (or `maxSteps` sweeps, default 100) and
   * resolves with the final states [B, N] (caller owns them).
   */
  async recall(cues: TensorInput, options: Omit<ClassicalRunOptions, 'initial' | 'onFinal'> = {}): Promise<tf.Tensor2D> {
    return (await finalState((onFinal) => this.run({ tolerance: 0.5, ...options, initial: cues, onFinal }), STATE_LAYER)) as tf.Tensor2D;
  }

  /** W [N, N] and b [N]: everything the model persists. */
  variables(): Record<string, tf.Variable> {
    return { weights: this.weights, bias: this.bias };
  }

  getConfig(): Config {
    return { size: this.size, rule: this.rule, memories: this.stored };
  }

  protected override weightsChanged(): void {
    this.host = hostNetwork(this.weights.dataSync() as Float32Array, this.bias.dataSync() as Float32Array, this.size);
  }

  /** Input states are binarised: entries >= 0 become +1, the others -1. */
  protected override prepareState(state: State): State {
    const x = state[STATE_LAYER]!;
    const out = { [STATE_LAYER]: binarize(x) };
    x.dispose();
    return out;
  }

  /** A generated state: seeded ±1 noise (each entry +1 with probability 1/2; `std` is ignored). */
  protected override generateState(batch: number, options: GenerateOptions): State {
    return { [STATE_LAYER]: binaryNoise(batch, this.size, options.seed ?? 0) };
  }

  protected dynamics(options: ClassicalRunOptions, initial: State): DynamicsSystem {
    const mode = options.mode ?? 'async';
    const seed = options.seed ?? 0;
    const clamp = hostClamp(options.clamp, initial, this.layers);
    const net = this.host;
    return explicitRule({
      update: (st, ctx) => {
        const x = st[STATE_LAYER]!;
        const s = hostState(x);
        classicalSweep(s, x.shape[0]!, net, mode === 'async' ? sweepOrder(this.size, seed, ctx.step) : null, clamp);
        return { [STATE_LAYER]: tf.tensor2d(s, x.shape as [number, number]) };
      },
      energy: (st) => this.energyOf(st[STATE_LAYER]!),
    });
  }

  protected override release(): void {
    this.weightSynapse.dispose();
    this.thresholdSynapse.dispose();
  }

  private energyOf(s: tf.Tensor): EnergyTerms {
    return tf.tidy(() => {
      const weights = tf.mul(this.weightSynapse.energy([s, s]), 0.5) as tf.Tensor1D;
      const bias = tf.neg(this.thresholdSynapse.energy([s])) as tf.Tensor1D;
      return { total: tf.add(weights, bias) as tf.Tensor1D, terms: { weights, bias } };
    });
  }
}
