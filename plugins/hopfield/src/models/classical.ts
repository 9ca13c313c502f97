/**
 * The classical binary Hopfield network (Hopfield 1982): ±1 neurons,
 * symmetric weights with a zero diagonal, energy E = -1/2 s^T W s + b^T s,
 * asynchronous (seeded random order) or synchronous sign updates with exact
 * tie decisions (a zero field keeps the current value, for every N).
 */
import * as tf from '@tensorflow/tfjs';
import { biasSynapse, denseSynapse, parseConfig, z, type EnergyTerms, type Hypersynapse, type TensorInput } from '@engram/core';
import { learnWeights } from '../internal/learning-rules.js';
import { classicalSweep, hostNetwork, type HostNetwork } from '../internal/classical-sweep.js';
import { hostBinaryPatterns, hostVector } from '../internal/binary.js';
import { BinaryModel, type BinaryRunOptions, type Sweep } from './binary-model.js';

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

/** Options of {@link ClassicalHopfield.run}: core's run options plus `mode` and `seed`. */
export type ClassicalRunOptions = BinaryRunOptions;

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
export class ClassicalHopfield extends BinaryModel<Config> {
  readonly kind = 'hopfield/classical';
  /** Storage rule of `store`. */
  readonly rule: Config['rule'];
  private stored: number;
  private readonly weightSynapse: Hypersynapse;
  private readonly thresholdSynapse: Hypersynapse;
  private host: HostNetwork;

  constructor(config: ClassicalHopfieldConfig) {
    const c = parseConfig(classicalSchema, config, 'hopfield/classical');
    super(c.size);
    this.rule = c.rule;
    this.stored = c.memories;
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

  protected sweeper(): Sweep {
    const net = this.host;
    return (s, batch, order, clamp) => classicalSweep(s, batch, net, order, clamp);
  }

  protected override release(): void {
    this.weightSynapse.dispose();
    this.thresholdSynapse.dispose();
  }

  /** E = -1/2 s^T W s + b^T s per sample, with the terms 'weights' and 'bias'. */
  protected energyOf(s: tf.Tensor): EnergyTerms {
    return tf.tidy(() => {
      const weights = tf.mul(this.weightSynapse.energy([s, s]), 0.5) as tf.Tensor1D;
      const bias = tf.neg(this.thresholdSynapse.energy([s])) as tf.Tensor1D;
      return { total: tf.add(weights, bias) as tf.Tensor1D, terms: { weights, bias } };
    });
  }
}
